import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Severity } from '../validation';
import { SarifRuleInfo } from './sarif';

let table: Map<string, SarifRuleInfo> | undefined;

function docsFile(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'docs', 'diagnostic-codes.md');
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Title, meaning and default severity of a diagnostic code, read from the rows of
 * docs/diagnostic-codes.md that the package ships (`| CODE | severity | meaning |`); the title is
 * the meaning's bold lead (`**Title.** ...`) or its first clause.
 */
export function ruleInfo(code: string): SarifRuleInfo | undefined {
  if (!table) {
    table = new Map();
    const file = docsFile();
    const text = file ? readFileSync(file, 'utf8') : '';
    for (const m of text.matchAll(/^\| ([A-Z]+\d{4}) \| (error|warning|info) \| (.*) \|$/gm)) {
      const meaning = m[3];
      const bold = /^\*\*(.+?)\.?\*\*\s*(.*)$/.exec(meaning);
      const title = bold ? bold[1] : meaning.split(/[:;(]| \u2014 /)[0].trim();
      table.set(m[1], { title: title.replace(/`/g, ''), doc: meaning.replace(/\*\*/g, ''), severity: m[2] as Severity });
    }
  }
  return table.get(code);
}
