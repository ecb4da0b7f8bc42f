import { serviceFqdn } from '../../lib/mesh/hosts';
import { GraphContext } from '../../lib/validation/graph/support/context';
import { arr, GK, list, Obj, ref } from '../../lib/validation/graph/support/model';
import { parentTarget } from '../../lib/validation/graph/route-refs';
import { appliesToMesh, vsHosts } from '../../lib/validation/graph/support/virtual-service';
import { Code } from '../../lib/validation/codes';

/**
 * CI3002: a service is routed both by a mesh VirtualService and by an HTTPRoute/GRPCRoute whose
 * parent is that Service (or a ServiceEntry with that host). Istio does not support mixing them
 * for one service: behaviour is undefined, and waypoints ignore the VirtualService.
 */
export function analyzeVsHttpRouteMix(ctx: GraphContext): void {
  const meshVs = new Map<string, Obj[]>();
  for (const vs of ctx.index.all(GK.virtualService)) {
    if (!appliesToMesh(vs)) continue;
    for (const h of new Set(vsHosts(vs))) {
      const entries = meshVs.get(h) ?? [];
      entries.push(vs);
      meshVs.set(h, entries);
    }
  }
  if (meshVs.size === 0) return;
  for (const gk of [GK.httpRoute, GK.grpcRoute]) {
    for (const route of ctx.index.all(gk)) {
      arr(route.spec.parentRefs).forEach((p, i) => {
        const t = parentTarget(route, p);
        if (!t || t.gk === GK.gateway) return;
        let hosts: string[];
        if (t.gk === GK.service) {
          hosts = [serviceFqdn(t.name, t.namespace)];
        } else {
          const se = ctx.index.find(GK.serviceEntry, t.namespace, t.name);
          hosts = se ? arr(se.spec.hosts).filter((h): h is string => typeof h === 'string') : [];
        }
        for (const h of hosts) {
          const vss = meshVs.get(h);
          if (!vss) continue;
          ctx.report(route, Code.CI3002, 'error', `spec.parentRefs[${i}]`,
            `${route.kind} ${ref(route)} and VirtualService ${list(vss.map(ref).sort())} both route ${h}: mixing the two APIs for one service is undefined behaviour; use one of them`);
        }
      });
    }
  }
}
