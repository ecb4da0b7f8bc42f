import { Egress } from '../../lib/egress';
import { ExternalApi } from '../../lib/external-api';
import { EgressWaypoint } from '../../lib/egress-waypoint';
import { findOne, synthValid, testChart } from '../util';

// Egress waypoint as in https://istio.io/latest/docs/ambient/usage/egress-gateway/ (`istioctl waypoint
// apply --for service`); cross-namespace attachment needs the HBONE listener's allowedRoutes:
// https://istio.io/latest/docs/ambient/usage/waypoint/#use-a-waypoint-from-another-namespace

describe('EgressWaypoint', () => {
  test('alone: a service waypoint Gateway in the chart namespace, same-namespace attachment only (no allowedRoutes)', () => {
    // GIVEN
    const { chart } = testChart('istio-egress');
    // WHEN
    const wp = new EgressWaypoint(chart, 'wp');
    // THEN
    expect(synthValid(chart)).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'egress-waypoint', namespace: 'istio-egress', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    }]);
    expect(wp.name).toBe('egress-waypoint');
    expect(wp.namespace).toBe('istio-egress');
  });

  test('ExternalApis from several namespaces: allowedRoutes selects exactly those namespaces, sorted; its own namespace is not listed', () => {
    // GIVEN
    const { chart } = testChart(null);
    const wp = new EgressWaypoint(chart, 'wp', { namespace: 'istio-egress', name: 'egress' });
    // WHEN
    new ExternalApi(chart, 'shop', { host: 'a.example.com', namespace: 'shop', egress: Egress.waypoint(wp) });
    new ExternalApi(chart, 'payments', { host: 'b.example.com', namespace: 'payments', egress: Egress.waypoint(wp) });
    new ExternalApi(chart, 'local', { host: 'c.example.com', namespace: 'istio-egress', egress: Egress.waypoint(wp) });
    wp.allowNamespace('payments');
    // THEN
    const gw = findOne(synthValid(chart), 'Gateway');
    expect(gw.spec.listeners).toEqual([{
      name: 'mesh',
      port: 15008,
      protocol: 'HBONE',
      allowedRoutes: {
        namespaces: {
          from: 'Selector',
          selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['payments', 'shop'] }] },
        },
      },
    }]);
  });

  test('bad input', () => {
    expect(() => new EgressWaypoint(testChart(null).chart, 'wp'))
      .toThrow('EgressWaypoint test/wp: namespace must be set, because the chart has no namespace, got undefined');
    expect(() => new EgressWaypoint(testChart().chart, 'wp', { name: 'Egress_Waypoint' }))
      .toThrow(/EgressWaypoint test\/wp: name must be a DNS-1123 label .*got "Egress_Waypoint"/);
    const wp = new EgressWaypoint(testChart().chart, 'wp');
    expect(() => wp.allowNamespace('Not A Namespace')).toThrow(/EgressWaypoint test\/wp: allowNamespace\(namespace\) must be a DNS-1123 label/);
  });
});
