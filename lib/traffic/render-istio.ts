import { ResolvedService } from '../mesh/service-target';
import { TrafficApi } from '../mesh/traffic-api';
import { renderMatches } from '../request-match';
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

/**
 * The `http` rules of the service's VirtualService, in order: header-gated fault rule, canary-match
 * rule, then the match-less weighted catch-all (always last: T6).
 */
export function istioHttpRules(t: ServiceTraffic): Record<string, unknown>[] {
  const rules: Record<string, any>[] = [];
  const res = resilienceFields(t);
  const fault = t.resilience?.fault;
  if (fault && fault.when.length > 0) {
    rules.push({
      name: 'fault-injection',
      match: renderMatches(t.resilience!.construct, 'faults.when', fault.when, TrafficApi.ISTIO),
      route: weighted(t),
      fault: fault.istio,
    });
  }
  const methods = t.resilience?.retryMethods;
  if (t.routing && t.routing.canaryMatches.length > 0) {
    rules.push(...scopeRetries({
      name: 'canary-match',
      match: renderMatches(t.routing.construct, 'canaryMatches', t.routing.canaryMatches, TrafficApi.ISTIO),
      route: [{ destination: destination(t, CANARY_SUBSET) }],
      ...res,
    }, methods));
  }
  const catchAll: Record<string, unknown> = { name: t.routing ? 'weighted' : 'default', route: weighted(t), ...res };
  const mirror = t.routing?.mirrorPercent;
  if (mirror !== undefined && mirror > 0) {
    catchAll.mirror = destination(t, CANARY_SUBSET);
    catchAll.mirrorPercentage = { value: mirror };
  }
  rules.push(...scopeRetries(catchAll, methods));
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
