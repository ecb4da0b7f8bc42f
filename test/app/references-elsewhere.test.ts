import { Testing } from 'cdk8s';
import { AmbientNamespace, CanaryRoute, MeshContext, TrafficApi } from '../../lib';
import { formatDiagnostic, validateManifests } from '../../lib/tools';
import { testChart } from '../util';

// #15 item 11: objects the library generates (the per-version Services of a Gateway API canary)
// never decide whether a reference is missing. A CanaryRoute on a Service defined elsewhere
// synthesizes (the reference is an info), and fails only under strict mode.

const PARENT_INFO = 'IST0101 HTTPRoute shop/reviews spec.parentRefs[0]: Referenced parent Service not found: "shop/reviews" (not in the manifest set; checked only when it is)';

describe('#15 item 11: the minimal app on a Service defined elsewhere', () => {
  test.each([
    ['sidecar, Gateway API', false, TrafficApi.GATEWAY_API, ['HTTPRoute/reviews', 'Service/reviews-v1', 'Service/reviews-v2']],
    ['sidecar, Istio API', false, TrafficApi.ISTIO, ['VirtualService/reviews', 'DestinationRule/reviews']],
    ['ambient, Gateway API', true, TrafficApi.GATEWAY_API, ['HTTPRoute/reviews', 'Service/reviews-v1', 'Service/reviews-v2']],
    ['ambient, Istio API', true, TrafficApi.ISTIO, ['VirtualService/reviews', 'DestinationRule/reviews']],
  ])('#15 item 11: %s synthesizes', (_name, ambient, api, expected) => {
    const { chart } = testChart();
    if (ambient) new AmbientNamespace(chart, 'ns', { name: 'shop', waypoint: true });
    new CanaryRoute(chart, 'reviews', {
      service: { name: 'reviews', port: 9080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api, targetPort: 9080,
      allowVirtualServiceInAmbient: ambient && api === TrafficApi.ISTIO,
    });
    const kinds = Testing.synth(chart).map(d => `${d.kind}/${d.metadata.name}`);
    expect(kinds).toEqual(expect.arrayContaining(expected as string[]));
  });

  test('#15 item 11: the unresolved parent Service is an info, not a warning or an error', () => {
    const { chart } = testChart();
    new CanaryRoute(chart, 'reviews', { service: { name: 'reviews', port: 9080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api: TrafficApi.GATEWAY_API, targetPort: 9080 });
    const docs = Testing.synth(chart);
    // The plain-JSON validator does not know which objects were generated: the generated Services make it a warning there.
    expect(validateManifests(docs).filter(d => d.code === 'IST0101').map(d => d.severity)).toEqual(['warning']);
    expect(formatDiagnostic({ ...validateManifests(docs, { generated: [1, 2] }).find(d => d.code === 'IST0101')!, index: undefined })).toContain(PARENT_INFO);
    expect(MeshContext.of(chart).warnings).toEqual([]);
  });

  test('#15 item 11: under strict mode the Service defined elsewhere fails synth', () => {
    const { chart } = testChart();
    MeshContext.of(chart).strict = true;
    new CanaryRoute(chart, 'reviews', { service: { name: 'reviews', port: 9080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api: TrafficApi.GATEWAY_API, targetPort: 9080 });
    expect(() => Testing.synth(chart)).toThrow('[test/reviews/HTTPRoute] error IST0101 HTTPRoute shop/reviews spec.parentRefs[0]: Referenced parent Service not found: "shop/reviews"');
  });
});
