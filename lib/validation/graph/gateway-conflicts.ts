import { GraphContext } from './support/context';
import { arr, GK, HostIndex, list, Obj, ref } from './support/model';
import { OverlapIndex } from './support/overlap-index';
import { Code } from '../codes';

function selectorKey(gw: Obj): string {
  const sel = gw.spec.selector !== null && typeof gw.spec.selector === 'object' ? gw.spec.selector : {};
  return Object.keys(sel).sort().map(k => `${k}=${sel[k]}`).join(',');
}

function stripNamespace(h: string): string {
  const slash = h.indexOf('/');
  return slash < 0 ? h : h.slice(slash + 1);
}

function labelsOf(o: Obj): Record<string, unknown> {
  const l = o.doc?.metadata?.labels;
  return l !== null && typeof l === 'object' ? l : {};
}

function selectorOf(gw: Obj): Record<string, unknown> {
  return gw.spec.selector !== null && typeof gw.spec.selector === 'object' ? gw.spec.selector : {};
}

/**
 * Groups distinct selectors as `istioctl analyze` does: two different selectors where one's
 * `k=v,...` form contains the other's conflict when some Pod of the set carries both (a subset
 * selector picks the same pods). Returns, per selector key, the key of its group. Linear in pods
 * times distinct selectors (a handful of gateway selectors in practice).
 */
function selectorGroups(ctx: GraphContext, gateways: readonly Obj[]): Map<string, string> {
  const selectors = new Map<string, Record<string, unknown>>();
  for (const gw of gateways) selectors.set(selectorKey(gw), selectorOf(gw));
  const parent = new Map<string, string>([...selectors.keys()].map(k => [k, k]));
  const find = (k: string): string => { while (parent.get(k) !== k) k = parent.get(k) as string; return k; };
  const keys = [...selectors.keys()].filter(k => k !== '');
  if (keys.length > 1) {
    for (const pod of ctx.index.all('/Pod')) {
      const labels = labelsOf(pod);
      const hits = keys.filter(k => Object.entries(selectors.get(k) as Record<string, unknown>).every(([lk, lv]) => labels[lk] === lv));
      for (let i = 1; i < hits.length; i++) {
        const a = hits[0];
        const b = hits[i];
        if (a.includes(b) || b.includes(a)) parent.set(find(b), find(a));
      }
    }
  }
  return new Map([...selectors.keys()].map(k => [k, find(k)]));
}

interface Server {
  readonly gw: Obj;
  readonly path: string;
  readonly hosts: string[];
}

/**
 * IST0145: Istio Gateways that select the same workloads (equal `selector`, or different selectors,
 * one contained in the other, that a Pod of the set carries both) and define servers on the same
 * port with overlapping hosts.
 */
export function analyzeGatewayConflicts(ctx: GraphContext): void {
  const groups = new Map<string, Server[]>();
  const gateways = ctx.index.all(GK.istioGateway);
  const groupOf = selectorGroups(ctx, gateways);
  for (const gw of gateways) {
    const sel = groupOf.get(selectorKey(gw)) as string;
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
    const port = key.split('|')[1];
    // Index the group's hosts: an exact host finds the servers with that host or a wildcard
    // covering it in O(labels); a wildcard host the servers whose hosts overlap it (OverlapIndex).
    const byHost = new HostIndex<Server>();
    const overlaps = new OverlapIndex<Server>();
    for (const s of servers) {
      for (const h of new Set(s.hosts)) {
        byHost.add(h, s);
        overlaps.add(h, s);
      }
    }
    for (const s of servers) {
      const clash = new Set<Server>();
      const hosts: string[] = [];
      for (const h of s.hosts) {
        const hits = (h.startsWith('*') ? [...overlaps.overlappingWildcard(h)] : byHost.lookup(h)).filter(o => o.gw !== s.gw);
        if (hits.length === 0) continue;
        hosts.push(h);
        for (const o of hits) clash.add(o);
      }
      if (clash.size === 0) continue;
      const names = [...new Set([...clash].map(o => ref(o.gw)))].sort();
      const own = selectorKey(s.gw);
      const others = [...new Set([...clash].map(o => selectorKey(o.gw)).filter(k => k !== own))].sort();
      const selectorText = others.length === 0
        ? `same workload selector ${own || '<none>'}`
        : `workload selector ${own} and ${list(others)} pick the same pods`;
      ctx.report(s.gw, Code.IST0145, 'error', s.path,
        `conflicts with Gateway ${list(names)}: ${selectorText}, port ${port} and overlapping hosts ${list(hosts)}`);
    }
  }
}
