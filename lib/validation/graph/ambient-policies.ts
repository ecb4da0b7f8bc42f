import { GraphContext } from './support/context';
import { arr, GK, ref, str } from './support/model';
import { action, hasTargetRefs, l7Attributes, targetRefs } from './support/policies';
import { parentTarget } from './route-refs';
import { serviceBinding } from './support/waypoints';
import { Code } from '../codes';

const TARGETREF_KINDS = [GK.authorizationPolicy, GK.requestAuthentication, 'telemetry.istio.io/Telemetry', 'extensions.istio.io/WasmPlugin'];

/**
 * CI3005: an AuthorizationPolicy without `targetRefs` (selector or namespace-wide) in an ambient
 * namespace that uses HTTP attributes or a CUSTOM/AUDIT action. ztunnel enforces it and cannot
 * see HTTP: an ALLOW drops those rules (and then denies), a DENY with only HTTP fields never
 * fires, CUSTOM/AUDIT are not enforced. Likewise a RequestAuthentication without `targetRefs`
 * there: nothing validates its tokens. Use `targetRefs` to a waypoint-bound Service or Gateway.
 */
export function analyzeAmbientSelectorPolicies(ctx: GraphContext): void {
  for (const ap of ctx.index.all(GK.authorizationPolicy)) {
    if (hasTargetRefs(ap) || !ctx.index.isAmbient(ap.ns)) continue;
    const act = action(ap);
    if (act === 'CUSTOM' || act === 'AUDIT') {
      ctx.report(ap, Code.CI3005, 'error', 'spec.action',
        `action ${act} is not supported by ztunnel in ambient namespace ${ap.ns}: the policy is not enforced; attach it to a waypoint with targetRefs`);
      continue;
    }
    const l7 = l7Attributes(ap);
    if (l7.length === 0) continue;
    const effect = act === 'DENY'
      ? 'rules with only HTTP attributes never match and the rest is broadened to L4'
      : 'rules with HTTP attributes are dropped, so the workloads deny what this policy was meant to allow';
    ctx.report(ap, Code.CI3005, 'error', l7[0],
      `${act} policy without targetRefs in ambient namespace ${ap.ns} uses HTTP attributes (${l7.map(p => p.slice(p.lastIndexOf('.') + 1)).join(', ')}) that ztunnel cannot enforce: ${effect}; use targetRefs to a waypoint-bound Service or Gateway`);
  }
  for (const ra of ctx.index.all(GK.requestAuthentication)) {
    if (hasTargetRefs(ra) || !ctx.index.isAmbient(ra.ns)) continue;
    ctx.report(ra, Code.CI3005, 'error', ra.spec.selector ? 'spec.selector' : 'spec',
      `RequestAuthentication without targetRefs in ambient namespace ${ra.ns} is enforced by neither ztunnel (no HTTP) nor waypoints (they ignore selector policies): tokens are not validated; use targetRefs to a waypoint-bound Service or Gateway`);
  }
}

/**
 * CI3006: a policy whose `targetRefs` name a Service or ServiceEntry that is not bound to a
 * waypoint (`istio.io/use-waypoint` on it or its Namespace): nothing enforces it.
 * Undecidable from the set (object or Namespace document missing): `info`, `error` under strict.
 */
export function analyzeTargetRefBindings(ctx: GraphContext): void {
  for (const gk of TARGETREF_KINDS) {
    for (const policy of ctx.index.all(gk)) {
      for (const t of targetRefs(policy)) {
        const group = str(t.ref?.group);
        const kind = str(t.ref?.kind);
        const target = group === '' && kind === 'Service' ? GK.service
          : group === 'networking.istio.io' && kind === 'ServiceEntry' ? GK.serviceEntry : undefined;
        if (!target) continue;
        const name = str(t.ref?.name);
        const b = serviceBinding(ctx.index, target, policy.ns, name);
        if (b.bound) continue;
        const text = `targetRefs ${kind} ${policy.ns}/${name} is not bound to a waypoint (no istio.io/use-waypoint label on it or its Namespace): ${policy.kind} ${ref(policy)} is not enforced anywhere`;
        if (b.bound === null) ctx.report(policy, Code.CI3006, 'error', t.path, text);
        else ctx.missing(policy, Code.CI3006, false, t.path, text);
      }
    }
  }
}

/**
 * CI3009: an HTTPRoute/GRPCRoute with a Service parent in an ambient namespace where that Service
 * is not bound to a waypoint: ztunnel does not route HTTP, the route is not respected.
 * CI3012: such a route in a namespace other than the Service's and its waypoint's (a consumer
 * route): the waypoint ignores it.
 */
export function analyzeAmbientRouteParents(ctx: GraphContext): void {
  for (const gk of [GK.httpRoute, GK.grpcRoute]) {
    for (const route of ctx.index.all(gk)) {
      arr(route.spec.parentRefs).forEach((p, i) => {
        const t = parentTarget(route, p);
        if (!t || t.gk !== GK.service || !ctx.index.isAmbient(t.namespace)) return;
        const bound = serviceBinding(ctx.index, t.gk, t.namespace, t.name).bound;
        if (bound === null) {
          ctx.report(route, Code.CI3009, 'error', `spec.parentRefs[${i}]`,
            `parent Service ${t.namespace}/${t.name} is in ambient namespace ${t.namespace} but not bound to a waypoint: the route is not respected; label the Service or Namespace istio.io/use-waypoint`);
        } else if (bound && route.ns !== t.namespace && route.ns !== bound.namespace) {
          ctx.report(route, Code.CI3012, 'error', `spec.parentRefs[${i}]`,
            `${route.kind} in namespace ${route.ns} for Service ${t.namespace}/${t.name}: its waypoint ${bound.namespace}/${bound.name} only uses routes of the Service's namespace or its own, so this route is ignored; move it to ${t.namespace}`);
        }
      });
    }
  }
}
