import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The layer rules of lib/ (README "Architecture"), enforced on the source:
// - the vocabulary (lib/mesh/) imports neither validation/ nor app/;
// - no family folder (lib/<family>/) imports a construct file (a top-level lib/*.ts defining a construct);
// - no import cycles (type-only imports count);
// - no file over 400 lines;
// - every public construct is defined in a top-level kebab-case file;
// - lib/validation/graph/ holds analyzers only (helpers in graph/support/).

const LIB = join(__dirname, '..', 'lib');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(n => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : /\.ts$/.test(n) && !/\.d\.ts$/.test(n) ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, 'index.ts')].find(c => { try { return statSync(c).isFile(); } catch { return false; } });
}

const files = tsFiles(LIB);
const source = new Map(files.map(f => [f, readFileSync(f, 'utf8')]));
const rel = (f: string) => relative(LIB, f).split('\\').join('/');
const imports = new Map(files.map(f => [f, [...source.get(f)!.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)]
  .map(m => resolveImport(f, m[1])).filter((x): x is string => x !== undefined)]));
const CONSTRUCT = /export\s+class\s+\w+\s+extends\s+(Construct|Chart|\w*Construct)\b/;
const constructFiles = new Set(files.filter(f => dirname(f) === LIB && CONSTRUCT.test(source.get(f)!)).map(rel));

describe('architecture: layer rules of lib/', () => {
  test('the vocabulary (lib/mesh/) imports neither validation/ nor app/', () => {
    const bad = files.filter(f => rel(f).startsWith('mesh/'))
      .flatMap(f => imports.get(f)!.filter(d => /^(validation|app)\//.test(rel(d))).map(d => `${rel(f)} -> ${rel(d)}`));
    expect(bad).toEqual([]);
  });

  test('no family folder imports a construct file', () => {
    const bad = files.filter(f => rel(f).includes('/'))
      .flatMap(f => imports.get(f)!.filter(d => constructFiles.has(rel(d))).map(d => `${rel(f)} -> ${rel(d)}`));
    expect(bad).toEqual([]);
    expect(constructFiles.size).toBeGreaterThanOrEqual(8);
  });

  test('no import cycles', () => {
    const state = new Map<string, 'active' | 'done'>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'active');
      stack.push(f);
      for (const d of imports.get(f) ?? []) {
        if (state.get(d) === 'active') cycles.push([...stack.slice(stack.indexOf(d)), d].map(rel).join(' -> '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    files.forEach(f => { if (!state.has(f)) visit(f); });
    expect(cycles).toEqual([]);
  });

  test('no file over 400 lines', () => {
    expect(files.map(f => [rel(f), source.get(f)!.split('\n').length] as const).filter(([, n]) => n > 400)).toEqual([]);
  });

  test('every public construct lives in a top-level kebab-case file', () => {
    const index = source.get(join(LIB, 'index.ts'))!;
    const bad: string[] = [];
    for (const m of index.matchAll(/export\s*\{([^}]*)\}\s*from\s*['"](\.\/[^'"]+)['"]/g)) {
      const target = resolveImport(join(LIB, 'index.ts'), m[2]);
      if (!target) continue;
      for (const name of m[1].split(',').map(s => s.trim().split(/\s+as\s+/).pop()!).filter(Boolean)) {
        if (new RegExp(`export\\s+class\\s+${name}\\s+extends\\s+(Construct|\\w*Construct|Chart)\\b`).test(source.get(target)!)
          && (dirname(target) !== LIB || !/^[a-z0-9]+(-[a-z0-9]+)*\.ts$/.test(rel(target)))) bad.push(`${name} in ${rel(target)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('lib/validation/graph/ holds analyzers only; helpers live in graph/support/', () => {
    const dir = join(LIB, 'validation', 'graph');
    const notAnalyzers = readdirSync(dir).filter(n => n.endsWith('.ts') && n !== 'index.ts')
      .filter(n => !/export function analyze\w+/.test(readFileSync(join(dir, n), 'utf8')));
    expect(notAnalyzers).toEqual([]);
  });
});
