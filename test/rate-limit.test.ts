import { Duration, Testing } from 'cdk8s';
import { AmbientNamespace, IngressGateway, Listener, MeshError, RateLimit, RateLimitDescriptor, TrafficApi } from '../lib';
import { findOne, synthValid, testChart } from './util';

// istio.io "Enabling Rate Limits using Envoy" (https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/)
// and Envoy's token bucket (envoy/type/v3/token_bucket.proto: "The bucket will never contain more
// than max_tokens tokens"; local_ratelimit_impl.cc: fill interval >= 50ms).

const HCM_MATCH = { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } };
const ENABLED = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: 'HUNDRED' } });
const localFilter = (bucket: unknown, extra: Record<string, unknown> = {}) => ({
  name: 'envoy.filters.http.local_ratelimit',
  typed_config: {
    '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
    stat_prefix: 'http_local_rate_limiter',
    token_bucket: bucket,
    filter_enabled: ENABLED('local_rate_limit_enabled'),
    filter_enforced: ENABLED('local_rate_limit_enforced'),
    response_headers_to_add: [{ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key: 'x-local-rate-limit', value: 'true' } }],
    ...extra,
  },
});

describe('RateLimit: local', () => {
  test('on a sidecar: SIDECAR_INBOUND at the pod port, app selector, proxy version range', () => {
    const { chart } = testChart();
    new RateLimit(chart, 'reviews-limit', { target: { name: 'reviews', port: 9080 }, local: { requests: 100, per: Duration.minutes(1), burst: 120 } });
    expect(findOne(synthValid(chart), 'EnvoyFilter')).toEqual({
      apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'reviews-limit', namespace: 'shop' },
      spec: {
        workloadSelector: { labels: { app: 'reviews' } },
        configPatches: [{
          applyTo: 'HTTP_FILTER',
          match: { context: 'SIDECAR_INBOUND', proxy: { proxyVersion: '^1\\.30\\.' }, listener: { portNumber: 9080, filterChain: HCM_MATCH } },
          patch: { operation: 'INSERT_BEFORE', value: localFilter({ max_tokens: 120, tokens_per_fill: 100, fill_interval: '60s' }) },
        }],
      },
    });
  });

  test('on an ingress gateway: GATEWAY context, pods of the Gateway API gateway; per-path limits and status', () => {
    const { chart } = testChart('istio-ingress');
    new RateLimit(chart, 'ingress-limit', {
      target: { gateway: { name: 'public', namespace: 'istio-ingress' } },
      local: { requests: 50, per: Duration.seconds(1), statusCode: 503, perPath: [{ path: '/login', requests: 5, per: Duration.minutes(1) }] },
    });
    expect(findOne(synthValid(chart), 'EnvoyFilter').spec).toEqual({
      workloadSelector: { labels: { 'gateway.networking.k8s.io/gateway-name': 'public' } },
      configPatches: [
        {
          applyTo: 'HTTP_FILTER',
          match: { context: 'GATEWAY', proxy: { proxyVersion: '^1\\.30\\.' }, listener: { filterChain: HCM_MATCH } },
          patch: { operation: 'INSERT_BEFORE', value: localFilter({ max_tokens: 50, tokens_per_fill: 50, fill_interval: '1s' }, {
            status: { code: 503 },
            descriptors: [{ entries: [{ key: 'path', value: '/login' }], token_bucket: { max_tokens: 5, tokens_per_fill: 5, fill_interval: '60s' } }],
            always_consume_default_token_bucket: false,
          }) },
        },
        {
          applyTo: 'VIRTUAL_HOST',
          match: { context: 'GATEWAY', proxy: { proxyVersion: '^1\\.30\\.' }, routeConfiguration: {} },
          patch: { operation: 'MERGE', value: { rate_limits: [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'path' } }] }] } },
        },
      ],
    });
  });

  test('an IngressGateway as the target: its pods by the Gateway API gateway-name label, in its namespace', () => {
    const { chart } = testChart('istio-ingress');
    const ingress = new IngressGateway(chart, 'public', { listeners: [Listener.http({ hostnames: ['shop.example.com'] })] });
    const rl = new RateLimit(chart, 'l', { target: { gateway: ingress }, local: { requests: 10, per: Duration.seconds(1) } });
    const ef = findOne(synthValid(chart), 'EnvoyFilter');
    expect([ef.metadata, ef.spec.workloadSelector, rl.namespace]).toEqual([
      { name: 'l', namespace: 'istio-ingress' }, { labels: { 'gateway.networking.k8s.io/gateway-name': 'public' } }, 'istio-ingress',
    ]);
  });

  test('an Istio-API gateway is selected by the Helm gateway labels', () => {
    const { chart } = testChart('istio-ingress');
    new RateLimit(chart, 'l', { target: { gateway: { name: 'public', namespace: 'istio-ingress', api: TrafficApi.ISTIO } }, local: { requests: 1, per: Duration.seconds(1) } });
    expect(findOne(synthValid(chart), 'EnvoyFilter').spec.workloadSelector).toEqual({ labels: { istio: 'ingress' } });
  });
});

describe('RateLimit: global', () => {
  test('the rate-limit service pattern at the gateway, through the mesh outbound cluster', () => {
    const { chart } = testChart('istio-ingress');
    new RateLimit(chart, 'global', {
      target: { gateway: { name: 'public', namespace: 'istio-ingress' } },
      global: { service: { name: 'ratelimit', namespace: 'rate-limit', port: 8081 }, domain: 'shop', descriptors: [RateLimitDescriptor.header(':path', 'PATH'), RateLimitDescriptor.remoteAddress()] },
    });
    expect(findOne(synthValid(chart), 'EnvoyFilter').spec).toEqual({
      workloadSelector: { labels: { 'gateway.networking.k8s.io/gateway-name': 'public' } },
      configPatches: [
        {
          applyTo: 'HTTP_FILTER',
          match: { context: 'GATEWAY', proxy: { proxyVersion: '^1\\.30\\.' }, listener: { filterChain: HCM_MATCH } },
          patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.ratelimit', typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit',
            domain: 'shop', failure_mode_deny: true, timeout: '0.02s',
            rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: 'outbound|8081||ratelimit.rate-limit.svc.cluster.local' } }, transport_api_version: 'V3' },
          } } },
        },
        {
          applyTo: 'VIRTUAL_HOST',
          match: { context: 'GATEWAY', proxy: { proxyVersion: '^1\\.30\\.' }, routeConfiguration: {} },
          patch: { operation: 'MERGE', value: { rate_limits: [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'PATH' } }, { remote_address: {} }] }] } },
        },
      ],
    });
  });
});

describe('RateLimit: where the dataplane cannot enforce it', () => {
  test('ambient without a waypoint', () => {
    const { chart } = testChart();
    new AmbientNamespace(chart, 'ns', { name: 'shop' });
    new RateLimit(chart, 'l', { target: { name: 'reviews', port: 9080 }, local: { requests: 1, per: Duration.seconds(1) } });
    expect(() => Testing.synth(chart)).toThrow('RateLimit test/l: cannot rate-limit a service of ambient namespace "shop": ztunnel does not process HTTP, and EnvoyFilter does not apply to ambient workloads; rate-limit at the ingress gateway instead (target: { gateway })');
  });

  test('ambient with a waypoint', () => {
    const { chart } = testChart();
    new AmbientNamespace(chart, 'ns', { name: 'shop', waypoint: true });
    new RateLimit(chart, 'l', { target: { name: 'reviews', port: 9080 }, local: { requests: 1, per: Duration.seconds(1) } });
    expect(() => Testing.synth(chart)).toThrow('RateLimit test/l: cannot rate-limit a service of ambient namespace "shop": its waypoint does not apply EnvoyFilter patches (WAYPOINT context is unvalidated in Istio 1.30); rate-limit at the ingress gateway instead (target: { gateway })');
  });
});

describe('RateLimit: bad input', () => {
  const make = (local: any, extra: any = {}) => () => new RateLimit(testChart().chart, 'l', { target: { name: 'reviews', port: 9080 }, local, ...extra });
  test('a rate of 0', () => {
    expect(make({ requests: 0, per: Duration.seconds(1) })).toThrow(MeshError);
    expect(make({ requests: 0, per: Duration.seconds(1) })).toThrow('RateLimit test/l: local.requests must be an integer 1..4294967295 (requests per `per`; a rate of 0 would refuse everything), got 0');
    expect(make({ requests: 1.5, per: Duration.seconds(1) })).toThrow('local.requests must be an integer 1..4294967295');
  });
  test('a fractional per, and one below Envoy\'s 50ms', () => {
    expect(make({ requests: 1, per: Duration.millis(1.5) })).toThrow('RateLimit test/l: local.per must be a whole number of milliseconds, at least 50ms (Envoy\'s minimum token bucket fill interval), got 1.5ms');
    expect(make({ requests: 1, per: Duration.millis(20) })).toThrow('local.per must be a whole number of milliseconds, at least 50ms (Envoy\'s minimum token bucket fill interval), got 20ms');
  });
  test('burst lower than requests', () => {
    expect(make({ requests: 100, per: Duration.minutes(1), burst: 20 })).toThrow('RateLimit test/l: local.burst must be at least requests (100): burst is Envoy\'s max_tokens and the bucket never holds more, so a smaller burst would cap the rate at 20 per interval, got 20');
  });
  test('local and global, neither, bad proxyVersion, bad status', () => {
    const g = { service: { name: 'rl', namespace: 'rl', port: 8081 }, domain: 'd', descriptors: [RateLimitDescriptor.genericKey('k', 'v')] };
    expect(make({ requests: 1, per: Duration.seconds(1) }, { global: g })).toThrow('global must be unset when local is set (one RateLimit per kind; create two RateLimits to combine them), got "d"');
    expect(make(undefined)).toThrow('local must be set, or global (a RateLimit without a limit limits nothing), got undefined');
    expect(make({ requests: 1, per: Duration.seconds(1) }, { proxyVersion: '^1\\.30(' })).toThrow('proxyVersion must be a regular expression on the proxy version');
    expect(make({ requests: 1, per: Duration.seconds(1), statusCode: 200 })).toThrow('local.statusCode must be an integer 400..599, got 200');
  });
});
