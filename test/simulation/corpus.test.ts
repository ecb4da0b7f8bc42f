import { MeshSimulation } from '../../lib';
import { AMBIENT_AUTHZ } from './corpus-authz-ambient';
import { SIDECAR_AUTHZ } from './corpus-authz-sidecar';
import { ROUTING } from './corpus-routing';
import { SimCase } from './cases';

// The simulator corpus: (manifests, request, expected decision/route) cases written from the Istio
// and Gateway API docs and sources; each case names its source, and the ones where the tutorial
// intuition is wrong say which intuition.

const CORPUS: Array<[string, SimCase[]]> = [
  ['authorization (sidecar)', SIDECAR_AUTHZ],
  ['authorization (ambient)', AMBIENT_AUTHZ],
  ['routing', ROUTING],
];

describe.each(CORPUS)('simulator corpus: %s', (_title, cases) => {
  test.each(cases.map(c => [c.name, c] as const))('%s', (_name, c) => {
    // GIVEN
    const mesh = MeshSimulation.fromManifests(c.docs);
    // WHEN
    const r = mesh.request(c.request);
    // THEN
    const e = c.expect;
    const got: Record<string, unknown> = { allowed: r.allowed };
    const want: Record<string, unknown> = { allowed: e.allowed };
    for (const k of ['action', 'policy', 'rule', 'enforcedAt'] as const) {
      if (e[k] !== undefined) {
        got[k] = (r.decision as any)[k];
        want[k] = e[k];
      }
    }
    if (e.unknown !== undefined) {
      got.unknown = r.unknown?.includes(e.unknown) ? e.unknown : r.unknown;
      want.unknown = e.unknown;
    }
    if (e.route !== undefined) {
      got.route = r.route ? { resource: r.route.resource, ...(e.route?.rule !== undefined ? { rule: r.route.rule } : {}) } : null;
      want.route = e.route;
    }
    if (e.backends !== undefined) {
      got.backends = (r.route?.backends ?? []).map(b => `${b.host}|${b.subset ?? ''}|${b.percent}`);
      want.backends = e.backends;
    }
    for (const k of ['retries', 'timeoutMs', 'mirror', 'redirect', 'rewrite', 'directResponse'] as const) {
      if (e[k] !== undefined) {
        got[k] = (r.route as any)?.[k];
        want[k] = e[k];
      }
    }
    expect(got).toEqual(want);
  });
});

test('the corpus has at least 60 cases, each with a source, and at least 10 where the intuition is wrong', () => {
  const all = CORPUS.flatMap(([, cases]) => cases);
  expect(all.filter(c => !/^https:\/\//.test(c.source))).toEqual([]);
  expect(all.length).toBeGreaterThanOrEqual(60);
  expect(all.filter(c => c.intuition).length).toBeGreaterThanOrEqual(10);
  expect(new Set(all.map(c => c.name)).size).toBe(all.length);
});
