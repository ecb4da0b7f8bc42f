// The indexes behind the graph analyzers (#18) answer exactly what the pairwise scans they
// replace answered: each property compares an index with the naive filter over random inputs.
import fc from 'fast-check';
import { GraphIndex, HostIndex, hostsOverlap, list, listHead, Obj, visibilitiesOverlap, visibility, visibleTo } from '../../../lib/validation/graph/support/model';
import { SelectorIndex } from '../../../lib/validation/graph/support/label-subsets';
import { OverlapIndex } from '../../../lib/validation/graph/support/overlap-index';
import { VisibilityGroups } from '../../../lib/validation/graph/support/visibility-groups';
import { VisibleHostIndex } from '../../../lib/validation/graph/support/visible-hosts';

const label = fc.constantFrom('a', 'b', 'ab', 'c', 'bc');
const exact = fc.array(label, { minLength: 1, maxLength: 3 }).map(ls => ls.join('.'));
const wildcard = fc.oneof(exact.map(h => `*.${h}`), exact.map(h => `*${h}`), fc.constant('*'));
const host = fc.oneof(exact, wildcard);
const namespace = fc.constantFrom('x', 'y', 'z');
const exportTo = fc.option(fc.array(fc.constantFrom('.', '*', '~', 'x', 'y', 'z'), { maxLength: 3 }), { nil: undefined });

function objects(specs: { ns: string; spec: Record<string, unknown> }[], kind = 'ServiceEntry'): Obj[] {
  return new GraphIndex(specs.map((s, i) => ({ apiVersion: 'networking.istio.io/v1', kind, metadata: { name: `o${i}`, namespace: s.ns }, spec: s.spec }))).objects;
}

describe('OverlapIndex', () => {
  test('finds the values with a host that overlaps a wildcard, as hostsOverlap decides (suffixes are strings: *c overlaps *.b.c)', () => {
    const index = new OverlapIndex<number>();
    index.add('*c', 0);
    index.add('a.b.c', 1);
    index.add('*.x.b.c', 2);
    index.add('b.d', 3);
    expect([...index.overlappingWildcard('*.b.c')].sort()).toEqual([0, 1, 2]);
    expect([...index.overlappingWildcard('*')].sort()).toEqual([0, 1, 2, 3]);
  });

  test('agrees with a scan over hostsOverlap', () => {
    fc.assert(fc.property(fc.array(host, { maxLength: 12 }), wildcard, (hosts, w) => {
      const index = new OverlapIndex<number>();
      hosts.forEach((h, i) => index.add(h, i));
      const expected = hosts.map((h, i) => (hostsOverlap(w, h) ? i : -1)).filter(i => i >= 0);
      expect([...index.overlappingWildcard(w)].sort((a, b) => a - b)).toEqual(expected);
    }), { numRuns: 300 });
  });
});

describe('SelectorIndex', () => {
  const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'version'), fc.oneof(fc.constantFrom('a', 'b'), fc.constantFrom(1, true, null)), { minKeys: 1 });

  test('finds the first selector (of equal ones) that is a subset of the labels, like a scan with ===', () => {
    fc.assert(fc.property(fc.array(labels, { maxLength: 10 }), fc.dictionary(fc.constantFrom('app', 'tier', 'version', 'x'), fc.constantFrom('a', 'b', 1, true)), (selectors, podLabels) => {
      const index = new SelectorIndex<number>();
      selectors.forEach((s, i) => index.add(s, i));
      const naive = selectors.findIndex(sel => Object.keys(sel).every(k => (podLabels as any)[k] === sel[k]));
      const found = index.matching(podLabels);
      expect(found.length > 0 ? Math.min(...found) : -1).toBe(naive);
    }), { numRuns: 300 });
  });

  test('selector values that are not primitives never match by key: an object value is compared with ===', () => {
    const index = new SelectorIndex<string>();
    const shared = { deep: 'x' };
    index.add({ app: shared }, 'object');
    index.add({ app: Number.NaN }, 'nan');
    expect(index.matching({ app: shared })).toEqual(['object']);
    expect(index.matching({ app: { deep: 'x' } })).toEqual([]);
    expect(index.matching({ app: Number.NaN })).toEqual([]);
  });
});

describe('VisibilityGroups', () => {
  test('returns the items whose exportTo overlaps, in input order, like a scan over visibilitiesOverlap', () => {
    fc.assert(fc.property(fc.array(fc.record({ ns: namespace, exportTo }), { maxLength: 12 }), fc.record({ ns: namespace, exportTo }), (items, probe) => {
      const objs = objects(items.map(i => ({ ns: i.ns, spec: i.exportTo ? { exportTo: i.exportTo } : {} })));
      const [p] = objects([{ ns: probe.ns, spec: probe.exportTo ? { exportTo: probe.exportTo } : {} }]);
      const groups = new VisibilityGroups(objs, visibility);
      expect(groups.overlapping(visibility(p))).toEqual(objs.filter(o => visibilitiesOverlap(visibility(p), visibility(o))));
    }), { numRuns: 300 });
  });
});

describe('VisibleHostIndex', () => {
  test('answers lookup(host).filter(visibleTo) for the first object, the first ten with the count, and per key', () => {
    fc.assert(fc.property(fc.array(fc.record({ ns: namespace, exportTo, host, subset: fc.constantFrom('v1', 'v2') }), { maxLength: 25 }), exact, namespace, fc.constantFrom('v1', 'v2'),
      (items, probe, ns, subset) => {
        const objs = objects(items.map(i => ({ ns: i.ns, spec: { host: i.host, subsets: [{ name: i.subset }], ...(i.exportTo ? { exportTo: i.exportTo } : {}) } })), 'DestinationRule');
        const hosts = new HostIndex<Obj>();
        objs.forEach(o => hosts.add(o.spec.host, o));
        const index = new VisibleHostIndex(hosts, visibility, o => o.spec.subsets.map((s: any) => s.name));
        const expected = hosts.lookup(probe).filter(o => visibleTo(visibility(o), ns));
        expect(index.first(probe, ns)).toBe(expected[0]);
        expect(index.head(probe, ns, 10)).toEqual({ objects: expected.slice(0, 10), total: expected.length });
        expect(index.hasKey(probe, ns, subset)).toBe(expected.some(o => o.spec.subsets[0].name === subset));
      }), { numRuns: 300 });
  });
});

test('listHead gives the text of list() from the first items and the count', () => {
  const items = Array.from({ length: 13 }, (_x, i) => `n${i}`);
  expect(listHead(items.slice(0, 10), 13)).toBe(list(items));
  expect(listHead(items.slice(0, 10), 13)).toBe('n0, n1, n2, n3, n4, n5, n6, n7, n8, n9 and 3 more');
  expect(listHead(['a', 'b'], 2)).toBe(list(['a', 'b']));
});
