import { Code } from '../codes';
import { re2SyntaxError } from './re2-syntax';
import { checkSelectorLabels } from './common';
import { arr, Findings, isSet, obj, q, str } from './context';

// istiod's admission rules for EnvoyFilter (istio/istio 1.30
// pkg/config/validation/envoyfilter/envoyfilter.go `ValidateEnvoyFilter`). The CRD carries the
// rest (enums, waypoint matches only with context WAYPOINT, workloadSelector and targetRefs
// together, wildcard label values). istiod also decodes every patch value into the Envoy proto
// of `applyTo`; without Envoy's protos we check the part of that which fails most often: the
// `@type` of typed configs (v2 types are gone) and filters configured by name only.

const LISTENER_CLASS = new Set(['LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER']);
const ROUTE_CLASS = new Set(['ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE']);
const FILTER_KINDS = new Set(['NETWORK_FILTER', 'HTTP_FILTER', 'LISTENER_FILTER']);
const HCM = 'envoy.filters.network.http_connection_manager';

/** Envoy's deprecated filter names and the names that replace them (istio pkg/config/xds/deprecated.go). */
const DEPRECATED_NAMES: Record<string, string> = {
  'envoy.buffer': 'envoy.filters.http.buffer',
  'envoy.cors': 'envoy.filters.http.cors',
  'envoy.csrf': 'envoy.filters.http.csrf',
  'envoy.http_dynamo_filter': 'envoy.filters.http.dynamo',
  'envoy.ext_authz': 'envoy.filters.http.ext_authz (or envoy.filters.network.ext_authz)',
  'envoy.fault': 'envoy.filters.http.fault',
  'envoy.grpc_http1_bridge': 'envoy.filters.http.grpc_http1_bridge',
  'envoy.grpc_json_transcoder': 'envoy.filters.http.grpc_json_transcoder',
  'envoy.grpc_web': 'envoy.filters.http.grpc_web',
  'envoy.gzip': 'envoy.filters.http.gzip',
  'envoy.health_check': 'envoy.filters.http.health_check',
  'envoy.ip_tagging': 'envoy.filters.http.ip_tagging',
  'envoy.lua': 'envoy.filters.http.lua',
  'envoy.rate_limit': 'envoy.filters.http.ratelimit',
  'envoy.router': 'envoy.filters.http.router',
  'envoy.squash': 'envoy.filters.http.squash',
  'envoy.listener.http_inspector': 'envoy.filters.listener.http_inspector',
  'envoy.listener.original_dst': 'envoy.filters.listener.original_dst',
  'envoy.listener.original_src': 'envoy.filters.listener.original_src',
  'envoy.listener.proxy_protocol': 'envoy.filters.listener.proxy_protocol',
  'envoy.listener.tls_inspector': 'envoy.filters.listener.tls_inspector',
  'envoy.client_ssl_auth': 'envoy.filters.network.client_ssl_auth',
  'envoy.http_connection_manager': HCM,
  'envoy.mongo_proxy': 'envoy.filters.network.mongo_proxy',
  'envoy.ratelimit': 'envoy.filters.network.ratelimit',
  'envoy.redis_proxy': 'envoy.filters.network.redis_proxy',
  'envoy.tcp_proxy': 'envoy.filters.network.tcp_proxy',
};

function checkDeprecatedName(f: Findings, path: string, name: unknown): void {
  const replacement = typeof name === 'string' ? DEPRECATED_NAMES[name] : undefined;
  if (replacement) f.warn(Code.CI2157, path, `using deprecated filter name ${q(name)}; use ${q(replacement)} instead`);
}

function checkSelector(f: Findings, spec: Record<string, any>): void {
  const labels = obj(obj(spec.workloadSelector)?.labels);
  for (const key of Object.keys(labels ?? {})) {
    if (key === '') f.error(Code.CI2151, 'spec.workloadSelector.labels', 'empty key is not supported in selector');
    else if (key.includes('*')) f.error(Code.CI2151, `spec.workloadSelector.labels`, `wildcard is not supported in selector key ${q(key)}`);
  }
  checkSelectorLabels(f, 'spec.workloadSelector', spec.workloadSelector, 'labels');
}

/** Every `@type` in a patch value, with its path. */
function typeUrls(value: unknown, path: string, out: Array<[string, string]>): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => typeUrls(v, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '@type' && typeof v === 'string') out.push([`${path}["@type"]`, v]);
      else typeUrls(v, `${path}.${k}`, out);
    }
  }
}

function checkValue(f: Findings, path: string, applyTo: string, value: Record<string, any>): void {
  const urls: Array<[string, string]> = [];
  typeUrls(value, `${path}.value`, urls);
  for (const [p, url] of urls) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    if (name === '') {
      f.error(Code.CI2158, p, `referenced type ${q(url)} names no message; use type.googleapis.com/<proto message>`);
    } else if (/\.v2(alpha\d*)?\./.test(name)) {
      f.error(Code.CI2158, p, `referenced type unknown (hint: try using the v3 XDS API): ${q(url)}`);
    }
  }
  if (FILTER_KINDS.has(applyTo) && typeof value.name === 'string'
    && !isSet(value.typed_config) && !isSet(value.typedConfig) && !isSet(value.config_discovery) && !isSet(value.configDiscovery)) {
    f.warn(Code.CI2159, `${path}.value`, `using deprecated types by name without typed_config; ${value.name}`);
  }
}

function checkMatch(f: Findings, path: string, applyTo: string, match: Record<string, any>): void {
  const typed = ['listener', 'routeConfiguration', 'cluster', 'waypoint'].some(k => isSet(match[k]));
  if (!typed) return;
  if (LISTENER_CLASS.has(applyTo)) {
    const listener = obj(match.listener);
    if (!listener) {
      f.error(Code.CI2154, `${path}.match`, `applyTo ${applyTo} (a listener class object) cannot have a non-listener match; match on listener`);
      return;
    }
    const filter = obj(obj(listener.filterChain)?.filter);
    if (!filter) return;
    const fpath = `${path}.match.listener.filterChain.filter`;
    if (applyTo === 'LISTENER' || applyTo === 'FILTER_CHAIN') {
      f.warn(Code.CI2156, fpath, `filter match has no effect when used with ${applyTo}`);
    }
    const name = str(filter.name) ?? '';
    const sub = obj(filter.subFilter);
    if (name === '') {
      f.error(Code.CI2155, `${fpath}.name`, 'filter match has no name to match on');
      return;
    }
    if (sub) {
      if (applyTo !== 'HTTP_FILTER') {
        f.error(Code.CI2155, `${fpath}.subFilter`, `subfilter match can be used with applyTo HTTP_FILTER only, not ${applyTo}`);
        return;
      }
      if (name !== HCM && name !== 'envoy.http_connection_manager') {
        f.error(Code.CI2155, `${fpath}.subFilter`, `subfilter match requires filter match with ${HCM}, got ${q(name)}`);
        return;
      }
      if ((str(sub.name) ?? '') === '') {
        f.error(Code.CI2155, `${fpath}.subFilter.name`, 'subfilter match has no name to match on');
        return;
      }
    }
    checkDeprecatedName(f, `${fpath}.name`, name);
    if (sub) checkDeprecatedName(f, `${fpath}.subFilter.name`, sub.name);
  } else if (ROUTE_CLASS.has(applyTo) && !isSet(match.routeConfiguration)) {
    f.error(Code.CI2154, `${path}.match`, `applyTo ${applyTo} (an http route class object) cannot have a non route configuration match; match on routeConfiguration`);
  } else if (applyTo === 'CLUSTER' && !isSet(match.cluster)) {
    f.error(Code.CI2154, `${path}.match`, 'applyTo CLUSTER cannot have a non cluster match; match on cluster');
  }
}

function checkPatch(f: Findings, path: string, cpv: unknown): void {
  const cp = obj(cpv);
  if (!cp) {
    f.error(Code.CI2152, path, 'null config patch');
    return;
  }
  const match = obj(cp.match);
  // istiod does not validate waypoint patches yet.
  if (match?.context === 'WAYPOINT') return;
  const applyTo = str(cp.applyTo) ?? 'INVALID';
  const patch = obj(cp.patch);
  const operation = str(patch?.operation) ?? 'INVALID';
  if (applyTo === 'INVALID') return f.error(Code.CI2152, `${path}.applyTo`, 'missing applyTo');
  if (!patch) return f.error(Code.CI2152, `${path}.patch`, 'missing patch');
  if (operation === 'INVALID') return f.error(Code.CI2152, `${path}.patch.operation`, 'missing patch operation');
  const value = obj(patch.value);
  if (operation !== 'REMOVE' && !value) return f.error(Code.CI2152, `${path}.patch.value`, `missing patch value for non-remove operation ${operation}`);
  const version = str(obj(match?.proxy)?.proxyVersion);
  const versionProblem = version ? re2SyntaxError(version) : undefined;
  if (versionProblem) return f.error(Code.CI2153, `${path}.match.proxy.proxyVersion`, `invalid regex for proxy version ${q(version)}: ${versionProblem} (RE2 syntax)`);
  if (match) checkMatch(f, path, applyTo, match);
  if (value) checkValue(f, `${path}.patch`, applyTo, value);
}

/** Validates an EnvoyFilter spec. */
export function validateEnvoyFilter(f: Findings, spec: Record<string, any>): void {
  f.warn(Code.CI2150, 'spec', 'EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.');
  checkSelector(f, spec);
  arr(spec.configPatches).forEach((cp, i) => checkPatch(f, `spec.configPatches[${i}]`, cp));
}
