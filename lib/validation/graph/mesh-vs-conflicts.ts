import { resolveHost } from '../../mesh/hosts';
import { GraphContext } from './support/context';
import { arr, GK, list, Obj, ref } from './support/model';
import { VisibilityGroups } from './support/visibility-groups';
import { appliesToMesh } from './support/virtual-service';
import { Code } from '../codes';

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
    const vis = entries.map(e => ctx.index.visibilityOf(e.vs));
    // Usual case (every one exported everywhere): one name list for the whole group. Otherwise one
    // list per visibility: the VirtualServices visible with it (the entry itself included).
    const global = vis.every(v => v.all) ? list(entries.map(o => ref(o.vs)).sort()) : undefined;
    const groups = global === undefined ? new VisibilityGroups(entries, e => ctx.index.visibilityOf(e.vs)) : undefined;
    const byVisibility = new Map<string, string | null>();
    entries.forEach((entry, i) => {
      let names = global;
      if (groups) {
        let found = byVisibility.get(vis[i].key);
        if (found === undefined) {
          const visible = groups.overlapping(vis[i]);
          found = visible.length < 2 ? null : list(visible.map(o => ref(o.vs)).sort());
          byVisibility.set(vis[i].key, found);
        }
        if (found === null) return;
        names = found;
      }
      ctx.report(entry.vs, Code.IST0109, 'error', entry.path,
        `VirtualServices ${names} bound to the mesh gateway all define host ${host}, which is undefined behaviour: merge them into one VirtualService`);
    });
  }
}
