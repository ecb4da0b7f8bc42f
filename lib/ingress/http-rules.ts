import { IConstruct } from 'constructs';
import { istioDuration } from '../mesh/duration';
import { MeshError } from '../mesh/errors';
import { TrafficApi } from '../mesh/traffic-api';
import { Duration } from 'cdk8s';
import { MatchField, MatchType, RequestMatch, renderMatches } from '../request-match';

// HTTP rules of gateway and mesh routes (IngressGateway.expose, HttpRouter): intents and the pure
// renderers for both APIs.

/** A backend Service port, resolved. */
export interface BackendIntent {
  readonly name: string;
  readonly namespace: string;
  readonly port: number;
  /** Relative weight; undefined when the rule has one backend. */
  readonly weight?: number;
}

/** One rule, checked. Exactly one of `to`, `redirect`, `respond`. */
export interface HttpRuleIntent {
  /** The construct that contributed the rule (named in conflicts). */
  readonly owner: IConstruct;
  /** `rules[2]`, for messages. */
  readonly prop: string;
  /** ORed matches; empty = every request. */
  readonly matches: readonly RequestMatch[];
  readonly to?: readonly BackendIntent[];
  readonly redirect?: { readonly path?: string; readonly statusCode: number; readonly scheme?: string; readonly hostname?: string; readonly port?: number };
  readonly respond?: { readonly status: number; readonly body?: string };
  readonly rewritePath?: string;
  readonly setRequestHeaders: Readonly<Record<string, string>>;
}

/** CORS, checked. */
export interface CorsIntent {
  readonly owner: IConstruct;
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAge?: Duration;
  readonly allowCredentials?: boolean;
}

/** True for a rule that matches every request (no match, or only the path prefix `/`): Istio stops there. */
export function isCatchAll(rule: HttpRuleIntent): boolean {
  if (rule.matches.length === 0) return true;
  return rule.matches.some(m => m.conditions.length === 1 && m.conditions[0].field === MatchField.PATH
    && m.conditions[0].type === MatchType.PREFIX && m.conditions[0].value === '/');
}

/** A key that two rules share when they match the same requests (for conflicts). */
export function matchKey(rule: HttpRuleIntent): string {
  if (isCatchAll(rule)) return '*';
  return JSON.stringify(rule.matches.map(m => m.conditions.map(c => [c.field, c.type, c.name ?? '', c.value]).sort()).sort());
}

function fqdn(b: BackendIntent): string {
  return `${b.name}.${b.namespace}.svc.cluster.local`;
}

function istioCors(c: CorsIntent): Record<string, unknown> {
  const out: Record<string, unknown> = {
    allowOrigins: c.allowOrigins.map(o => (o === '*' ? { regex: '.*' } : { exact: o })),
  };
  if (c.allowMethods.length > 0) out.allowMethods = [...c.allowMethods];
  if (c.allowHeaders.length > 0) out.allowHeaders = [...c.allowHeaders];
  if (c.exposeHeaders.length > 0) out.exposeHeaders = [...c.exposeHeaders];
  if (c.maxAge !== undefined) out.maxAge = istioDuration(c.owner, 'cors.maxAge', c.maxAge);
  if (c.allowCredentials !== undefined) out.allowCredentials = c.allowCredentials;
  return out;
}

function gatewayCors(c: CorsIntent): Record<string, unknown> {
  const cors: Record<string, unknown> = { allowOrigins: [...c.allowOrigins] };
  if (c.allowMethods.length > 0) cors.allowMethods = [...c.allowMethods];
  if (c.allowHeaders.length > 0) cors.allowHeaders = [...c.allowHeaders];
  if (c.exposeHeaders.length > 0) cors.exposeHeaders = [...c.exposeHeaders];
  if (c.maxAge !== undefined) {
    const s = c.maxAge.toSeconds({ integral: false });
    if (!Number.isInteger(s) || s < 1) throw MeshError.invalid(c.owner, 'cors.maxAge', c.maxAge, 'a whole number of seconds, at least 1, for Gateway API (CORS maxAge is in seconds)');
    cors.maxAge = s;
  }
  if (c.allowCredentials !== undefined) cors.allowCredentials = c.allowCredentials;
  return { type: 'CORS', cors };
}

/** One Istio `http` rule. */
export function istioRule(rule: HttpRuleIntent, name: string | undefined, cors: CorsIntent | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (name !== undefined) out.name = name;
  if (rule.matches.length > 0) {
    out.match = renderMatches(rule.owner, `${rule.prop}.matches`, rule.matches, TrafficApi.ISTIO);
  }
  if (rule.redirect) {
    const r = rule.redirect;
    const redirect: Record<string, unknown> = {};
    if (r.path !== undefined) redirect.uri = r.path;
    if (r.hostname !== undefined) redirect.authority = r.hostname;
    if (r.scheme !== undefined) redirect.scheme = r.scheme;
    if (r.port !== undefined) redirect.port = r.port;
    redirect.redirectCode = r.statusCode;
    out.redirect = redirect;
  } else if (rule.respond) {
    out.directResponse = { status: rule.respond.status, ...(rule.respond.body !== undefined ? { body: { string: rule.respond.body } } : {}) };
  } else {
    if (rule.rewritePath !== undefined) out.rewrite = { uri: rule.rewritePath };
    out.route = rule.to!.map(b => ({
      destination: { host: fqdn(b), port: { number: b.port } },
      ...(b.weight !== undefined ? { weight: b.weight } : {}),
    }));
    if (Object.keys(rule.setRequestHeaders).length > 0) out.headers = { request: { set: { ...rule.setRequestHeaders } } };
    if (cors) out.corsPolicy = istioCors(cors);
  }
  return out;
}

function pathType(rule: HttpRuleIntent): MatchType | undefined {
  const types = new Set(rule.matches.map(m => m.conditions.find(c => c.field === MatchField.PATH)?.type));
  return types.size === 1 ? [...types][0] : undefined;
}

/** One Gateway API HTTPRoute rule; `routeNamespace` is where the HTTPRoute lives. */
export function gatewayRule(rule: HttpRuleIntent, routeNamespace: string, cors: CorsIntent | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (rule.matches.length > 0) out.matches = renderMatches(rule.owner, `${rule.prop}.matches`, rule.matches, TrafficApi.GATEWAY_API);
  const filters: Record<string, unknown>[] = [];
  if (rule.redirect) {
    const r = rule.redirect;
    const redirect: Record<string, unknown> = {};
    if (r.scheme !== undefined) redirect.scheme = r.scheme;
    if (r.hostname !== undefined) redirect.hostname = r.hostname;
    if (r.path !== undefined) redirect.path = { type: 'ReplaceFullPath', replaceFullPath: r.path };
    if (r.port !== undefined) redirect.port = r.port;
    redirect.statusCode = r.statusCode;
    filters.push({ type: 'RequestRedirect', requestRedirect: redirect });
  } else if (rule.respond) {
    // Istio answers a rule without backendRefs with 404 (pilot/pkg/config/kube/gateway/conversion.go,
    // "No backends specified at all; per the Gateway API spec return 404"): the only direct response.
    if (rule.respond.status !== 404 || rule.respond.body !== undefined) {
      throw MeshError.invalid(rule.owner, `${rule.prop}.respond`, rule.respond,
        'respond({ status: 404 }) without a body for TrafficApi.GATEWAY_API (HTTPRoute has no direct-response filter; a rule without backends answers 404); use TrafficApi.ISTIO');
    }
  } else {
    if (rule.rewritePath !== undefined) {
      const exact = pathType(rule) === MatchType.EXACT;
      filters.push({
        type: 'URLRewrite',
        urlRewrite: { path: exact ? { type: 'ReplaceFullPath', replaceFullPath: rule.rewritePath } : { type: 'ReplacePrefixMatch', replacePrefixMatch: rule.rewritePath } },
      });
    }
    const set = Object.entries(rule.setRequestHeaders);
    if (set.length > 0) filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: { set: set.map(([name, value]) => ({ name, value })) } });
    if (cors) filters.push(gatewayCors(cors));
  }
  if (filters.length > 0) out.filters = filters;
  if (rule.to) {
    out.backendRefs = rule.to.map(b => ({
      name: b.name,
      ...(b.namespace !== routeNamespace ? { namespace: b.namespace } : {}),
      port: b.port,
      ...(b.weight !== undefined ? { weight: b.weight } : {}),
    }));
  }
  return out;
}

/** Checks that `rewritePath` can be expressed: every match tests the path, all with the same type. */
export function checkRewrite(rule: HttpRuleIntent): void {
  if (rule.rewritePath === undefined) return;
  if (rule.matches.length === 0 || rule.matches.some(m => !m.conditions.some(c => c.field === MatchField.PATH)) || pathType(rule) === undefined) {
    throw MeshError.invalid(rule.owner, `${rule.prop}.rewritePath`, rule.rewritePath,
      'used on a rule whose matches all test the path the same way (all pathPrefix or all pathExact): the rewrite replaces the matched path');
  }
}
