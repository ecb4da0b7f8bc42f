import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildExampleApp } from '../../examples/shop';
import { MeshContext } from '../../lib';
import { formatDiagnostic, validateManifests } from '../../lib/validation';
import { analyzeGraph } from '../../lib/validation/graph';
import { suppressedCodes } from '../../lib/validation/graph/support/context';
import { GraphIndex, hostsOverlap, visibilitiesOverlap, visibility } from '../../lib/validation/graph/support/model';

function loadSet(file: string): unknown[] {
  const text = fs.readFileSync(path.join(__dirname, '..', 'graph-cases', file), 'utf8');
  return parseAllDocuments(text).map(d => d.toJS());
}

const vs = (name: string, ns: string, spec: any, annotations?: Record<string, string>) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) }, spec,
});
const svc = (name: string, ns: string, ports: number[] = [9080]) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns },
  spec: { selector: { app: name }, ports: ports.map(p => ({ name: `http-${p}`, port: p })) },
});

describe('graph tier: clean sets', () => {
  test('the example app (examples/shop.ts) has no graph findings, strict or not', () => {
    // GIVEN the example app, synthesized without the app-level validation (this test isolates tier 3)
    const app = buildExampleApp(Testing.app());
    MeshContext.of(app).validate = false;
    const docs = app.charts.flatMap(c => Testing.synth(c));
    // THEN
    expect(docs.length).toBeGreaterThan(5);
    expect(analyzeGraph(docs).map(formatDiagnostic)).toEqual([]);
    expect(analyzeGraph(docs, { strict: true }).map(formatDiagnostic)).toEqual([]);
  });

  test('the bookinfo-style set has no findings even under strict', () => {
    const docs = loadSet('clean-bookinfo.yaml');
    expect(docs.length).toBeGreaterThan(30);
    expect(analyzeGraph(docs, { strict: true }).map(formatDiagnostic)).toEqual([]);
  });

  test('the bookinfo-style set is a valid manifest set for every tier (no findings at all)', () => {
    expect(validateManifests(loadSet('clean-bookinfo.yaml'), { strict: true }).map(formatDiagnostic)).toEqual([]);
  });
});

describe('graph tier: behaviour', () => {
  test('validateManifests includes graph findings with the index of their document', () => {
    // GIVEN a DestinationRule without subset v2 and a VirtualService that routes to it (document 2)
    const docs = [
      svc('reviews', 'shop'),
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'shop' },
        spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } },
      vs('reviews', 'shop', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] }),
    ];
    // WHEN
    const graph = validateManifests(docs).filter(d => d.code === 'IST0101');
    // THEN
    expect(graph).toEqual([{
      code: 'IST0101', severity: 'error', index: 2, apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
      namespace: 'shop', name: 'reviews', path: 'spec.http[0].route[0].destination.subset',
      message: 'Referenced subset not found: "reviews+v2" (not defined by DestinationRule shop/reviews)',
    }]);
  });

  test('documents without kind or apiVersion, and non-objects, are skipped', () => {
    expect(analyzeGraph([null, 42, 'x', {}, { kind: 'VirtualService' }, [1]])).toEqual([]);
  });

  test('a namespaced document without namespace is read as namespace "default"', () => {
    const docs = [
      svc('reviews', 'default', [80, 81]),
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r' },
        spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] } },
    ];
    expect(analyzeGraph(docs).map(d => `${d.code} ${d.namespace || '<none>'} ${d.message}`)).toEqual([
      'IST0112 <none> destination "reviews" exposes ports 80, 81: set port.number to say which one to route to',
    ]);
  });

  test('suppression: comma-separated codes with spaces, "*", and nothing', () => {
    const index = new GraphIndex([
      vs('a', 'shop', {}, { 'galley.istio.io/analyze-suppress': 'IST0101, IST0109,,' }),
      vs('b', 'shop', {}, { 'galley.istio.io/analyze-suppress': '*' }),
      vs('c', 'shop', {}),
    ]);
    expect(index.objects.map(o => [...suppressedCodes(o)])).toEqual([['IST0101', 'IST0109'], ['*'], []]);
  });

  test('long lists in messages are cut after 10 names', () => {
    // GIVEN 12 namespace-wide Sidecars in one namespace
    const docs = Array.from({ length: 12 }, (_, i) => ({
      apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: `s${String(i).padStart(2, '0')}`, namespace: 'shop' },
      spec: { egress: [{ hosts: ['./*'] }] },
    }));
    // WHEN
    const found = analyzeGraph(docs);
    // THEN every Sidecar gets the finding, naming the first 10
    expect(found).toHaveLength(12);
    expect(found[0].message).toBe('Sidecars shop/s00, shop/s01, shop/s02, shop/s03, shop/s04, shop/s05, shop/s06, shop/s07, shop/s08, shop/s09 and 2 more '
      + 'in namespace shop have no workloadSelector, which is undefined behaviour: keep one namespace-wide Sidecar');
  });

  test('host overlap follows Istio wildcard matching', () => {
    expect(hostsOverlap('a.example.com', 'a.example.com')).toBe(true);
    expect(hostsOverlap('*', 'anything.io')).toBe(true);
    expect(hostsOverlap('*.example.com', 'a.example.com')).toBe(true);
    expect(hostsOverlap('a.example.com', '*.example.com')).toBe(true);
    expect(hostsOverlap('*.example.com', '*.a.example.com')).toBe(true);
    expect(hostsOverlap('*.example.com', 'example.com')).toBe(false);
    expect(hostsOverlap('*.a.com', '*.b.com')).toBe(false);
    expect(hostsOverlap('a.example.com', 'b.example.com')).toBe(false);
  });

  test('exportTo visibility: default all, "." is the own namespace, "~" is nobody', () => {
    const index = new GraphIndex([
      vs('all', 'a', {}), vs('own', 'a', { exportTo: ['.'] }), vs('b', 'b', { exportTo: ['.', 'c'] }), vs('none', 'd', { exportTo: ['~'] }),
    ]);
    const [all, own, b, none] = index.objects.map(visibility);
    expect(visibilitiesOverlap(all, own)).toBe(true);
    expect(visibilitiesOverlap(own, b)).toBe(false);
    expect(visibilitiesOverlap(b, all)).toBe(true);
    expect(visibilitiesOverlap(none, all)).toBe(false);
    expect(visibilitiesOverlap(all, all)).toBe(true);
  });

  test('a set of 10,000 documents is analyzed with exact results (indexes, no pairwise scans)', () => {
    // GIVEN 2,500 namespaces, each with a Service, a DestinationRule, a VirtualService and a
    // second mesh VirtualService for the same host in every 500th namespace
    const docs: unknown[] = [];
    for (let i = 0; i < 2500; i++) {
      const ns = `ns-${i}`;
      docs.push(svc('app', ns));
      docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'app', namespace: ns },
        spec: { host: 'app', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } });
      docs.push(vs('app', ns, { hosts: ['app'], http: [{ route: [{ destination: { host: 'app', subset: i % 1000 === 0 ? 'v2' : 'v1' } }] }] }));
      docs.push(i % 500 === 0 ? vs('dup', ns, { hosts: [`app.${ns}.svc.cluster.local`], http: [{ route: [{ destination: { host: 'app' } }] }] })
        : { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: ns } });
    }
    // WHEN
    const found = analyzeGraph(docs).map(d => `${d.index} ${d.code}`);
    // THEN
    expect(docs).toHaveLength(10000);
    expect(found).toEqual([
      '2 IST0101', '2 IST0109', '3 IST0109',
      '2002 IST0109', '2003 IST0109',
      '4002 IST0101', '4002 IST0109', '4003 IST0109',
      '6002 IST0109', '6003 IST0109',
      '8002 IST0101', '8002 IST0109', '8003 IST0109',
    ]);
  });
});

describe('docs/diagnostic-codes.md documents every tier 3 code with its severity, and a case covers each', () => {
  const root = path.join(__dirname, '..', '..');
  const dir = path.join(root, 'lib', 'validation', 'graph');
  const emitted = new Map<string, Set<string>>();
  // Analyzers and their helpers (support/), every .ts file below graph/.
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter(f => f.endsWith('.ts'));
  for (const file of files) {
    const src = fs.readFileSync(path.join(dir, file), 'utf8');
    const add = (code: string, sev: string) => emitted.set(code, new Set([...(emitted.get(code) ?? []), sev]));
    for (const m of src.matchAll(/ctx\.report\([^,]+, Code\.((?:IST|CI)\d{4}), '(error|warning|info)'/g)) add(m[1], m[2]);
    for (const m of src.matchAll(/ctx\.missing\([^,]+, Code\.((?:IST|CI)\d{4})/g)) add(m[1], 'error');
  }
  const text = fs.readFileSync(path.join(root, 'docs', 'diagnostic-codes.md'), 'utf8');
  const tier3 = text.slice(text.indexOf('## Tier 3'), text.indexOf('\n## ', text.indexOf('## Tier 3') + 1));
  const documented = new Map([...tier3.matchAll(/^\| ((?:IST|CI)\d{4}) \| (error|warning|info) \|/gm)].map(m => [m[1], m[2]]));

  test('same codes; the documented severity is the one the code is reported with', () => {
    expect([...documented.keys()].sort()).toEqual([...emitted.keys()].sort());
    for (const [code, sev] of documented) expect([code, emitted.get(code)?.has(sev)]).toEqual([code, true]);
    expect(documented.size).toBeGreaterThanOrEqual(18);
  });

  test('every code has a multi-document case in test/graph-cases/', () => {
    const cases = fs.readdirSync(path.join(root, 'test', 'graph-cases'))
      .map(n => fs.readFileSync(path.join(root, 'test', 'graph-cases', n), 'utf8')).join('\n');
    expect([...emitted.keys()].filter(code => !new RegExp(`^# expect: #\\d+ \\w+ ${code} `, 'm').test(cases))).toEqual([]);
  });
});
