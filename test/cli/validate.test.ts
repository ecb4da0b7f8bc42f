import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Diagnostic, ValidateOptions } from '../../lib/validation';
import { runCli, USAGE } from '../../lib/cli';

// GIVEN manifests on disk, WHEN `cdk8s-istio validate` runs, THEN it prints one diagnostic per
// line (text) or a JSON array, each with the file and the document index in that file.

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const EMPTY_SIDECAR = 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: shop\nspec: {}\n';
const NO_SERVERS = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: public\n  namespace: shop\nspec:\n  servers: []\n';
const SIDECAR_MSG = 'empty Sidecar configuration: set at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool';
const GATEWAY_MSG = 'a Gateway needs at least one server';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cdk8s-istio-cli-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const full = join(dir, rel);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
}

function run(args: string[], validate?: (docs: readonly unknown[], options: ValidateOptions) => Diagnostic[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(args, { out: l => out.push(l), err: l => err.push(l) }, validate ? { validate } : {});
  return { code, out, err };
}

/** Only the diagnostic lines about our fixtures' CI2xxx/CI9xxx codes (other tiers may add infos). */
function lines(out: string[]): string[] {
  return out.filter(l => / (CI2|CI9)\d{3}/.test(l));
}

describe('text format', () => {
  test('one line per diagnostic with file, document index, kind/name, code and message; exit 1 on errors', () => {
    const file = write('app.yaml', `${NAMESPACE}---\n${EMPTY_SIDECAR}`);
    const { code, out } = run(['validate', file]);
    // line 11 is `spec:` of the second document (the Namespace takes lines 1-4, `---` line 5)
    expect(lines(out)).toEqual([`${file}:11:1 error CI2100 Sidecar shop/default spec: ${SIDECAR_MSG}`]);
    expect(out[out.length - 1]).toMatch(/^1 error, \d+ warnings?, \d+ infos? in 2 documents from 1 file$/);
    expect(code).toBe(1);
  });

  test('exit 0 and a summary when nothing is wrong', () => {
    const file = write('ns.yaml', NAMESPACE);
    const { code, out } = run(['validate', file]);
    expect(out).toEqual(['0 errors, 0 warnings, 0 infos in 1 document from 1 file']);
    expect(code).toBe(0);
  });
});

describe('json format', () => {
  test('an array of diagnostics with file and index (document index within its file)', () => {
    const a = write('a.yaml', `${NAMESPACE}---\n${EMPTY_SIDECAR}`);
    const b = write('b.yml', NO_SERVERS);
    const { code, out } = run(['validate', '--format', 'json', dir]);
    expect(out).toHaveLength(1);
    const found = (JSON.parse(out[0]) as Diagnostic[]).filter(d => d.code.startsWith('CI2'));
    expect(found).toEqual([
      { code: 'CI2100', severity: 'error', apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', namespace: 'shop', name: 'default', path: 'spec', message: SIDECAR_MSG, file: a, index: 1, line: 11, column: 1 },
      { code: 'CI2121', severity: 'error', apiVersion: 'networking.istio.io/v1', kind: 'Gateway', namespace: 'shop', name: 'public', path: 'spec.servers', message: GATEWAY_MSG, file: b, index: 0, line: 7, column: 3 },
    ]);
    expect(code).toBe(1);
  });

  test('--format=json is accepted too, and a clean set prints []', () => {
    const file = write('ns.yaml', NAMESPACE);
    const { code, out } = run(['validate', `--format=json`, file]);
    expect(JSON.parse(out.join('\n'))).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('inputs', () => {
  test('directories are read recursively in sorted order; only .yaml/.yml files; node_modules, hidden directories and link cycles skipped', () => {
    const z = write('z.yaml', EMPTY_SIDECAR);
    const nested = write('a/b/deep.yml', NO_SERVERS);
    write('a/notes.txt', EMPTY_SIDECAR);
    write('node_modules/dep/chart.yaml', EMPTY_SIDECAR);
    write('.git/config.yaml', EMPTY_SIDECAR);
    symlinkSync(dir, join(dir, 'a', 'loop'));
    write('a/b/README.md', 'not yaml');
    const { out } = run(['validate', dir]);
    expect(lines(out)).toEqual([
      `${nested}:7:3 error CI2121 Gateway shop/public spec.servers: ${GATEWAY_MSG}`,
      `${z}:6:1 error CI2100 Sidecar shop/default spec: ${SIDECAR_MSG}`,
    ]);
    expect(out[out.length - 1]).toMatch(/in 2 documents from 2 files$/);
  });

  test('multi-document files: empty documents are skipped, indexes keep their position in the file', () => {
    const file = write('multi.yaml', `---\n${NAMESPACE}---\n---\n${NO_SERVERS}---\n${EMPTY_SIDECAR}`);
    const { out } = run(['validate', file]);
    expect(lines(out)).toEqual([
      `${file}:14:3 error CI2121 Gateway shop/public spec.servers: ${GATEWAY_MSG}`,
      `${file}:21:1 error CI2100 Sidecar shop/default spec: ${SIDECAR_MSG}`,
    ]);
    expect(out[out.length - 1]).toMatch(/in 3 documents from 1 file$/);
  });

  test('a YAML syntax error is a CI9002 diagnostic with its line, not a stack trace; other documents are still validated', () => {
    const file = write('broken.yaml', `${EMPTY_SIDECAR}---\nkind: [Sidecar\n---\n${NAMESPACE}`);
    const { code, out, err } = run(['validate', file]);
    expect(lines(out)).toEqual([
      `${file}:6:1 error CI2100 Sidecar shop/default spec: ${SIDECAR_MSG}`,
      `${file}:9:1 error CI9002: YAML syntax error (line 9, column 1): unexpected end of the stream within a flow collection`,
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(1);
  });

  test('a document that is not a mapping is CI9003', () => {
    const file = write('list.yaml', '- a\n- b\n');
    const { code, out } = run(['validate', file]);
    expect(lines(out)).toEqual([`${file}:1:1 error CI9003: document is a list, not a mapping; a manifest is a YAML object with apiVersion and kind`]);
    expect(code).toBe(1);
  });

  test('an unreadable path is CI9001; a missing file inside a directory too (dangling link)', () => {
    const missing = join(dir, 'nope.yaml');
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling.yaml'));
    const { code, out } = run(['validate', missing, dir]);
    expect(lines(out)).toEqual([
      `${missing} error CI9001: cannot read: no such file or directory`,
      `${join(dir, 'dangling.yaml')} error CI9001: cannot read file: no such file or directory`,
    ]);
    expect(code).toBe(1);
  });

  test('a directory without YAML files is a CI9004 warning, not an error', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const { code, out } = run(['validate', empty]);
    expect(lines(out)).toEqual([`${empty} warning CI9004: directory holds no .yaml or .yml files`]);
    expect(code).toBe(0);
  });
});

describe('options and usage', () => {
  test('--strict is passed to the validator; all documents are validated as one set', () => {
    const a = write('a.yaml', NAMESPACE);
    const b = write('b.yaml', EMPTY_SIDECAR);
    const calls: Array<{ docs: readonly unknown[]; options: ValidateOptions }> = [];
    const fake = (docs: readonly unknown[], options: ValidateOptions) => {
      calls.push({ docs, options });
      return [];
    };
    run(['validate', '--strict', a, b], fake);
    run(['validate', a], fake);
    run(['validate', '--gateway-api-channel', 'experimental', a], fake);
    expect(calls.map(c => c.options)).toEqual([
      { strict: true, gatewayApiChannel: 'standard' },
      { strict: false, gatewayApiChannel: 'standard' },
      { strict: false, gatewayApiChannel: 'experimental' },
    ]);
    expect(calls[0].docs.map((d: any) => d.kind)).toEqual(['Namespace', 'Sidecar']);
  });

  test('diagnostics of the validator are mapped back to their file and document index', () => {
    const a = write('a.yaml', `${NAMESPACE}---\n${NAMESPACE}`);
    const b = write('b.yaml', `${NAMESPACE}---\n${NAMESPACE}`);
    const fake = (docs: readonly unknown[]): Diagnostic[] => [
      { code: 'IST0101', severity: 'info', index: docs.length - 1, apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'shop', path: '', message: 'last one' },
    ];
    const { code, out } = run(['validate', '--format', 'json', a, b], fake);
    expect(JSON.parse(out[0])).toEqual([
      { code: 'IST0101', severity: 'info', index: 1, file: b, line: 6, column: 1, apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'shop', path: '', message: 'last one' },
    ]);
    expect(code).toBe(0);
  });

  test.each([
    [[], 'missing command'],
    [['check', 'x'], 'unknown command "check"'],
    [['validate'], 'no file or directory given'],
    [['validate', '--format', 'xml', 'x'], '--format must be one of "text", "json", "sarif", "github", got "xml"'],
    [['validate', 'x', '--format'], '--format must be one of "text", "json", "sarif", "github", got nothing'],
    [['validate', '--fast', 'x'], 'unknown option "--fast"'],
    [['validate', '--gateway-api-channel=beta', 'x'], '--gateway-api-channel must be "standard" or "experimental", got "beta"'],
  ])('usage error %j: exit 2 with a message and the usage', (args, message) => {
    const { code, out, err } = run(args as string[]);
    expect(err).toEqual([`cdk8s-istio: ${message}`, USAGE]);
    expect(out).toEqual([]);
    expect(code).toBe(2);
  });

  test('--help prints the usage and exits 0', () => {
    const { code, out } = run(['validate', '--help']);
    expect(out).toEqual([USAGE]);
    expect(code).toBe(0);
  });
});

describe('the installed bin', () => {
  test('runs as a child process: json on stdout, exit 1 on errors', () => {
    const file = write('app.yaml', EMPTY_SIDECAR);
    const bin = join(__dirname, '..', '..', 'bin', 'cdk8s-istio.js');
    const r = spawnSync(process.execPath, [bin, 'validate', '--format', 'json', dir], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const found = (JSON.parse(r.stdout) as Diagnostic[]).filter(d => d.code.startsWith('CI2'));
    expect(found.map(d => [d.file, d.index, d.code, d.message])).toEqual([[file, 0, 'CI2100', SIDECAR_MSG]]);
    expect(r.status).toBe(1);
  });
});
