// Pure renderers of the EnvoyFilters that rate-limit with Envoy, as istio.io "Enabling Rate Limits
// using Envoy" configures them (https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/),
// with the traps of that page fixed: current filter names (not `envoy.http_connection_manager`),
// the `match` key on every patch, inbound patches with context SIDECAR_INBOUND, and a proxy
// version range in every `match` so that a proxy upgrade drops the patch instead of breaking it.

export const HCM = 'envoy.filters.network.http_connection_manager';
export const ROUTER = 'envoy.filters.http.router';
const LOCAL_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
const GLOBAL_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit';

/** Where the limit is enforced. */
export interface Placement {
  /** SIDECAR_INBOUND (the service's own sidecars) or GATEWAY (an ingress gateway). */
  readonly context: 'SIDECAR_INBOUND' | 'GATEWAY';
  /** The pods, by label. */
  readonly workloadLabels: Readonly<Record<string, string>>;
  /** Inbound listener port (the container port); undefined for every port. */
  readonly port?: number;
  /** Regex on the proxy version (`match.proxy.proxyVersion`). */
  readonly proxyVersion: string;
}

/** A token bucket: `tokens` added every `fillMillis`, at most `maxTokens` held. */
export interface Bucket {
  readonly maxTokens: number;
  readonly tokensPerFill: number;
  readonly fillMillis: number;
}

/** A local limit, checked. */
export interface LocalIntent {
  readonly bucket: Bucket;
  readonly statusCode: number;
  readonly perPath: ReadonlyArray<{ readonly path: string; readonly bucket: Bucket }>;
}

/** One descriptor entry of a global limit: a request header, the client address or a constant. */
export type DescriptorIntent =
  | { readonly kind: 'header'; readonly header: string; readonly key: string }
  | { readonly kind: 'remoteAddress' }
  | { readonly kind: 'generic'; readonly key: string; readonly value: string };

/** A global limit, checked. */
export interface GlobalIntent {
  readonly cluster: string;
  readonly domain: string;
  readonly timeoutMillis: number;
  readonly failureModeDeny: boolean;
  readonly descriptors: readonly DescriptorIntent[];
}

function seconds(ms: number): string {
  return `${ms / 1000}s`;
}

function bucket(b: Bucket): Record<string, unknown> {
  return { max_tokens: b.maxTokens, tokens_per_fill: b.tokensPerFill, fill_interval: seconds(b.fillMillis) };
}

const enabled = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: 'HUNDRED' } });

function listenerMatch(p: Placement): Record<string, unknown> {
  return {
    context: p.context,
    proxy: { proxyVersion: p.proxyVersion },
    listener: {
      ...(p.port !== undefined ? { portNumber: p.port } : {}),
      filterChain: { filter: { name: HCM, subFilter: { name: ROUTER } } },
    },
  };
}

function routeMatch(p: Placement): Record<string, unknown> {
  return {
    context: p.context,
    proxy: { proxyVersion: p.proxyVersion },
    routeConfiguration: {
      ...(p.port !== undefined && p.context === 'SIDECAR_INBOUND' ? { vhost: { name: `inbound|http|${p.port}` } } : {}),
    },
  };
}

/** The spec of the EnvoyFilter of a local rate limit. */
export function localRateLimitSpec(p: Placement, l: LocalIntent): Record<string, unknown> {
  const config: Record<string, unknown> = {
    '@type': LOCAL_TYPE,
    stat_prefix: 'http_local_rate_limiter',
    token_bucket: bucket(l.bucket),
    filter_enabled: enabled('local_rate_limit_enabled'),
    filter_enforced: enabled('local_rate_limit_enforced'),
    ...(l.statusCode !== 429 ? { status: { code: l.statusCode } } : {}),
    response_headers_to_add: [{ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key: 'x-local-rate-limit', value: 'true' } }],
    ...(l.perPath.length > 0 ? {
      descriptors: l.perPath.map(pp => ({ entries: [{ key: 'path', value: pp.path }], token_bucket: bucket(pp.bucket) })),
      always_consume_default_token_bucket: false,
    } : {}),
  };
  const patches: unknown[] = [{
    applyTo: 'HTTP_FILTER',
    match: listenerMatch(p),
    patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.local_ratelimit', typed_config: config } },
  }];
  if (l.perPath.length > 0) {
    patches.push({
      applyTo: 'VIRTUAL_HOST',
      match: routeMatch(p),
      patch: { operation: 'MERGE', value: { rate_limits: [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'path' } }] }] } },
    });
  }
  return { workloadSelector: { labels: { ...p.workloadLabels } }, configPatches: patches };
}

function action(d: DescriptorIntent): Record<string, unknown> {
  if (d.kind === 'header') return { request_headers: { header_name: d.header, descriptor_key: d.key } };
  if (d.kind === 'remoteAddress') return { remote_address: {} };
  return { generic_key: { descriptor_key: d.key, descriptor_value: d.value } };
}

/**
 * The spec of the EnvoyFilter of a global rate limit: the `envoy.filters.http.ratelimit` filter
 * calling the rate-limit service through the mesh's own outbound cluster (mTLS, no hand-written
 * cluster), and the descriptors on every route of the listener's virtual hosts.
 */
export function globalRateLimitSpec(p: Placement, g: GlobalIntent): Record<string, unknown> {
  return {
    workloadSelector: { labels: { ...p.workloadLabels } },
    configPatches: [
      {
        applyTo: 'HTTP_FILTER',
        match: listenerMatch(p),
        patch: {
          operation: 'INSERT_BEFORE',
          value: {
            name: 'envoy.filters.http.ratelimit',
            typed_config: {
              '@type': GLOBAL_TYPE,
              domain: g.domain,
              failure_mode_deny: g.failureModeDeny,
              timeout: seconds(g.timeoutMillis),
              rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: g.cluster } }, transport_api_version: 'V3' },
            },
          },
        },
      },
      {
        applyTo: 'VIRTUAL_HOST',
        match: routeMatch(p),
        patch: { operation: 'MERGE', value: { rate_limits: [{ actions: g.descriptors.map(action) }] } },
      },
    ],
  };
}
