import { GraphContext } from '../../lib/validation/graph/support/context';
import { arr, GK, HostIndex, hostsOverlap, list, Obj, ref } from '../../lib/validation/graph/support/model';
import { Code } from '../../lib/validation/codes';

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
    // Index the group's hosts: an exact host finds the servers with that host or a wildcard
    // covering it in O(labels); only a wildcard host scans the group.
    const byHost = new HostIndex<Server>();
    for (const s of servers) for (const h of new Set(s.hosts)) byHost.add(h, s);
    for (const s of servers) {
      const clash = new Set<Server>();
      const hosts: string[] = [];
      for (const h of s.hosts) {
        const hits = (h.startsWith('*') ? servers.filter(o => o.hosts.some(x => hostsOverlap(h, x))) : byHost.lookup(h))
          .filter(o => o.gw !== s.gw);
        if (hits.length === 0) continue;
        hosts.push(h);
        for (const o of hits) clash.add(o);
      }
      if (clash.size === 0) continue;
      const names = [...new Set([...clash].map(o => ref(o.gw)))].sort();
      ctx.report(s.gw, Code.IST0145, 'error', s.path,
        `conflicts with Gateway ${list(names)}: same workload selector ${sel || '<none>'}, port ${port} and overlapping hosts ${list(hosts)}`);
    }
  }
}
