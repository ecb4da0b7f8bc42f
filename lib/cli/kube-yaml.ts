import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import { Code } from '../validation/codes';

/*
 * YAML read the way kubectl reads it: kubectl splits a stream into documents on `---` lines
 * (k8s.io/apimachinery pkg/util/yaml YAMLReader) and decodes each with sigs.k8s.io/yaml, which
 * is go-yaml v2 (YAML 1.1 scalars) converted to JSON. We parse with js-yaml (fast) and a schema
 * that resolves plain scalars as go-yaml v2's resolve.go does. Differences pinned in
 * test/cli/kube-yaml.test.ts. Known remaining difference: go-yaml v2 lets a `<<` merge that comes
 * after an explicit key overwrite it; js-yaml (and YAML's spec) keep the explicit key.
 */

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const null11 = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string) => NULLS.has(s),
  construct: () => null,
  predicate: (v: unknown) => v === null,
  represent: () => 'null',
});

// `<<` keys merge mappings (js-yaml recognises the merge tag).
const merge = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (s: string) => s === '<<' });

const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

// YAML 1.1 booleans (go-yaml v2 resolve.go resolveMapList).
const bool11 = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string) => BOOL_TRUE.has(s) || BOOL_FALSE.has(s),
  construct: (s: string) => BOOL_TRUE.has(s),
  predicate: (v: unknown) => typeof v === 'boolean',
  represent: (v: object) => String(v),
});

// strconv.ParseInt(s, 0, 64) after removing underscores: 0x hex, 0o / leading-0 octal, 0b binary.
const INT_RE = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
// go-yaml v2 yamlStyleFloat.
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOATS: Record<string, number> = {
  '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity, '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
};

function numberHint(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46; // 0-9 + - .
}

function parseGoInt(plain: string): number {
  const neg = plain[0] === '-';
  const body = plain[0] === '-' || plain[0] === '+' ? plain.slice(1) : plain;
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body.slice(1), 8);
  else v = parseInt(body, 10);
  return neg ? -v : v;
}

const int11 = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string) => numberHint(s) && INT_RE.test(s.includes('_') ? s.replace(/_/g, '') : s),
  construct: (s: string) => parseGoInt(s.replace(/_/g, '')),
  predicate: (v: unknown) => typeof v === 'number' && Number.isInteger(v),
  represent: (v: object) => String(v),
});

const float11 = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string) => numberHint(s) && (s in SPECIAL_FLOATS || FLOAT_RE.test(s.includes('_') ? s.replace(/_/g, '') : s)),
  construct: (s: string) => (s in SPECIAL_FLOATS ? SPECIAL_FLOATS[s] : Number(s.replace(/_/g, ''))),
  predicate: (v: unknown) => typeof v === 'number',
  represent: (v: object) => String(v),
});

/**
 * The js-yaml schema of kubectl's YAML: YAML 1.1 booleans (`yes`, `on`, `y`), go-yaml integers
 * (`0x1F`, `017` octal, `0b1`, `1_000`), `<<` merge keys, `~`/`null`; timestamps stay strings
 * (go-yaml v2 keeps them as strings when decoding into interface{}); no `!!binary`/`!!set`.
 */
export const KUBE_YAML_SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [null11, bool11, int11, float11, merge] });

/** One document of a stream, as kubectl's YAMLReader splits it. */
export interface YamlChunk {
  /** Position of the document in the stream (0-based; empty documents count). */
  readonly index: number;
  /** The document's text (without the `---` line). */
  readonly text: string;
  /** 0-based line of the stream where `text` starts. */
  readonly line: number;
}

/**
 * Splits a stream on `---` document separator lines, as kubectl does: a line starting with `---`
 * followed only by spaces or a comment. A leading part before the first separator that holds only
 * comments and blank lines is not a document.
 */
export function splitDocuments(text: string): YamlChunk[] {
  const lines = text.split('\n');
  const out: YamlChunk[] = [];
  let start = 0;
  let index = 0;
  const flush = (end: number) => {
    const part = lines.slice(start, end);
    if (start === 0 && end < lines.length && part.every(l => /^\s*(?:#.*)?$/.test(l))) return;
    out.push({ index: index++, text: part.join('\n'), line: start });
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('---') && /^---\s*(?:#.*)?\r?$/.test(l)) {
      flush(i);
      start = i + 1;
    }
  }
  if (start < lines.length) flush(lines.length);
  return out;
}

// go-yaml v2 (decode.go allowedAliasRatio): a document whose alias expansion makes up too large
// a part of the decoded nodes fails with "document contains excessive aliasing".
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400000) return 0.99;
  if (decodeCount >= 4000000) return 0.10;
  return 0.99 - 0.89 * ((decodeCount - 400000) / 3600000);
}

/** True when expanding the aliases of `value` (a tree whose shared objects are aliases) would exceed go-yaml's limit. */
export function excessiveAliasing(value: unknown): boolean {
  const size = new Map<object, number>();
  let unique = 0;
  const LIMIT = 1e8;
  const measure = (v: unknown): number => {
    if (v === null || typeof v !== 'object') { unique++; return 1; }
    const known = size.get(v);
    if (known !== undefined) return known;
    size.set(v, 1); // a cycle cannot come out of js-yaml, but never loop
    let n = 1;
    unique++;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      // keys are decoded too
      n += measure(child) + (Array.isArray(v) ? 0 : 1);
      if (!Array.isArray(v)) unique++;
      if (n > LIMIT) break;
    }
    size.set(v, n);
    return n;
  };
  const total = measure(value);
  const aliased = total - unique;
  return total > LIMIT || (aliased > 100 && total > 1000 && aliased / total > allowedAliasRatio(total));
}

// In a flow collection go-yaml v2 ends a plain scalar only at ": " (or a flow indicator), so
// `[1.2.3.4, 001:db8::]` holds the string "001:db8::"; js-yaml also ends it at ":" + `,]}`.
// Quote such scalars before handing the text to js-yaml (they resolve to strings in go-yaml too).
const FLOW_COLON = /:[,\]}[{]/;

function quoteFlowColonScalars(text: string): string {
  if (!FLOW_COLON.test(text)) return text;
  const lines = text.split('\n');
  let depth = 0;
  let blockIndent = -1; // > -1 inside a block scalar: lines more indented than this belong to it
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    let res = '';
    let i = 0;
    while (i < line.length) {
      const c = line[i];
      const before = line.slice(0, i);
      const valueStart = depth > 0 || /(?:^\s*(?:-\s+)*|:\s+|-\s+)$/.test(before);
      if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
      if ((c === '"' || c === '\'') && valueStart) {
        let j = i + 1;
        while (j < line.length && line[j] !== c) j += c === '"' && line[j] === '\\' ? 2 : 1;
        res += line.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if ((c === '[' || c === '{') && valueStart) { depth++; res += c; i++; continue; }
      if ((c === ']' || c === '}') && depth > 0) { depth--; res += c; i++; continue; }
      if (depth === 0) {
        if ((c === '|' || c === '>') && valueStart && /^[|>][-+0-9]*\s*(?:#.*)?$/.test(line.slice(i))) blockIndent = indent;
        // the rest of a block-context plain scalar stays as it is
        const j = line.indexOf(': ', i);
        const k = j < 0 ? line.length : j + 2;
        res += line.slice(i, k);
        i = k;
        continue;
      }
      if (c === ',' || c === ':' || c === '?' || /\s/.test(c)) { res += c; i++; continue; }
      // A plain scalar in a flow collection, as go-yaml v2 scans it.
      let j = i;
      while (j < line.length) {
        const d = line[j];
        if (d === ':' && (j + 1 >= line.length || /\s/.test(line[j + 1]))) break;
        if (',[]{}'.includes(d)) break;
        if (d === '#' && /\s/.test(line[j - 1])) break;
        j++;
      }
      const word = line.slice(i, j);
      res += word.endsWith(':') && j < line.length && ',]}'.includes(line[j]) ? `'${word.replace(/'/g, "''")}'` : word;
      i = j;
    }
    lines[n] = res + line.slice(i);
  }
  return lines.join('\n');
}

/** A document's value, or why it cannot be read. */
export type ChunkResult = { readonly value: unknown } | { readonly error: string; readonly code: typeof Code.CI9002 | typeof Code.CI9005; readonly line?: number; readonly column?: number };

/** Parses one document (from `splitDocuments`) as kubectl would. */
export function parseChunk(chunk: YamlChunk): ChunkResult {
  let value: unknown;
  try {
    value = load(quoteFlowColonScalars(chunk.text), { schema: KUBE_YAML_SCHEMA });
  } catch (err) {
    const e = err as { reason?: string; mark?: { line: number; column: number }; message?: string };
    const reason = e.reason ?? e.message ?? String(err);
    const pos = e.mark ? { line: chunk.line + e.mark.line + 1, column: e.mark.column + 1 } : {};
    return { error: reason, code: Code.CI9002, ...pos };
  }
  if (value !== null && typeof value === 'object' && chunk.text.includes('*') && excessiveAliasing(value)) {
    return { error: 'document contains excessive aliasing (alias expansion is bounded as kubectl bounds it)', code: Code.CI9005 };
  }
  return { value };
}
