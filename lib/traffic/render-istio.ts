import { ResolvedService } from '../mesh/service-target';
import { TrafficApi } from '../mesh/traffic-api';
import { describeConstruct, MeshError } from '../mesh/errors';
import { MatchCondition, MatchField, MatchType, RequestMatch, renderMatches } from '../request-match';
import { renderTimeout } from '../render';
import { ResilienceIntent, RoutingIntent, trafficPolicy } from './intents';

/** Subset names used in the DestinationRule and VirtualService (Istio target). */
export const STABLE_SUBSET = 'stable';
/** Subset name of the canary version. */
export const CANARY_SUBSET = 'canary';

/** What the renderers of one service read: the service and its (at most one) routing and resilience intent. */
export interface ServiceTraffic {
  readonly service: ResolvedService;
  readonly routing?: RoutingIntent;
  readonly resilience?: ResilienceIntent;
}

function destination(t: ServiceTraffic, subset?: string): Record<string, unknown> {
  const d: Record<string, unknown> = { host: t.service.host, port: { number: t.service.port } };
  if (subset) d.subset = subset;
  return d;
}

/** The weighted catch-all destinations: stable 100-w and canary w (normalized to 100, T4), or the plain host. */
function weighted(t: ServiceTraffic): Record<string, unknown>[] {
  if (!t.routing) return [{ destination: destination(t) }];
  const w = t.routing.canaryWeight;
  return [
    { destination: destination(t, STABLE_SUBSET), weight: 100 - w },
    { destination: destination(t, CANARY_SUBSET), weight: w },
  ];
}

/** Route-level resilience: timeout and retries, or a fault on all traffic. */
function resilienceFields(t: ServiceTraffic): Record<string, unknown> {
  const r = t.resilience;
  const out: Record<string, unknown> = {};
  if (!r) return out;
  if (r.timeout !== undefined) out.timeout = renderTimeout(r.construct, 'timeout', r.timeout, TrafficApi.ISTIO);
  if (r.istioRetries !== undefined) out.retries = r.istioRetries;
  if (r.fault && r.fault.when.length === 0) out.fault = r.fault.istio;
  return out;
}

/**
 * Retry conditions under which the request never reached the upstream application, so a retry
 * cannot repeat a side effect whatever the method: Envoy's `connect-failure`, `refused-stream`
 * (HTTP/2 REFUSED_STREAM) and `reset-before-request` (reset before the request was sent). Istio
 * accepts all three in `retryOn` (istio/istio 1.30.3 pkg/config/validation/validation.go); its
 * default policy is `connect-failure,refused-stream,unavailable,cancelled`
 * (pilot/pkg/networking/core/route/retry/retry.go).
 */
const SAFE_FOR_ANY_METHOD = ['connect-failure', 'refused-stream', 'reset-before-request'];

/**
 * The retries of a rule for the methods outside `retryMethods`: the same attempts on the part of
 * its conditions that is safe for any method (all three when `retryOn` is unset), or none.
 */
function safeRetries(retries: Record<string, any>): Record<string, unknown> {
  const on = typeof retries.retryOn === 'string' ? retries.retryOn.split(',') : SAFE_FOR_ANY_METHOD;
  const safe = SAFE_FOR_ANY_METHOD.filter(c => on.includes(c));
  if (safe.length === 0 || !(retries.attempts > 0)) return { attempts: 0 };
  return { ...retries, retryOn: safe.join(',') };
}

/**
 * Splits a rule into a retried rule for `methods` and a copy for every other method that keeps
 * only the retries safe for any method (#15.10; before: `attempts: 0`, which dropped those too).
 */
function scopeRetries(rule: Record<string, any>, methods: readonly string[] | undefined): Record<string, any>[] {
  if (!methods || rule.retries === undefined) return [rule];
  const method = methods.length === 1 ? { exact: methods[0] } : { regex: `^(${methods.join('|')})$` };
  const matches: Record<string, any>[] = rule.match ?? [{}];
  // A match that already tests a method keeps it: retried only when that method is in the list.
  const retriedMatches = matches
    .filter(m => m.method === undefined || methods.includes(m.method.exact))
    .map(m => (m.method === undefined ? { ...m, method } : m));
  const plain = { ...rule, retries: safeRetries(rule.retries) };
  return retriedMatches.length === 0 ? [plain] : [{ ...rule, name: `${rule.name}-retry`, match: retriedMatches }, plain];
}

function sameCondition(a: MatchCondition, b: MatchCondition): boolean {
  return a.field === b.field && a.type === b.type && a.name === b.name && a.value === b.value;
}

/**
 * `fault` AND `route` as one match; undefined when no request can satisfy both (the same header,
 * path, method or query parameter equal to two different values). Throws when both test the same
 * thing in a way one Istio match cannot express.
 */
function andMatch(t: ServiceTraffic, fault: RequestMatch, faultProp: string, route: RequestMatch, routeProp: string): RequestMatch | undefined {
  const keyOf = (c: MatchCondition) => `${c.field}:${c.field === MatchField.HEADER ? (c.name ?? '').toLowerCase() : c.field === MatchField.COOKIE ? '' : c.name ?? ''}`;
  const extra: MatchCondition[] = [];
  for (const c of route.conditions) {
    const clash = fault.conditions.find(f => keyOf(f) === keyOf(c));
    if (!clash) {
      extra.push(c);
    } else if (!sameCondition(clash, c)) {
      const exact = clash.type === MatchType.EXACT && c.type === MatchType.EXACT && clash.field !== MatchField.COOKIE;
      if (exact) return undefined;
      throw new MeshError(t.resilience!.construct, `${faultProp} and ${describeConstruct(t.routing!.construct)}'s ${routeProp} test the same `
        + `${c.field === MatchField.COOKIE ? 'cookie header' : c.field.toLowerCase()}${c.name && c.field !== MatchField.COOKIE ? ` "${c.name}"` : ''} `
        + 'differently; the fault rule of that route needs both in one Istio match (#15.8), which cannot express it: '
        + 'test different request attributes in faults.when and canaryMatches');
    }
  }
  // RequestMatch.all takes conditions as well as matches.
  return extra.length === 0 ? fault : RequestMatch.all(fault, ...(extra as unknown as RequestMatch[]));
}

/**
 * The fault rule of a route (#15.8): the route's own destination and mirror, the fault, and as
 * matches every `faults.when` ANDed with each of the route's matches; it goes right before the
 * route, so a request matching both keeps the route's destination and mirror (before: one fault
 * rule first, with only the weighted split, which took canary-matched requests off the canary and
 * lost the mirror). No timeout or retries: Istio disables them on a rule that injects faults.
 */
function faultRule(t: ServiceTraffic, rule: Record<string, any>, routeMatches: readonly RequestMatch[] | undefined, routeProp: string): Record<string, unknown> | undefined {
  const fault = t.resilience!.fault!;
  const matches: RequestMatch[] = [];
  fault.when.forEach((f, i) => {
    if (!routeMatches) return void matches.push(f);
    routeMatches.forEach((m, j) => {
      const both = andMatch(t, f, `faults.when[${i}]`, m, `${routeProp}[${j}]`);
      if (both) matches.push(both);
    });
  });
  if (matches.length === 0) return undefined;
  const out: Record<string, unknown> = {
    name: t.routing ? `fault-injection-${rule.name}` : 'fault-injection',
    match: renderMatches(t.resilience!.construct, 'faults.when', matches, TrafficApi.ISTIO),
    route: rule.route,
  };
  if (rule.mirror !== undefined) {
    out.mirror = rule.mirror;
    out.mirrorPercentage = rule.mirrorPercentage;
  }
  out.fault = fault.istio;
  return out;
}

/**
 * The `http` rules of the service's VirtualService, in order: canary-match rule, then the
 * match-less weighted catch-all (always last: T6); with a header-gated fault, each is preceded by
 * its fault rule.
 */
export function istioHttpRules(t: ServiceTraffic): Record<string, unknown>[] {
  const rules: Record<string, any>[] = [];
  const res = resilienceFields(t);
  const gated = t.resilience?.fault && t.resilience.fault.when.length > 0;
  const push = (rule: Record<string, any>, routeMatches: readonly RequestMatch[] | undefined, routeProp: string) => {
    const f = gated ? faultRule(t, rule, routeMatches, routeProp) : undefined;
    if (f) rules.push(f);
    rules.push(...scopeRetries(rule, t.resilience?.retryMethods));
  };
  if (t.routing && t.routing.canaryMatches.length > 0) {
    push({
      name: 'canary-match',
      match: renderMatches(t.routing.construct, 'canaryMatches', t.routing.canaryMatches, TrafficApi.ISTIO),
      route: [{ destination: destination(t, CANARY_SUBSET) }],
      ...res,
    }, t.routing.canaryMatches, 'canaryMatches');
  }
  const catchAll: Record<string, unknown> = { name: t.routing ? 'weighted' : 'default', route: weighted(t), ...res };
  const mirror = t.routing?.mirrorPercent;
  if (mirror !== undefined && mirror > 0) {
    catchAll.mirror = destination(t, CANARY_SUBSET);
    catchAll.mirrorPercentage = { value: mirror };
  }
  push(catchAll, undefined, '');
  return rules;
}

/** VirtualService spec for in-mesh traffic (no `gateways`: the implicit `mesh`). */
export function meshVirtualServiceSpec(t: ServiceTraffic): Record<string, unknown> {
  return { hosts: [t.service.host], http: istioHttpRules(t) };
}

/** VirtualService spec for the ingress gateway binding (hostnames, `gateways: [ns/name]`). */
export function ingressVirtualServiceSpec(t: ServiceTraffic): Record<string, unknown> {
  const ingress = t.routing!.ingress!;
  return { hosts: [...ingress.hostnames], gateways: [`${ingress.namespace}/${ingress.name}`], http: istioHttpRules(t) };
}

/** DestinationRule spec for the service host: traffic policy and, with a canary, the two subsets. */
export function destinationRuleSpec(t: ServiceTraffic): Record<string, unknown> {
  const spec: Record<string, unknown> = { host: t.service.host };
  const policy = trafficPolicy(t.resilience);
  if (policy) spec.trafficPolicy = policy;
  if (t.routing) {
    const label = t.routing.versionLabel;
    spec.subsets = [
      { name: STABLE_SUBSET, labels: { [label]: t.routing.stableVersion } },
      { name: CANARY_SUBSET, labels: { [label]: t.routing.canaryVersion } },
    ];
  }
  return spec;
}
