import { AmbientNamespace, Identity, MeshContext, ZeroTrustNamespace } from '../../lib';
import { validateManifests } from '../../lib/tools';
import { findAll, findOne, synthValid, testChart } from '../util';

// #15.9: REGISTRY_ONLY is not a security control ("The sidecar is not able to enforce an outbound
// traffic restriction", istio/api networking/v1alpha3/sidecar.proto; mesh/v1alpha1/config.proto
// OutboundTrafficPolicy) and cuts workloads off from every host nobody listed, the API server
// included: it is an opt-in. A namespace owned elsewhere can be adopted.

describe('#15.9 ZeroTrustNamespace: REGISTRY_ONLY opt-in, adopted namespaces, revision labels', () => {
  test('#15.9 no Sidecar by default: workloads keep reaching kubernetes.default and unlisted namespaces', () => {
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    expect(findAll(synthValid(chart), 'Sidecar')).toEqual([]);
    expect(ns.sidecar).toBeUndefined();
    expect(ns.registryOnly).toBe(false);
  });

  test('#15.9 registryOnly: true emits the REGISTRY_ONLY Sidecar, the API server host always allowed', () => {
    const { chart } = testChart('shop');
    new ZeroTrustNamespace(chart, 'zt', { name: 'shop', registryOnly: true, egressHosts: ['./*'] });
    expect(findOne(synthValid(chart), 'Sidecar')).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'shop' },
      spec: { egress: [{ hosts: ['./*', 'default/kubernetes.default.svc.cluster.local'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    });
  });

  test('#15.9 manageNamespace: false adopts a namespace: no Namespace object, the policies still, and an info', () => {
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop', manageNamespace: false });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'reviews', port: 9080 } });
    const docs = synthValid(chart);
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual([
      'PeerAuthentication/default', 'AuthorizationPolicy/allow-nothing', 'AuthorizationPolicy/allow-reviews',
    ]);
    expect(ns.namespaceObject).toBeUndefined();
    expect(MeshContext.of(chart).infos.map(i => i.message)).toContain('ZeroTrustNamespace test/zt: manageNamespace is false: no Namespace "shop" is emitted; '
      + 'it must exist with sidecar injection enabled (istio-injection: enabled or istio.io/rev)');
  });

  // With istio-injection=enabled next to istio.io/rev the injection label wins and the revision is
  // ignored: https://istio.io/latest/docs/setup/upgrade/canary/ ("istio-injection label takes
  // precedence"); istioctl analyze reports it as IST0123 (pkg/config/analysis/analyzers/injection/injection.go).
  test('#15.9 an istio.io/rev label replaces istio-injection: enabled', () => {
    const { chart } = testChart('shop');
    new ZeroTrustNamespace(chart, 'zt', { name: 'shop', labels: { 'istio.io/rev': 'canary', team: 'a' } });
    expect(findOne(synthValid(chart), 'Namespace').metadata).toEqual({ name: 'shop', labels: { 'istio.io/rev': 'canary', 'team': 'a' } });
  });

  test('#15.9 errors: egressHosts without registryOnly, labels without a managed namespace, registryOnly/manageNamespace in ambient', () => {
    const { chart } = testChart('shop');
    expect(() => new ZeroTrustNamespace(chart, 'a', { name: 'shop', egressHosts: ['./*'] })).toThrow(
      'ZeroTrustNamespace test/a: egressHosts must be omitted unless `registryOnly: true` (they scope the REGISTRY_ONLY Sidecar; without it no Sidecar is emitted), got ["./*"]');
    expect(() => new ZeroTrustNamespace(chart, 'b', { name: 'shop', manageNamespace: false, labels: { team: 'a' } })).toThrow(
      'ZeroTrustNamespace test/b: labels must be omitted with `manageNamespace: false` (no Namespace is emitted; label it where it is declared), got {"team":"a"}');
    expect(() => new ZeroTrustNamespace(chart, 'c', { name: 'shop', registryOnly: 'yes' as any })).toThrow(/registryOnly must be true or false, got "yes"/);
    const amb = new AmbientNamespace(chart, 'amb', { name: 'payments' });
    expect(() => new ZeroTrustNamespace(chart, 'd', { namespace: amb, registryOnly: true })).toThrow(
      'ZeroTrustNamespace test/d: registryOnly must be omitted in an ambient namespace (the AmbientNamespace declares the Namespace; REGISTRY_ONLY has no effect there), got true');
  });

  test('#15.9 IST0123: a hand-written Namespace with istio-injection: enabled and istio.io/rev', () => {
    const ns = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
    const found = (labels: Record<string, string>) => validateManifests([ns(labels)]).filter(d => d.code === 'IST0123')
      .map(d => ({ severity: d.severity, path: d.path, message: d.message }));
    expect(found({ 'istio-injection': 'enabled', 'istio.io/rev': 'canary' })).toEqual([{
      severity: 'error', path: 'metadata.labels',
      message: 'namespace "shop" has both istio-injection=enabled and istio.io/rev=canary: the injection label wins and the revision is ignored '
        + '(pods are injected by the default revision); keep one of them',
    }]);
    expect(found({ 'istio.io/rev': 'canary' })).toEqual([]);
    expect(found({ 'istio-injection': 'enabled' })).toEqual([]);
  });
});
