import { Chart, Duration } from 'cdk8s';
import { MeshTelemetry, RateLimit, Tag, TrafficApi } from '../lib';

/**
 * Observability of `shop` (sidecars): 10% of requests traced to the mesh's `zipkin` provider
 * (declared in meshConfig.extensionProviders), and Envoy access logs for failed requests only.
 */
export function addShopObservability(shop: Chart): void {
  new MeshTelemetry(shop, 'shop-telemetry', {
    namespace: 'shop',
    meshProviders: ['zipkin', 'envoy', 'prometheus'],
    tracing: { samplingPercent: 10, provider: 'zipkin', customTags: { team: Tag.literal('shop') } },
    accessLogs: { filter: 'response.code >= 400' },
  });
}

/**
 * A local rate limit at the example's ingress gateway (the Helm-installed `istio-ingress` gateway,
 * selected by `istio: ingress`): 100 requests per second with bursts of 200, per gateway pod.
 */
export function addIngressRateLimit(shop: Chart): void {
  new RateLimit(shop, 'ingress-rate-limit', {
    target: { gateway: { name: 'istio-ingress', namespace: 'istio-ingress', api: TrafficApi.ISTIO } },
    local: { requests: 100, per: Duration.seconds(1), burst: 200 },
  });
}
