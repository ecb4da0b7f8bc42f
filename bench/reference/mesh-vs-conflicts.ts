import { resolveHost } from '../../lib/mesh/hosts';
import { GraphContext } from '../../lib/validation/graph/support/context';
import { arr, GK, list, Obj, ref, visibilitiesOverlap, visibility } from '../../lib/validation/graph/support/model';
import { appliesToMesh } from '../../lib/validation/graph/support/virtual-service';
import { Code } from '../../lib/validation/codes';

/**
 * IST0109: several VirtualServices bound to the mesh gateway define the same host and are visible
 * in a common namespace (`exportTo`); which one a sidecar uses is undefined.
 */
export function analyzeMeshVsConflicts(ctx: GraphContext): void {
  const byHost = new Map<string, { vs: Obj; path: string }[]>();
  for (const vs of ctx.index.all(GK.virtualService)) {
    if (!appliesToMesh(vs)) continue;
    const seen = new Set<string>();
    arr(vs.spec.hosts).forEach((h, i) => {
      if (typeof h !== 'string') return;
      const host = resolveHost(h, vs.ns);
      if (seen.has(host)) return;
      seen.add(host);
      const entries = byHost.get(host) ?? [];
      entries.push({ vs, path: `spec.hosts[${i}]` });
      byHost.set(host, entries);
    });
  }
  for (const [host, entries] of byHost) {
    if (entries.length < 2) continue;
    const vis = entries.map(e => visibility(e.vs));
    // Usual case (every one exported everywhere): one name list for the whole group.
    const global = vis.every(v => v.all) ? list(entries.map(o => ref(o.vs)).sort()) : undefined;
    entries.forEach((entry, i) => {
      let names = global;
      if (names === undefined) {
        const others = entries.filter((_o, j) => j !== i && visibilitiesOverlap(vis[i], vis[j]));
        if (others.length === 0) return;
        names = list([entry, ...others].map(o => ref(o.vs)).sort());
      }
      ctx.report(entry.vs, Code.IST0109, 'error', entry.path,
        `VirtualServices ${names} bound to the mesh gateway all define host ${host}, which is undefined behaviour: merge them into one VirtualService`);
    });
  }
}
