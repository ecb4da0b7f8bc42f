import { GraphContext } from './context';
import { arr, GK, hostsOverlap, Obj, ref } from './model';

function selectorKey(gw: Obj): string {
  const sel = gw.spec.selector !== null && typeof gw.spec.selector === 'object' ? gw.spec.selector : {};
  return Object.keys(sel).sort().map(k => `${k}=${sel[k]}`).join(',');
}

function stripNamespace(h: string): string {
  const slash = h.indexOf('/');
  return slash < 0 ? h : h.slice(slash + 1);
}

interface Server {
  readonly gw: Obj;
  readonly path: string;
  readonly hosts: string[];
}

/**
 * IST0145: Istio Gateways that select the same workloads (equal `selector`) and define servers on
 * the same port with overlapping hosts.
 */
export function analyzeGatewayConflicts(ctx: GraphContext): void {
  const groups = new Map<string, Server[]>();
  for (const gw of ctx.index.all(GK.istioGateway)) {
    const sel = selectorKey(gw);
    arr(gw.spec.servers).forEach((s, i) => {
      const port = s?.port?.number;
      if (typeof port !== 'number') return;
      const key = `${sel}|${port}`;
      const list = groups.get(key) ?? [];
      list.push({ gw, path: `spec.servers[${i}]`, hosts: arr(s.hosts).filter((h): h is string => typeof h === 'string').map(stripNamespace) });
      groups.set(key, list);
    });
  }
  for (const [key, servers] of groups) {
    if (new Set(servers.map(s => s.gw)).size < 2) continue;
    const [sel, port] = key.split('|');
    for (const s of servers) {
      const others = servers.filter(o => o.gw !== s.gw);
      const clash = others.filter(o => o.hosts.some(h => s.hosts.some(x => hostsOverlap(h, x))));
      if (clash.length === 0) continue;
      const hosts = s.hosts.filter(x => clash.some(o => o.hosts.some(h => hostsOverlap(h, x))));
      const names = [...new Set(clash.map(o => ref(o.gw)))].sort();
      ctx.report(s.gw, 'IST0145', 'error', s.path,
        `conflicts with Gateway ${names.join(', ')}: same workload selector ${sel || '<none>'}, port ${port} and overlapping hosts ${hosts.join(', ')}`);
    }
  }
}
