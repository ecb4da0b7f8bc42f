import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { formatDiagnostic, validateManifests } from '../../lib/validation';

// The manifest corpus: test/corpus/invalid/*.yaml hold ONE document each and start with
// `# expect: <CODE> <message substring>` lines, one per expected error; test/corpus/valid/*.yaml
// start with `# valid: <why it is tricky>` and must produce no error.

const CORPUS = join(__dirname, '..', 'corpus');

interface Expectation {
  readonly code: string;
  readonly text: string;
}

function files(dir: string): string[] {
  return readdirSync(join(CORPUS, dir)).filter(n => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
}

function load(dir: string, name: string): { text: string; docs: unknown[] } {
  const text = readFileSync(join(CORPUS, dir, name), 'utf8');
  const parsed = parseAllDocuments(text);
  for (const d of parsed) {
    if (d.errors.length > 0) throw new Error(`${dir}/${name}: YAML error: ${d.errors[0].message}`);
  }
  const docs = parsed.map(d => d.toJS()).filter(d => d !== null && d !== undefined);
  return { text, docs };
}

/** The `# expect:` lines at the top of a file (comments before the first document line). */
function parseExpectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    const m = /^#\s*expect:\s*(\S+)\s+(.+?)\s*$/.exec(line);
    if (m) out.push({ code: m[1], text: m[2] });
  }
  return out;
}

const invalid = files('invalid');
const valid = files('valid');

describe('corpus layout', () => {
  test('every invalid file holds one document and at least one # expect line', () => {
    const problems = invalid.flatMap(name => {
      const { text, docs } = load('invalid', name);
      const issues: string[] = [];
      if (docs.length !== 1) issues.push(`${name}: ${docs.length} documents, expected 1`);
      if (parseExpectations(text).length === 0) issues.push(`${name}: no "# expect: <CODE> <text>" line`);
      return issues;
    });
    expect(problems).toEqual([]);
  });

  test('every valid file starts with a # valid: line', () => {
    const missing = valid.filter(name => !/^#\s*valid:\s*\S/.test(load('valid', name).text));
    expect(missing).toEqual([]);
  });
});

describe('invalid manifests are rejected with the expected errors', () => {
  test.each(invalid)('%s', name => {
    const { text, docs } = load('invalid', name);
    const expected = parseExpectations(text);
    const errors = validateManifests(docs).filter(d => d.severity === 'error');
    const shown = errors.map(formatDiagnostic);
    for (const e of expected) {
      const hit = errors.some(d => d.code === e.code && d.message.includes(e.text));
      if (!hit) throw new Error(`expected ${e.code} "${e.text}", got:\n${shown.join('\n') || '(no errors)'}`);
    }
    const expectedCodes = new Set(expected.map(e => e.code));
    const unexpected = errors.filter(d => !expectedCodes.has(d.code)).map(formatDiagnostic);
    expect(unexpected).toEqual([]);
  });
});

describe('valid tricky manifests are accepted', () => {
  test.each(valid)('%s', name => {
    const { docs } = load('valid', name);
    expect(docs.length).toBeGreaterThan(0);
    const errors = validateManifests(docs).filter(d => d.severity === 'error').map(formatDiagnostic);
    expect(errors).toEqual([]);
  });
});
