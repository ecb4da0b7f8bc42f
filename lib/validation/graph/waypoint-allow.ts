import { GraphContext } from './support/context';
import { arr, GK, Obj, ref, ROOT_NAMESPACE } from './support/model';
import { action, hasSelector, hasTargetRefs, isAllowNothing, istioMatch } from './support/policies';
import { WaypointBinding, waypointServiceAccount, waypointsOfNamespace } from './support/waypoints';
import { Code } from '../codes';

function admitsPrincipal(ap: Obj, principal: string, wNs: string, sa: string): boolean {
  return arr(ap.spec.rules).some(rule => {
    const from = arr(rule?.from);
    if (from.length === 0) return true;
    return from.some(f => {
      const s = f?.source ?? {};
      const principals = arr(s.principals).filter((p): p is string => typeof p === 'string');
      const byPrincipal = principals.some(p => {
        const i = p.indexOf('/ns/');
        const td = i > 0 && !p.slice(0, i).includes('*') ? p.slice(0, i) : 'cluster.local';
        return istioMatch(p, `${td}${principal}`);
      });
      const byNs = arr(s.namespaces).some(n => typeof n === 'string' && istioMatch(n, wNs));
      const bySa = arr(s.serviceAccounts).some(n => n === `${wNs}/${sa}`);
      const empty = Object.keys(s).length === 0;
      return byPrincipal || byNs || bySa || empty;
    });
  });
}

/**
 * CI3007: a namespace whose traffic goes through a waypoint has an allow-nothing policy (its own
 * or the root namespace's) but no ztunnel-enforced ALLOW for the waypoint's identity: the
 * destination ztunnel sees the waypoint's service account and denies every forwarded request.
 */
export function analyzeWaypointAllow(ctx: GraphContext): void {
  const aps = ctx.index.all(GK.authorizationPolicy).filter(ap => !hasTargetRefs(ap));
  const denyAll = aps.filter(ap => isAllowNothing(ap) && !hasSelector(ap));
  if (denyAll.length === 0) return;
  const denyAllByNs = new Map<string, Obj>();
  for (const ap of denyAll) if (!denyAllByNs.has(ap.ns)) denyAllByNs.set(ap.ns, ap);
  const rootDenyAll = denyAllByNs.get(ROOT_NAMESPACE);
  const namespaces = new Set<string>();
  for (const o of ctx.index.all(GK.namespace)) namespaces.add(o.name);
  for (const o of ctx.index.all(GK.service)) namespaces.add(o.ns);
  const allowsByNs = new Map<string, Obj[]>();
  for (const ap of aps) {
    if (action(ap) !== 'ALLOW' || isAllowNothing(ap)) continue;
    const list = allowsByNs.get(ap.ns) ?? [];
    list.push(ap);
    allowsByNs.set(ap.ns, list);
  }
  for (const ns of [...namespaces].sort()) {
    const own = denyAllByNs.get(ns);
    const blocker = own ?? (ns !== ROOT_NAMESPACE ? rootDenyAll : undefined);
    if (!blocker) continue;
    const allows = [...(allowsByNs.get(ns) ?? []), ...(ns !== ROOT_NAMESPACE ? allowsByNs.get(ROOT_NAMESPACE) ?? [] : [])];
    const missing: WaypointBinding[] = waypointsOfNamespace(ctx.index, ns).filter(w => {
      const sa = waypointServiceAccount(ctx.index, w);
      return !allows.some(ap => admitsPrincipal(ap, `/ns/${w.namespace}/sa/${sa}`, w.namespace, sa));
    });
    if (missing.length === 0) continue;
    const who = missing.map(w => `cluster.local/ns/${w.namespace}/sa/${waypointServiceAccount(ctx.index, w)}`).join(', ');
    ctx.report(blocker, Code.CI3007, 'error', 'spec',
      `allow-nothing policy ${ref(blocker)} applies to namespace ${ns}, which uses waypoint ${missing.map(w => `${w.namespace}/${w.name}`).join(', ')}, but no ALLOW policy without targetRefs admits the waypoint identity ${who}: ztunnel denies every request the waypoint forwards`);
  }
}
