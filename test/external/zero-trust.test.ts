import { Egress } from '../../lib/egress';
import { ExternalApi } from '../../lib/external-api';
import { ZeroTrustNamespace } from '../../lib/zero-trust-namespace';
import { findOne, synthValid, testChart } from '../util';

// A sidecar namespace that scopes egress (Sidecar egress.hosts, REGISTRY_ONLY-style) must import the
// ServiceEntry's namespace/host: https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioEgressListener

describe('ExternalApi with ZeroTrustNamespace egress scoping', () => {
  test('an API declared in another namespace and exported to shop is listed in shop\'s Sidecar egress hosts', () => {
    // GIVEN
    const { chart } = testChart('shop');
    new ZeroTrustNamespace(chart, 'shop-ns', { name: 'shop', registryOnly: true, egressHosts: ['./*'] });
    // WHEN
    new ExternalApi(chart, 'stripe', { host: 'api.stripe.com', namespace: 'integrations', exportTo: ['.', 'shop'] });
    // THEN
    expect(findOne(synthValid(chart), 'Sidecar').spec.egress).toEqual([{ hosts: ['./*', 'default/kubernetes.default.svc.cluster.local', 'integrations/api.stripe.com'] }]);
  });

  test('through an egress gateway: the gateway Service is listed next to the host', () => {
    // GIVEN
    const { chart } = testChart('shop');
    new ZeroTrustNamespace(chart, 'shop-ns', { name: 'shop', registryOnly: true, egressHosts: ['./*'] });
    // WHEN
    new ExternalApi(chart, 'stripe', {
      host: 'api.stripe.com', egress: Egress.gateway({ namespace: 'istio-system', selector: { istio: 'egressgateway' } }),
    });
    // THEN
    expect(findOne(synthValid(chart), 'Sidecar').spec.egress)
      .toEqual([{ hosts: ['./*', 'default/kubernetes.default.svc.cluster.local', 'istio-system/istio-egressgateway.istio-system.svc.cluster.local'] }]);
  });
});
