import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Ajv from 'ajv-draft-04';
import { runCli, USAGE } from '../../lib/cli';
import { githubAnnotation } from '../../lib/cli/github';
import { diagnosticHelpUri, packageInfo } from '../../lib/cli/package-info';
import { toSarif } from '../../lib/cli/sarif';
import { Diagnostic, ValidateOptions } from '../../lib/validation';
import { DIAGNOSTIC_CODES, diagnosticCodeInfo } from '../../lib/validation/codes';

// GIVEN manifests on disk, WHEN `cdk8s-istio validate --format sarif|github` runs, THEN the output
// is a SARIF 2.1.0 log that the vendored OASIS schema accepts, or GitHub workflow annotation
// commands, both with the file, line and column of every file-based diagnostic.

const ROOT = join(__dirname, '..', '..');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/**
 * The SARIF 2.1.0 schema (draft-04, vendored in test/schemas, see SOURCES) with its formats checked.
 * Its `language` pattern has a stray `]`, valid only as a non-unicode regular expression (as JSON
 * Schema draft-04 validators read it).
 */
function sarifValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => { try { return /^[a-z][a-z0-9+.-]*:/i.test(s) && new URL(s).href.length > 0; } catch { return false; } });
  ajv.addFormat('uri-reference', (s: string) => { try { return new URL(s, 'file:///base/').href.length > 0; } catch { return false; } });
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s));
  return ajv.compile(JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')));
}

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const EMPTY_SIDECAR = 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: shop\nspec: {}\n';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'cdk8s-istio-formats-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function run(args: string[], validate?: (docs: readonly unknown[], options: ValidateOptions) => Diagnostic[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(args, { out: l => out.push(l), err: l => err.push(l) }, validate ? { validate } : {});
  return { code, out, err };
}

/**
 * A validator that reports, about the second document (the Sidecar, lines 6-11 of the file), one
 * error at `spec` (line 11), one warning at `metadata` (line 8) and one info about the whole
 * document (its first line, 6): the CLI locates each path in the file.
 */
const located = (docs: readonly unknown[]): Diagnostic[] => [
  { code: 'CI2100', severity: 'error', index: 1, apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', namespace: 'shop', name: 'default', path: 'spec', message: 'empty Sidecar configuration, 100% useless: set egress' },
  { code: 'CI2003', severity: 'warning', index: 1, apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', namespace: 'shop', name: 'default', path: 'metadata', message: 'line one\nline two' },
  { code: 'IST0101', severity: 'info', index: docs.length - 1, apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', namespace: 'shop', name: 'default', path: '', message: 'outside the set' },
];

describe('--format sarif', () => {
  test('a SARIF 2.1.0 log: one rule per code (title, help URI, level), results with physical and logical locations', () => {
    const file = write('app.yaml', `${NAMESPACE}---\n${EMPTY_SIDECAR}`);
    const rel = relative(process.cwd(), file);
    const { code, out } = run(['validate', '--format', 'sarif', rel], located);
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    const log = JSON.parse(out[0]);
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const run0 = log.runs[0];
    expect(run0.tool.driver.name).toBe('cdk8s-istio');
    expect(run0.tool.driver.version).toBe(VERSION);
    expect(run0.tool.driver.rules).toEqual([
      { id: 'CI2003', shortDescription: { text: diagnosticCodeInfo('CI2003')!.title }, fullDescription: { text: diagnosticCodeInfo('CI2003')!.doc }, helpUri: diagnosticHelpUri('CI2003'), defaultConfiguration: { level: 'warning' } },
      { id: 'CI2100', shortDescription: { text: diagnosticCodeInfo('CI2100')!.title }, fullDescription: { text: diagnosticCodeInfo('CI2100')!.doc }, helpUri: diagnosticHelpUri('CI2100'), defaultConfiguration: { level: 'error' } },
      { id: 'IST0101', shortDescription: { text: diagnosticCodeInfo('IST0101')!.title }, fullDescription: { text: diagnosticCodeInfo('IST0101')!.doc }, helpUri: diagnosticHelpUri('IST0101'), defaultConfiguration: { level: 'error' } },
    ]);
    const artifact = { uri: rel.split('\\').join('/'), uriBaseId: '%SRCROOT%' };
    const logical = (path: string) => [{ name: 'default', fullyQualifiedName: `Sidecar shop/default${path}`, kind: 'object' }];
    expect(run0.results).toEqual([
      { ruleId: 'CI2100', ruleIndex: 1, level: 'error', message: { text: 'Sidecar shop/default spec: empty Sidecar configuration, 100% useless: set egress' },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: { startLine: 11, startColumn: 1 } }, logicalLocations: logical(' spec') }] },
      { ruleId: 'CI2003', ruleIndex: 0, level: 'warning', message: { text: 'Sidecar shop/default metadata: line one\nline two' },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: { startLine: 8, startColumn: 1 } }, logicalLocations: logical(' metadata') }] },
      { ruleId: 'IST0101', ruleIndex: 2, level: 'note', message: { text: 'Sidecar shop/default: outside the set' },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: { startLine: 6, startColumn: 1 } }, logicalLocations: logical('') }] },
    ]);
  });

  test('the real validator: its output validates against the schema, every rule has its registry title', () => {
    const file = write('app.yaml', `${NAMESPACE}---\n${EMPTY_SIDECAR}---\nkind: [\n`);
    const { code, out } = run(['validate', '--format', 'sarif', file]);
    expect(code).toBe(1);
    const log = JSON.parse(out.join('\n'));
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: any) => r.id)).toEqual(['CI2100', 'CI9002']);
    expect(rules.map((r: any) => r.shortDescription.text)).toEqual(['Sidecar: empty configuration', 'YAML syntax error']);
    // An absolute path becomes a file URI.
    expect(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation)).toEqual([
      { uri: `file://${file}` }, { uri: `file://${file}` },
    ]);
  });

  test('a clean set is a log with one run, no rules and no results; relative paths are percent-encoded URIs', () => {
    const file = write('a b.yaml', NAMESPACE);
    const { code, out } = run(['validate', '--format=sarif', relative(process.cwd(), file)]);
    expect(code).toBe(0);
    const log = JSON.parse(out[0]);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toEqual([]);
    const sarif = toSarif([{ code: 'CI2100', severity: 'error', file: 'dir/a b#.yaml', apiVersion: '', kind: '', namespace: '', name: '', path: '', message: 'x' }], { rule: () => undefined }) as any;
    expect(sarif.runs[0].results[0]).toEqual({
      ruleId: 'CI2100', ruleIndex: 0, level: 'error', message: { text: 'x' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'dir/a%20b%23.yaml', uriBaseId: '%SRCROOT%' } } }],
    });
    expect(sarif.runs[0].tool.driver.rules[0].shortDescription).toEqual({ text: 'CI2100' });
  });
});

describe('help URIs', () => {
  test('point at the code anchor of docs/diagnostic-codes.md of the installed version', () => {
    expect(diagnosticHelpUri('CI2100', { name: 'cdk8s-istio', version: '1.2.3' })).toBe('https://unpkg.com/cdk8s-istio@1.2.3/docs/diagnostic-codes.md#ci2100');
    expect(diagnosticHelpUri('IST0101', { name: 'cdk8s-istio', version: '1.2.3', repositoryUrl: 'https://github.com/o/r' }))
      .toBe('https://github.com/o/r/blob/v1.2.3/docs/diagnostic-codes.md#ist0101');
    expect(packageInfo().version).toBe(VERSION);
  });

  test('every registered code has its anchor in docs/diagnostic-codes.md', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'diagnostic-codes.md'), 'utf8');
    const missing = DIAGNOSTIC_CODES.filter(c => !docs.includes(`| ${c.code} | ${c.severity} | <a id="${c.code.toLowerCase()}"></a>`)).map(c => c.code);
    expect(missing).toEqual([]);
    expect(DIAGNOSTIC_CODES.length).toBeGreaterThan(100);
  });
});

describe('--format github', () => {
  test('workflow annotation commands with file, line, col and title; data and properties escaped; summary last', () => {
    const file = write('app.yaml', `${NAMESPACE}---\n${EMPTY_SIDECAR}`);
    const { code, out } = run(['validate', '--format', 'github', file], located);
    const f = file.replace(/:/g, '%3A').replace(/,/g, '%2C');
    expect(out).toEqual([
      `::error file=${f},line=11,col=1,title=CI2100 Sidecar shop/default::spec: empty Sidecar configuration, 100%25 useless: set egress`,
      `::warning file=${f},line=8,col=1,title=CI2003 Sidecar shop/default::metadata: line one%0Aline two`,
      `::notice file=${f},line=6,col=1,title=IST0101 Sidecar shop/default::outside the set`,
      '1 error, 1 warning, 1 info in 2 documents from 1 file',
    ]);
    expect(code).toBe(1);
  });

  test('property values escape : and , (file names, titles); an input problem has no object in its title', () => {
    expect(githubAnnotation({ code: 'CI9002', severity: 'error', file: 'C:\\a,b.yaml', line: 3, apiVersion: '', kind: '', namespace: '', name: '', path: '', message: 'YAML syntax error: bad, very' }))
      .toBe('::error file=C%3A/a%2Cb.yaml,line=3,title=CI9002::YAML syntax error: bad, very');
    expect(githubAnnotation({ code: 'CI2003', severity: 'warning', apiVersion: 'v1', kind: 'Sidecar', namespace: '', name: 'a,b', path: '', message: 'm' }))
      .toBe('::warning title=CI2003 Sidecar a%2Cb::m');
  });
});

describe('text format with positions', () => {
  test('file:line:col where the diagnostic has a line', () => {
    const file = write('app.yaml', `${NAMESPACE}---\n${EMPTY_SIDECAR}`);
    const { out } = run(['validate', file], located);
    expect(out).toEqual([
      `${file}:11:1 error CI2100 Sidecar shop/default spec: empty Sidecar configuration, 100% useless: set egress`,
      `${file}:8:1 warning CI2003 Sidecar shop/default metadata: line one\nline two`,
      `${file}:6:1 info IST0101 Sidecar shop/default: outside the set`,
      '1 error, 1 warning, 1 info in 2 documents from 1 file',
    ]);
  });
});

describe('--version', () => {
  test.each([['--version'], ['version']])('%s prints the version of package.json and exits 0', arg => {
    expect(run([arg])).toEqual({ code: 0, out: [VERSION], err: [] });
  });

  test('--version takes no arguments', () => {
    expect(run(['--version', 'x'])).toEqual({ code: 2, out: [], err: ['cdk8s-istio: --version takes no arguments', USAGE] });
  });
});

describe('--max-warnings', () => {
  const warnings = (n: number) => (): Diagnostic[] => Array.from({ length: n }, (_, i) => (
    { code: 'CI2003', severity: 'warning' as const, index: 0, apiVersion: 'v1', kind: 'Namespace', namespace: '', name: `w${i}`, path: '', message: 'w' }));

  test('more warnings than N: exit 1 and a line that says why; N or fewer: exit 0', () => {
    const file = write('ns.yaml', NAMESPACE);
    const over = run(['validate', '--max-warnings', '1', file], warnings(2));
    expect(over.code).toBe(1);
    expect(over.out.slice(-2)).toEqual(['0 errors, 2 warnings, 0 infos in 1 document from 1 file', 'more than --max-warnings 1: 2 warnings']);
    expect(run(['validate', '--max-warnings=2', file], warnings(2)).code).toBe(0);
    expect(run(['validate', '--max-warnings', '0', file], warnings(0)).code).toBe(0);
    // Without the option warnings never fail the run.
    expect(run(['validate', file], warnings(5)).code).toBe(0);
  });

  test('json and sarif keep standard output parseable: the verdict goes to standard error', () => {
    const file = write('ns.yaml', NAMESPACE);
    const json = run(['validate', '--format', 'json', '--max-warnings', '0', file], warnings(1));
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out[0])).toHaveLength(1);
    expect(json.err).toEqual(['cdk8s-istio: 1 warning, more than --max-warnings 0']);
    const sarif = run(['validate', '--format', 'sarif', '--max-warnings', '0', file], warnings(1));
    expect(sarif.code).toBe(1);
    expect(JSON.parse(sarif.out[0]).runs[0].results).toHaveLength(1);
    expect(sarif.err).toEqual(['cdk8s-istio: 1 warning, more than --max-warnings 0']);
  });

  test.each([['-1'], ['1.5'], ['many'], [undefined]])('--max-warnings %s is a usage error', value => {
    const args = value === undefined ? ['validate', 'x', '--max-warnings'] : ['validate', `--max-warnings=${value}`, 'x'];
    const shown = value === undefined ? 'nothing' : JSON.stringify(value);
    expect(run(args)).toEqual({ code: 2, out: [], err: [`cdk8s-istio: --max-warnings must be a whole number ≥ 0, got ${shown}`, USAGE] });
  });
});
