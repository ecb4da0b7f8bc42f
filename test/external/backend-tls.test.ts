import { Chart, Testing } from 'cdk8s';
import { CircuitBreaker, Egress, ExternalApi, TrafficApi } from '../../lib';
import { findOne, synthValid } from '../util';

// Istio 1.30 supports BackendTLSPolicy for ServiceEntry targets (group networking.istio.io,
// sectionName = the port name), turns validation.hostname into the DestinationRule sni and reads
// the CA from the first caCertificateRefs ConfigMap, or uses the system bundle for
// wellKnownCACertificates: System (istio/istio 1.30.3 pilot/pkg/config/kube/gateway/backend_policies.go,
// BackendTLSPolicyCollection and getBackendTLSCredentialName).

function shop(): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: 'shop' });
}

describe('ExternalApi TLS origination with BackendTLSPolicy', () => {
  test('system CA, SNI = host: ServiceEntry maps 80 -> 443, BackendTLSPolicy on its http port, no DestinationRule', () => {
    const chart = shop();
    const api = new ExternalApi(chart, 'stripe', { host: 'api.stripe.com', tlsOrigination: true, tlsOriginationApi: TrafficApi.GATEWAY_API });
    const docs = synthValid(chart);
    expect(findOne(docs, 'ServiceEntry').spec.ports).toEqual([{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }]);
    expect(findOne(docs, 'BackendTLSPolicy')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy', metadata: { name: 'api-stripe-com', namespace: 'shop' },
      spec: {
        targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api-stripe-com', sectionName: 'http' }],
        validation: { hostname: 'api.stripe.com', wellKnownCACertificates: 'System' },
      },
    });
    expect(docs.filter(d => d.kind === 'DestinationRule')).toEqual([]);
    expect(api.backendTlsPolicy).toBeDefined();
  });

  test('CA ConfigMap and SNI from the props; through an egress waypoint too', () => {
    const chart = shop();
    new ExternalApi(chart, 'partner', {
      host: 'api.partner.example.com', tlsOrigination: true, tlsOriginationApi: TrafficApi.GATEWAY_API,
      sni: 'edge.partner.example.com', caCertificates: 'partner-ca', egress: Egress.waypoint({ namespace: 'shop', name: 'waypoint' }),
    });
    expect(findOne(synthValid(chart), 'BackendTLSPolicy').spec.validation).toEqual({
      hostname: 'edge.partner.example.com', caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'partner-ca' }],
    });
  });

  test('Istio origination keeps the DestinationRule and takes sni from the props', () => {
    const chart = shop();
    new ExternalApi(chart, 'partner', { host: 'api.partner.example.com', tlsOrigination: true, sni: 'edge.partner.example.com' });
    expect(findOne(synthValid(chart), 'DestinationRule').spec.trafficPolicy.portLevelSettings[0].tls).toEqual({ mode: 'SIMPLE', sni: 'edge.partner.example.com' });
  });

  test.each([
    [{ tlsOriginationApi: TrafficApi.GATEWAY_API }, /^ExternalApi shop\/x: tlsOriginationApi must be unset unless tlsOrigination is true, got "GATEWAY_API"$/],
    [{ tlsOrigination: true, caCertificates: 'ca' }, /^ExternalApi shop\/x: caCertificates must be unset unless tlsOriginationApi is TrafficApi\.GATEWAY_API \(a BackendTLSPolicy CA ConfigMap\), got "ca"$/],
    [{ tlsOrigination: true, tlsOriginationApi: TrafficApi.GATEWAY_API, circuitBreaker: { maxConnections: 10 } as CircuitBreaker },
      /^ExternalApi shop\/x: tlsOriginationApi must be TrafficApi\.ISTIO with circuitBreaker/],
    [{ tlsOrigination: true, tlsOriginationApi: TrafficApi.GATEWAY_API, egress: Egress.gateway({ namespace: 'istio-egress', selector: { istio: 'egressgateway' } }) },
      /^ExternalApi shop\/x: tlsOriginationApi must be TrafficApi\.ISTIO with Egress\.gateway\(\)/],
  ])('bad input %#', (props, message) => {
    expect(() => new ExternalApi(shop(), 'x', { host: 'api.example.com', ...props })).toThrow(message);
  });
});
