import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { ExternalApi, ZeroTrustNamespace } from '../../lib';
import { checkEgressHosts, DEFAULT_EGRESS_HOSTS, egressHostsWithExternal } from '../../lib/security/egress-hosts';
import { attempt } from './attempt';
import { findOne, synthValid, testChart } from '../util';

// Sidecar egress hosts are "<namespace>/<dnsName>":
// https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioEgressListener
// Trap: egress scoping prunes configuration; it is not a firewall (sidecar.proto).

describe('Sidecar egress hosts', () => {
  const owner = (): Construct => new Construct(testChart().chart, 'owner');

  test('defaults: this namespace and the control plane', () => {
    expect(DEFAULT_EGRESS_HOSTS).toEqual(['./*', 'istio-system/*']);
  });

  test('accepted forms', () => {
    expect(checkEgressHosts(owner(), 'egressHosts', ['./*', '*/api.example.com', '~/*', 'istio-egress/*.example.com', 'shop/reviews.shop.svc.cluster.local', './*']))
      .toEqual(['./*', '*/api.example.com', '~/*', 'istio-egress/*.example.com', 'shop/reviews.shop.svc.cluster.local']);
  });

  test('an entry covered by a wildcard of its namespace is not repeated; others are appended sorted', () => {
    const c = owner();
    const ext = (host: string, namespace: string) => ({ host, namespace, construct: c });
    expect(egressHostsWithExternal('shop', ['./*', 'istio-egress/*.example.com'], [
      ext('z.example.com', 'other'), ext('api.stripe.com', 'shop'), ext('api.example.com', 'istio-egress'), ext('a.example.org', 'istio-egress'),
    ])).toEqual(['./*', 'istio-egress/*.example.com', 'istio-egress/a.example.org', 'other/z.example.com']);
  });

  test('a real ExternalApi of the namespace lands in the Sidecar egress scope', () => {
    // GIVEN
    const { chart } = testChart('shop');
    new ZeroTrustNamespace(chart, 'zt', { name: 'shop', registryOnly: true, egressHosts: ['istio-system/*'] });
    // WHEN
    new ExternalApi(chart, 'stripe', { host: 'api.stripe.com' });
    // THEN
    expect(findOne(synthValid(chart), 'Sidecar').spec.egress).toEqual([{ hosts: ['istio-system/*', 'default/kubernetes.default.svc.cluster.local', 'shop/api.stripe.com'] }]);
  });

  test('property: any egressHosts value is accepted with a valid Sidecar, or refused with MeshError', () => {
    const entry = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom('.', '*', '~', 'shop', 'Bad', ''), fc.constantFrom('*', 'api.example.com', '*.example.com', 'reviews', 'a..b', '')).map(([n, h]) => `${n}/${h}`),
    );
    fc.assert(fc.property(fc.oneof(fc.array(entry, { maxLength: 4 }), fc.anything()), (hosts) => {
      const { chart } = testChart('shop');
      const outcome = attempt(() => new ZeroTrustNamespace(chart, 'zt', { name: 'shop', registryOnly: true, egressHosts: hosts as string[] }));
      expect(['accepted', 'rejected']).toContain(outcome);
      if (outcome === 'accepted') synthValid(chart);
    }), { numRuns: 300 });
  });
});
