import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Parses each diagram with mermaid's own parser, in a child process (mermaid is ESM-only and needs jsdom). */
export function mermaidParse(diagrams: string[]): Array<{ ok: boolean; diagramType?: string; error?: string }> {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'mermaid-parse.mjs')], { input: JSON.stringify(diagrams), encoding: 'utf8', cwd: ROOT });
  if (r.stdout.trim() === '') throw new Error(`mermaid-parse.mjs printed nothing: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
