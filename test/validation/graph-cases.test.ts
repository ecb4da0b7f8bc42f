import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { formatDiagnostic } from '../../lib/validation/diagnostic';
import { analyzeGraph } from '../../lib/validation/graph';

// Each file in test/graph-cases/ is one manifest set. Its header lists the options
// (`# options: strict`) and every expected finding (`# expect: #<document index> <diagnostic>`),
// in reporting order; the tier must produce exactly those findings.
const CASES_DIR = path.join(__dirname, '..', 'graph-cases');

interface GraphCase {
  readonly file: string;
  readonly title: string;
  readonly strict: boolean;
  readonly expected: string[];
  readonly docs: unknown[];
}

function loadCase(file: string): GraphCase {
  const text = fs.readFileSync(path.join(CASES_DIR, file), 'utf8');
  const header = text.split('\n').filter(l => l.startsWith('# '));
  const value = (key: string) => header.filter(l => l.startsWith(`# ${key}: `)).map(l => l.slice(key.length + 4));
  return {
    file,
    title: value('case')[0] ?? file,
    strict: value('options').some(o => o.split(/[ ,]+/).includes('strict')),
    expected: value('expect'),
    docs: parseAllDocuments(text).map(d => d.toJS()).filter(d => d !== null && d !== undefined),
  };
}

function run(c: GraphCase): string[] {
  return analyzeGraph(c.docs, { strict: c.strict }).map(d => `#${d.index} ${formatDiagnostic(d)}`);
}

const cases = fs.readdirSync(CASES_DIR).filter(f => f.endsWith('.yaml')).sort().map(loadCase);
const findings = cases.filter(c => c.expected.length > 0);
const clean = cases.filter(c => c.expected.length === 0);

describe('graph tier: multi-document cases', () => {
  test('there are at least 15 sets with findings and at least one clean set', () => {
    expect(findings.length).toBeGreaterThanOrEqual(15);
    expect(clean.length).toBeGreaterThanOrEqual(1);
    for (const c of cases) expect(c.docs.length).toBeGreaterThan(0);
  });

  test.each(findings.map(c => [c.file, c]))('%s produces exactly the expected findings', (_file, c) => {
    expect(run(c as GraphCase)).toEqual((c as GraphCase).expected);
  });

  test.each(clean.map(c => [c.file, c]))('%s (clean) produces no findings', (_file, c) => {
    expect(run(c as GraphCase)).toEqual([]);
  });
});
