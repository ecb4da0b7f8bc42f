import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Diagnostic } from '../validation';
import { errorText, inputDiagnostic } from './files';
import { Code } from '../validation/codes';

/** One document read from a file, with its position in the file's YAML stream. */
export interface LoadedDocument {
  readonly file: string;
  readonly index: number;
  readonly doc: Record<string, unknown>;
}

/**
 * Reads one (multi-document) YAML file. Empty documents are skipped; a document with a syntax
 * error (CI9002) or that is not a mapping (CI9003) becomes a diagnostic instead of a document; an
 * unreadable file one CI9001 diagnostic.
 */
export function loadFile(file: string): { docs: LoadedDocument[]; problems: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { docs: [], problems: [inputDiagnostic(file, Code.CI9001, 'error', `cannot read file: ${errorText(err)}`)] };
  }
  const docs: LoadedDocument[] = [];
  const problems: Diagnostic[] = [];
  parseAllDocuments(text).forEach((d, index) => {
    if (d.errors.length > 0) {
      const e = d.errors[0];
      const where = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
      const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      problems.push(inputDiagnostic(file, Code.CI9002, 'error', `YAML syntax error${where}: ${first}`, index));
      return;
    }
    const value = d.toJS();
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(inputDiagnostic(file, Code.CI9003, 'error', `document is a ${Array.isArray(value) ? 'list' : typeof value}, not a mapping; a manifest is a YAML object with apiVersion and kind`, index));
      return;
    }
    docs.push({ file, index, doc: value as Record<string, unknown> });
  });
  return { docs, problems };
}
