import { GraphContext } from './support/context';
import { GK, hostsOverlap, Obj, arr, ref } from './support/model';
import { gatewayRef, vsGatewayNames } from './support/virtual-service';
import { Code } from '../codes';

/** Server hosts of an Istio Gateway that admit VirtualServices from `vsNamespace`. */
function serverHosts(gw: Obj, vsNamespace: string): string[] {
  const out: string[] = [];
  for (const server of arr(gw.spec.servers)) {
    for (const h of arr(server?.hosts)) {
      if (typeof h !== 'string') continue;
      const slash = h.indexOf('/');
      if (slash < 0) { out.push(h); continue; }
      const ns = h.slice(0, slash);
      if (ns === '*' || ns === vsNamespace || (ns === '.' && gw.ns === vsNamespace)) out.push(h.slice(slash + 1));
    }
  }
  return out;
}

/**
 * IST0101: a VirtualService names an Istio Gateway that is not in the set (checked when the set
 * holds Istio Gateways of that namespace; otherwise the Gateway is outside the set).
 * IST0132: a VirtualService host that none of its Gateway's servers (visible to the VirtualService's
 * namespace) serves.
 */
export function analyzeVsGateways(ctx: GraphContext): void {
  for (const vs of ctx.index.all(GK.virtualService)) {
    const hosts = arr(vs.spec.hosts).filter((h): h is string => typeof h === 'string');
    const checked = new Set<string>();
    for (const g of vsGatewayNames(vs)) {
      if (g.name === 'mesh') continue;
      const target = gatewayRef(g.name, vs.ns);
      const gw = ctx.index.find(GK.istioGateway, target.namespace, target.name);
      if (!gw) {
        ctx.missing(vs, Code.IST0101, ctx.index.hasIn(GK.istioGateway, target.namespace), g.path, `Referenced gateway not found: "${target.namespace}/${target.name}"`);
        continue;
      }
      if (checked.has(ref(gw))) continue;
      checked.add(ref(gw));
      const served = serverHosts(gw, vs.ns);
      const missingHosts = hosts.filter(h => !served.some(s => hostsOverlap(s, h)));
      if (missingHosts.length > 0) {
        ctx.report(vs, Code.IST0132, 'warning', g.path,
          `host(s) ${missingHosts.join(', ')} of VirtualService ${ref(vs)} not served by Gateway ${ref(gw)} (no server host matches for namespace ${vs.ns})`);
      }
    }
  }
}
