import { resolveHost } from '../../mesh/hosts';
import { Code } from '../codes';
import { GraphContext } from './support/context';
import { arr, GK, serviceOfHost } from './support/model';

// CI3104: VirtualService match conditions that no request can satisfy, whatever the rule order
// (IST0130/IST0131 cover rules shadowed by earlier ones).

/**
 * CI3104 (warning): a VirtualService HTTP match that can never hold: a `gateways` entry the
 * VirtualService is not bound to (match `gateways` only narrow `spec.gateways`, which is `mesh`
 * when unset); a `port` that no Service among the hosts exposes (mesh VirtualServices whose hosts
 * are all Services of the set); a header required by `headers` and excluded by `withoutHeaders`
 * with the same condition. A rule whose every match is impossible is never used.
 */
export function analyzeImpossibleRouteMatches(ctx: GraphContext): void {
  for (const vs of ctx.index.all(GK.virtualService)) {
    const bound = arr(vs.spec.gateways).map(g => qualifyGateway(String(g), vs.ns));
    const gateways = bound.length ? bound : ['mesh'];
    const meshOnly = gateways.length === 1 && gateways[0] === 'mesh';
    const servicePorts = meshOnly ? hostPorts(ctx, vs.ns, arr(vs.spec.hosts).map(String)) : undefined;
    arr(vs.spec.http).forEach((rule, i) => {
      const matches = arr(rule?.match);
      const impossible = matches.map((m, j) => {
        const path = `spec.http[${i}].match[${j}]`;
        const own = arr(m?.gateways).map(g => qualifyGateway(String(g), vs.ns));
        if (own.length && !own.some(g => gateways.includes(g))) {
          return { path: `${path}.gateways`, why: `none of its gateways (${own.join(', ')}) is a gateway of the VirtualService (${gateways.join(', ')}; match gateways only narrow spec.gateways)` };
        }
        if (m?.port !== undefined && servicePorts && !servicePorts.includes(Number(m.port))) {
          return { path: `${path}.port`, why: `port ${m.port} is not a port of the host's Services (ports: ${servicePorts.join(', ')})` };
        }
        const without = m?.withoutHeaders ?? {};
        for (const [h, cond] of Object.entries(m?.headers ?? {})) {
          const other = Object.entries(without).find(([w]) => w.toLowerCase() === h.toLowerCase());
          if (other && JSON.stringify(other[1]) === JSON.stringify(cond)) return { path: `${path}.withoutHeaders.${other[0]}`, why: `header "${h}" is both required and excluded with the same condition` };
        }
        return undefined;
      });
      impossible.forEach((x, j) => {
        if (!x) return;
        const all = impossible.every(Boolean);
        ctx.report(vs, Code.CI3104, 'warning', x.path,
          `route ${i} match ${j} can never hold: ${x.why}${all ? `; no match of route ${i} can hold, the route is never used` : ''}`);
      });
    });
  }
}

function hostPorts(ctx: GraphContext, ns: string, hosts: string[]): number[] | undefined {
  const ports: number[] = [];
  for (const h of hosts) {
    if (h.includes('*')) return undefined;
    const s = serviceOfHost(resolveHost(h, ns));
    const svc = s ? ctx.index.find(GK.service, s.namespace, s.name) : undefined;
    if (!svc) return undefined;
    for (const p of arr(svc.spec.ports)) if (typeof p?.port === 'number') ports.push(p.port);
  }
  return ports.length ? [...new Set(ports)].sort((a, b) => a - b) : undefined;
}

function qualifyGateway(g: string, ns: string): string {
  return g === 'mesh' || g.includes('/') ? g : `${ns}/${g}`;
}
