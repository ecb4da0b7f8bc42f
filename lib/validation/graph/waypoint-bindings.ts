import { GraphContext } from './support/context';
import { arr, GK, Obj, str } from './support/model';
import { bindingOf, WaypointBinding } from './support/waypoints';
import { Code } from '../codes';

/** Matches a Kubernetes label selector; undefined when the labels needed are not known. */
function selectorMatches(selector: any, labels: Record<string, string>, complete: boolean): boolean | undefined {
  const known = (k: string) => complete || k in labels;
  const matchLabels = selector?.matchLabels !== null && typeof selector?.matchLabels === 'object' ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(matchLabels)) {
    if (!known(k)) return undefined;
    if (labels[k] !== v) return false;
  }
  for (const e of arr(selector?.matchExpressions)) {
    const k = str(e?.key);
    if (!known(k)) return undefined;
    const values = arr(e?.values);
    const has = k in labels;
    switch (e?.operator) {
      case 'In': if (!has || !values.includes(labels[k])) return false; break;
      case 'NotIn': if (has && values.includes(labels[k])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return undefined;
    }
  }
  return true;
}

/** Whether a waypoint's HBONE listener admits a binding from namespace `ns` (undefined: cannot tell). */
function admits(ctx: GraphContext, gw: Obj, ns: string): boolean | undefined {
  const listeners = arr(gw.spec.listeners);
  const hbone = listeners.find(l => l?.protocol === 'HBONE' && l?.port === 15008) ?? listeners.find(l => l?.protocol === 'HBONE');
  if (!hbone) return undefined;
  const namespaces = hbone.allowedRoutes?.namespaces;
  const from = str(namespaces?.from) || 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return ns === gw.ns;
  if (from !== 'Selector') return undefined;
  const nsDoc = ctx.index.namespaceDoc(ns);
  const labels = { ...(nsDoc?.labels ?? {}), 'kubernetes.io/metadata.name': ns };
  return selectorMatches(namespaces.selector, labels, nsDoc !== undefined);
}

/**
 * Checks every `istio.io/use-waypoint` binding (Namespace, Service, ServiceEntry) against the
 * waypoint Gateway it names:
 * IST0101: the waypoint is not in the set (checked when the set holds Gateways of its namespace).
 * CI3010: a waypoint of another namespace whose HBONE listener's `allowedRoutes` does not admit
 * the binding's namespace: istiod refuses the binding (AttachmentDenied) and traffic skips it.
 * CI3011: a Service or ServiceEntry bound to a waypoint for `workload` traffic only (or `none`),
 * or a Namespace bound to a `none` waypoint: the waypoint does not serve that traffic.
 */
export function analyzeWaypointBindings(ctx: GraphContext): void {
  const check = (o: Obj, ns: string, forServices: boolean) => {
    const b: WaypointBinding | null | undefined = bindingOf(o, ns);
    if (!b) return;
    const path = 'metadata.labels.istio.io/use-waypoint';
    const gw = ctx.index.find(GK.gateway, b.namespace, b.name);
    if (!gw) {
      ctx.unresolved(o, Code.IST0101, GK.gateway, b.namespace, b.name, path, `Referenced waypoint not found: "${b.namespace}/${b.name}"`);
      return;
    }
    const waypointFor = str(gw.labels['istio.io/waypoint-for']) || 'service';
    if (waypointFor === 'none' || (forServices && waypointFor === 'workload')) {
      ctx.report(o, Code.CI3011, 'error', path,
        `waypoint ${b.namespace}/${b.name} is for ${waypointFor === 'none' ? 'no' : 'workload'} traffic (istio.io/waypoint-for: ${waypointFor}): it does not serve this ${o.kind}; use a waypoint for "service" or "all"`);
    }
    if (b.namespace !== ns && admits(ctx, gw, ns) === false) {
      ctx.report(o, Code.CI3010, 'error', path,
        `waypoint ${b.namespace}/${b.name} does not admit namespace ${ns} in the allowedRoutes of its HBONE listener: istiod refuses the binding (AttachmentDenied) and traffic bypasses the waypoint`);
    }
  };
  for (const o of ctx.index.all(GK.namespace)) check(o, o.name, false);
  for (const o of ctx.index.all(GK.service)) check(o, o.ns, true);
  for (const o of ctx.index.all(GK.serviceEntry)) check(o, o.ns, true);
}
