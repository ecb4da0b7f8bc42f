import { readFileSync } from 'node:fs';
import { Diagnostic } from '../validation';
import { Code } from '../validation/codes';
import { errorText, inputDiagnostic } from './files';
import { parseChunk, splitDocuments, YamlChunk } from './kube-yaml';
import { ChunkPositions, Position } from './positions';

/** One document read from a file, with its position in the file's YAML stream. */
export interface LoadedDocument {
  readonly file: string;
  /** Position of the YAML document in the file's stream. */
  readonly index: number;
  readonly doc: Record<string, unknown>;
  /** For an item of a `List` document: `items[n]`, the prefix of every path into it. */
  readonly item?: string;
  /** Where `path` (a diagnostic path of `doc`) is in the file. Parses the document again, once, on first use. */
  readonly locate: (path: string) => Position;
}

/** The name a diagnostic shows for standard input. */
export const STDIN_NAME = '<stdin>';

function isList(doc: Record<string, unknown>): boolean {
  return typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items);
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value;
}

/**
 * Reads one (multi-document) YAML stream as kubectl does (see kube-yaml.ts). Empty documents are
 * skipped; a document with a syntax error (CI9002), excessive aliasing (CI9005) or that is not a
 * mapping (CI9003) becomes a diagnostic instead of a document. A `List` or `*List` document with
 * `items` contributes each item, as kubectl unpacks it.
 */
export function loadText(text: string, file: string): { docs: LoadedDocument[]; problems: Diagnostic[] } {
  const docs: LoadedDocument[] = [];
  const problems: Diagnostic[] = [];
  for (const chunk of splitDocuments(text)) {
    const r = parseChunk(chunk);
    let positions: ChunkPositions | undefined;
    const pos = () => (positions ??= new ChunkPositions(chunk));
    if ('error' in r) {
      const at = r.line !== undefined ? { line: r.line, column: r.column ?? 1 } : startOf(chunk);
      problems.push({ ...inputDiagnostic(file, r.code, 'error', r.code === Code.CI9002 ? `YAML syntax error (line ${at.line}, column ${at.column}): ${r.error}` : r.error, chunk.index), ...at });
      continue;
    }
    const value = r.value;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ ...inputDiagnostic(file, Code.CI9003, 'error', `document is a ${describe(value)}, not a mapping; a manifest is a YAML object with apiVersion and kind`, chunk.index), ...startOf(chunk) });
      continue;
    }
    const doc = value as Record<string, unknown>;
    if (!isList(doc)) {
      docs.push({ file, index: chunk.index, doc, locate: path => (path === '' ? pos().start() : pos().locate(path)) });
      continue;
    }
    (doc.items as unknown[]).forEach((item, n) => {
      const prefix = `items[${n}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        problems.push({ ...inputDiagnostic(file, Code.CI9003, 'error', `${doc.kind} item ${prefix} is a ${describe(item)}, not a mapping; kubectl expects an object with apiVersion and kind`, chunk.index), path: prefix, ...pos().locate(prefix) });
        return;
      }
      docs.push({ file, index: chunk.index, item: prefix, doc: item as Record<string, unknown>, locate: path => pos().locate(path === '' ? prefix : `${prefix}.${path}`) });
    });
  }
  return { docs, problems };
}

function startOf(chunk: YamlChunk): Position {
  return new ChunkPositions(chunk).start();
}

/** Reads one file (or standard input for `-`) with `loadText`; an unreadable file is one CI9001 diagnostic. */
export function loadFile(file: string, readStdin: () => string = () => readFileSync(0, 'utf8')): { docs: LoadedDocument[]; problems: Diagnostic[] } {
  let text: string;
  const name = file === '-' ? STDIN_NAME : file;
  try {
    text = file === '-' ? readStdin() : readFileSync(file, 'utf8');
  } catch (err) {
    return { docs: [], problems: [inputDiagnostic(name, Code.CI9001, 'error', `cannot read ${file === '-' ? 'standard input' : 'file'}: ${errorText(err)}`)] };
  }
  return loadText(text, name);
}
