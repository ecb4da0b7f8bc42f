import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { transform } from 'sucrase';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { buildExampleApp } from '../examples/shop';
import { runCli } from '../lib/cli';
import { expectValid } from './util';

// Every TypeScript snippet in README.md type-checks against the library (imported as
// 'cdk8s-istio') and runs; a snippet followed directly by a YAML block must synthesize exactly
// the objects that block shows, a snippet followed directly by a `text` block must print exactly
// that (console.log), and everything it synthesizes passes the validator. A `console` block whose
// command is `npx cdk8s-istio simulate ...` must print exactly what follows the command.

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

interface Snippet { readonly line: number; readonly code: string; readonly yaml?: string; readonly text?: string }

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```\n/gm;
  const blocks: { lang: string; body: string; index: number; end: number }[] = [];
  for (let m = fence.exec(README); m; m = fence.exec(README)) {
    blocks.push({ lang: m[1], body: m[2], index: m.index, end: m.index + m[0].length });
  }
  blocks.forEach((b, i) => {
    if (b.lang !== 'ts' && b.lang !== 'typescript') return;
    const next = blocks[i + 1];
    const between = next ? README.slice(b.end, next.index) : '';
    const adjacent = next !== undefined && !/^#{1,6} /m.test(between);
    const yaml = adjacent && next.lang === 'yaml' ? next.body : undefined;
    const text = adjacent && next.lang === 'text' ? next.body : undefined;
    out.push({ line: README.slice(0, b.index).split('\n').length, code: b.body, yaml, text });
  });
  return out;
}

/** Runs a snippet with 'cdk8s-istio' mapped to lib/ and returns the Apps it created (and what it printed to `printed`). */
function run(code: string, printed: string[] = []): cdk8s.App[] {
  const apps: cdk8s.App[] = [];
  class RecordingApp extends cdk8s.App {
    public constructor(props?: cdk8s.AppProps) {
      super({ outdir: fs.mkdtempSync(path.join(OUTDIRS, 'app-')), ...props });
      apps.push(this);
    }
    public override synth(): void { /* the test synthesizes */ }
  }
  const js = transform(code, { transforms: ['typescript', 'imports'] }).code;
  const req = (id: string) => {
    if (id === 'cdk8s') return { ...cdk8s, App: RecordingApp };
    // Snippets import by package name: resolve them like the published package would be.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (id === 'cdk8s-istio') return require('../lib');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (id === 'cdk8s-istio/tools') return require('../lib/tools');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (id === 'cdk8s-istio/testing') return require('../lib/testing');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id);
  };
  const module = { exports: {} };
  const console = { ...globalThis.console, log: (...args: unknown[]) => printed.push(args.map(String).join(' ')) };
  new Function('require', 'module', 'exports', 'console', js)(req, module, module.exports, console);
  return apps;
}

const all = snippets();

// The snippets' Apps get output directories under one temporary directory, removed after the tests
// (they never synthesize to disk; cdk8s only needs a directory).
const OUTDIRS = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
afterAll(() => fs.rmSync(OUTDIRS, { recursive: true, force: true }));

describe('README snippets', () => {
  test('README has TypeScript snippets', () => {
    expect(all.length).toBeGreaterThan(0);
  });

  test('every snippet type-checks against the library', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.readme-'));
    try {
      const files = all.map((s, i) => {
        const file = path.join(dir, `snippet-${i}-line-${s.line}.ts`);
        fs.writeFileSync(file, s.code);
        return file;
      });
      const program = ts.createProgram(files, {
        target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true, skipLibCheck: true,
        esModuleInterop: true, baseUrl: ROOT, paths: { 'cdk8s-istio': ['lib/index.ts'], 'cdk8s-istio/tools': ['lib/tools.ts'], 'cdk8s-istio/testing': ['lib/testing/index.ts'] }, types: ['node'],
      });
      const errors = ts.getPreEmitDiagnostics(program).map(d =>
        `${path.basename(d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      expect(errors).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const synthesize = (s: Snippet) => run(s.code).flatMap(app => app.charts.flatMap(c => cdk8s.Testing.synth(c)));

  test.each(all.map(s => [s.line, s] as const))('snippet at README line %d runs and its output validates', (_line, s) => {
    expectValid(synthesize(s));
  });

  test.each(all.filter(s => s.text !== undefined).map(s => [s.line, s] as const))('snippet at README line %d prints exactly the text shown after it', (_line, s) => {
    const printed: string[] = [];
    run(s.code, printed);
    expect(printed.join('\n')).toBe(s.text!.replace(/\n$/, ''));
  });

  test('the simulate examples print exactly what the README shows', () => {
    const blocks = [...README.matchAll(/^```console\n\$ npx cdk8s-istio (simulate [^\n]*)\n([\s\S]*?)^```\n/gm)];
    expect(blocks.length).toBeGreaterThan(0);
    for (const [, command, shown] of blocks) {
      const out: string[] = [];
      const cwd = process.cwd();
      try {
        process.chdir(ROOT);
        runCli(command.split(' '), { out: l => out.push(l), err: l => out.push(`stderr: ${l}`) });
      } finally {
        process.chdir(cwd);
      }
      expect(out.join('\n')).toBe(shown.replace(/\n$/, ''));
    }
  });

  test.each(all.filter(s => s.yaml !== undefined).map(s => [s.line, s] as const))('snippet at README line %d synthesizes exactly the YAML shown after it', (_line, s) => {
    const shown = parseAllDocuments(s.yaml!).map(d => d.toJS());
    expect(synthesize(s)).toEqual(shown);
  });
});

describe('README mesh graph', () => {
  test('the Mermaid block is exactly `cdk8s-istio graph` of the example app\'s synthesized output', () => {
    const blocks = [...README.matchAll(/^```mermaid\n([\s\S]*?)^```\n/gm)].map(m => m[1]);
    expect(blocks).toHaveLength(1);
    const outdir = fs.mkdtempSync(path.join(OUTDIRS, 'examples-output-'));
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      buildExampleApp(new cdk8s.App({ outdir })).synth();
    } finally {
      quiet.mockRestore();
    }
    const out: string[] = [];
    const err: string[] = [];
    expect(runCli(['graph', outdir, '--format', 'mermaid'], { out: l => out.push(l), err: l => err.push(l) })).toBe(0);
    expect(err).toEqual([]);
    expect(blocks[0]).toBe(`${out.join('\n')}\n`);
  });
});
