import { resolveHost } from '../../mesh/hosts';
import { GraphContext } from './context';
import { arr, GK, Obj, ref, visibilitiesOverlap, visibility } from './model';
import { appliesToMesh } from './virtual-service';

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
      const list = byHost.get(host) ?? [];
      list.push({ vs, path: `spec.hosts[${i}]` });
      byHost.set(host, list);
    });
  }
  for (const [host, list] of byHost) {
    if (list.length < 2) continue;
    for (const entry of list) {
      const v = visibility(entry.vs);
      const others = list.filter(o => o.vs !== entry.vs && visibilitiesOverlap(v, visibility(o.vs)));
      if (others.length === 0) continue;
      const names = [entry, ...others].map(o => ref(o.vs)).sort();
      ctx.report(entry.vs, 'IST0109', 'error', entry.path,
        `VirtualServices ${names.join(', ')} bound to the mesh gateway all define host ${host}, which is undefined behaviour: merge them into one VirtualService`);
    }
  }
}
