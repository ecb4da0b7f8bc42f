import { Testing } from 'cdk8s';
import { buildExampleApp } from '../../examples/shop';
import { expectValid, findOne } from '../util';

// examples/traffic.ts: CanaryRoute for reviews (Istio, sidecar shop) and checkout (Gateway API,
// ambient payments), ResilientService for ratings and details; the whole app validates clean.

describe('example traffic', () => {
  const docs = buildExampleApp(Testing.app()).charts.flatMap(c => Testing.synth(c));
  const inNs = (ns: string) => docs.filter(d => d.metadata?.namespace === ns);

  test('the output validates clean', () => {
    expectValid(docs);
  });

  test('reviews: Istio canary, header/cookie A/B first, 90/10 catch-all last', () => {
    const vs = findOne(inNs('shop'), 'VirtualService', 'reviews');
    expect(vs.spec.http.map((r: any) => [r.name, r.route.map((d: any) => [d.destination.subset, d.weight])])).toEqual([
      ['canary-match', [['canary', undefined]]],
      ['weighted', [['stable', 90], ['canary', 10]]],
    ]);
    expect(findOne(inNs('shop'), 'DestinationRule', 'reviews').spec.subsets.map((s: any) => s.labels.version)).toEqual(['v1', 'v2']);
  });

  test('ratings and details are resilient', () => {
    expect(findOne(inNs('shop'), 'VirtualService', 'ratings').spec.http[0]).toMatchObject({ timeout: '3s', retries: { attempts: 2, perTryTimeout: '800ms' } });
    expect(findOne(inNs('shop'), 'DestinationRule', 'ratings').spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(5);
    expect(findOne(inNs('shop'), 'VirtualService', 'details').spec.http.map((r: any) => r.name)).toEqual(['fault-injection', 'default']);
  });

  test('checkout: Gateway API canary in the ambient namespace, no VirtualService', () => {
    const route = findOne(inNs('payments'), 'HTTPRoute', 'checkout');
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'checkout', port: 8080 }]);
    expect(route.spec.rules[1].backendRefs).toEqual([{ name: 'checkout-v1', port: 8080, weight: 80 }, { name: 'checkout-v2', port: 8080, weight: 20 }]);
    expect(findOne(inNs('payments'), 'Service', 'checkout-v2').spec.selector).toEqual({ app: 'checkout', version: 'v2' });
    expect(inNs('payments').filter(d => d.kind === 'VirtualService' && d.metadata.name === 'checkout')).toEqual([]);
  });
});
