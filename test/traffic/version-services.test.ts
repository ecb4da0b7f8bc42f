import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { CanaryRoute, CanaryRouteProps, RouteProtocol, TrafficApi } from '../../lib';
import { warnings } from './helpers';
import { findOne, synthValid, testChart } from '../util';

// #15 item 7: the per-version Services a Gateway API canary creates copy targetPort, port name and
// appProtocol from the Service the App declares (Istio detects the protocol from name/appProtocol,
// and the pods listen on the targetPort, not on the Service port).

function service(chart: Chart, spec: Record<string, unknown>, name = 'reviews'): ApiObject {
  return new ApiObject(chart, `svc-${name}`, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
}

function canary(extra: Partial<CanaryRouteProps> = {}): CanaryRouteProps {
  return { service: { name: 'reviews', port: 80 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api: TrafficApi.GATEWAY_API, ...extra };
}

describe('#15 item 7: per-version Services copy the real Service port', () => {
  test('#15 item 7: a Service 80 -> 8080 with name and appProtocol: both per-version Services copy targetPort, name and appProtocol', () => {
    // GIVEN
    const { chart } = testChart();
    service(chart, { selector: { app: 'reviews' }, ports: [{ name: 'web', port: 80, targetPort: 8080, appProtocol: 'http' }, { name: 'admin', port: 9000 }] });
    // WHEN
    new CanaryRoute(chart, 'reviews', canary());
    const docs = synthValid(chart);
    // THEN
    for (const version of ['v1', 'v2']) {
      expect(findOne(docs, 'Service', `reviews-${version}`).spec).toEqual({
        selector: { app: 'reviews', version },
        ports: [{ name: 'web', port: 80, targetPort: 8080, appProtocol: 'http' }],
      });
    }
    expect(warnings(chart)).toEqual([]);
  });

  test('#15 item 7: a named gRPC targetPort with appProtocol grpc is copied for a gRPC canary (not port 80 over HTTP/1.1)', () => {
    const { chart } = testChart();
    service(chart, { selector: { app: 'reviews' }, ports: [{ name: 'grpc-api', port: 80, targetPort: 'grpc', appProtocol: 'grpc' }] });
    new CanaryRoute(chart, 'reviews', canary({ protocol: RouteProtocol.GRPC }));
    expect(findOne(synthValid(chart), 'Service', 'reviews-v2').spec.ports).toEqual([{ name: 'grpc-api', port: 80, targetPort: 'grpc', appProtocol: 'grpc' }]);
  });

  test('#15 item 7: a Service port without targetPort gives targetPort = port and keeps its name; without a name, the protocol names it', () => {
    const { chart } = testChart();
    service(chart, { selector: { app: 'reviews' }, ports: [{ port: 80 }] });
    new CanaryRoute(chart, 'reviews', canary());
    expect(findOne(synthValid(chart), 'Service', 'reviews-v1').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 80 }]);
    expect(warnings(chart)).toEqual([]);
  });

  test('#15 item 7: the selector of the declared Service (app.kubernetes.io/name) is used, plus the version label', () => {
    const { chart } = testChart();
    service(chart, { selector: { 'app.kubernetes.io/name': 'reviews' }, ports: [{ name: 'http', port: 80, targetPort: 9080 }] });
    new CanaryRoute(chart, 'reviews', canary());
    expect(findOne(synthValid(chart), 'Service', 'reviews-v2').spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'reviews', 'version': 'v2' },
      ports: [{ name: 'http', port: 80, targetPort: 9080 }],
    });
  });

  test('#15 item 7: a cdk8s-plus Service is read the same way (port 80 -> 8080)', () => {
    const { chart } = testChart();
    const deployment = new kplus.Deployment(chart, 'reviews-v1', {
      metadata: { name: 'reviews-v1' },
      podMetadata: { labels: { version: 'v1' } },
      containers: [{ image: 'reviews:v1', portNumber: 8080, securityContext: { ensureNonRoot: false } }],
    });
    new kplus.Service(chart, 'svc', { metadata: { name: 'reviews' }, selector: deployment, ports: [{ port: 80, targetPort: 8080, name: 'http' }] });
    new CanaryRoute(chart, 'reviews', canary());
    const docs = Testing.synth(chart);
    const spec = findOne(docs, 'Service', 'reviews-v2').spec;
    expect(spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
    expect(spec.selector.version).toEqual('v2');
  });

  test('#15 item 7: props win over the declared Service (targetPort and selector)', () => {
    const { chart } = testChart();
    service(chart, { selector: { app: 'reviews' }, ports: [{ name: 'web', port: 80, targetPort: 8080, appProtocol: 'http' }] });
    new CanaryRoute(chart, 'reviews', canary({ targetPort: 8081, selector: { tier: 'reviews' } }));
    expect(findOne(synthValid(chart), 'Service', 'reviews-v1').spec).toEqual({
      selector: { tier: 'reviews', version: 'v1' },
      ports: [{ name: 'web', port: 80, targetPort: 8081, appProtocol: 'http' }],
    });
  });

  test('#15 item 7: an unknown Service without targetPort warns what was assumed', () => {
    const { chart } = testChart();
    new CanaryRoute(chart, 'reviews', canary());
    const docs = Testing.synth(chart);
    expect(findOne(docs, 'Service', 'reviews-v1').spec).toEqual({ selector: { app: 'reviews', version: 'v1' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] });
    expect(warnings(chart)).toEqual([
      'CanaryRoute test/reviews: Service shop/reviews is not in the App, so the per-version Services reviews-v1 and reviews-v2 assume '
      + 'targetPort 80 and no appProtocol; set targetPort (and selector) to the real Service\'s, or declare the Service in the App',
    ]);
  });

  test('#15 item 7: an unknown Service with targetPort given does not warn', () => {
    const { chart } = testChart();
    new CanaryRoute(chart, 'reviews', canary({ targetPort: 'http' }));
    const docs = Testing.synth(chart);
    expect(findOne(docs, 'Service', 'reviews-v1').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    expect(warnings(chart)).toEqual([]);
  });

  test('#15 item 7: a declared Service that does not expose the routed port fails synth naming its ports', () => {
    const { chart } = testChart();
    service(chart, { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }, { name: 'admin', port: 9000 }] });
    new CanaryRoute(chart, 'reviews', canary());
    expect(() => Testing.synth(chart)).toThrow('CanaryRoute test/reviews: service.port 80 is not a port of Service shop/reviews in the App '
      + '(ports: 9080, 9000); route a port the Service exposes');
  });

  test('#15 item 7: the Istio target creates no per-version Service and never warns about the target port', () => {
    const { chart } = testChart();
    new CanaryRoute(chart, 'reviews', canary({ api: TrafficApi.ISTIO }));
    const docs = Testing.synth(chart);
    expect(docs.filter(d => d.kind === 'Service')).toEqual([]);
    expect(warnings(chart)).toEqual([]);
  });
});
