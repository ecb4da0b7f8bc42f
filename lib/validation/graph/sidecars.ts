import { GraphContext } from './context';
import { GK, Obj, ref } from './model';

/** IST0111: more than one Sidecar without `workloadSelector` in one namespace. */
export function analyzeSidecars(ctx: GraphContext): void {
  const byNs = new Map<string, Obj[]>();
  for (const sc of ctx.index.all(GK.sidecar)) {
    const labels = sc.spec.workloadSelector?.labels;
    if (labels !== null && typeof labels === 'object' && Object.keys(labels).length > 0) continue;
    const list = byNs.get(sc.ns) ?? [];
    list.push(sc);
    byNs.set(sc.ns, list);
  }
  for (const [ns, list] of byNs) {
    if (list.length < 2) continue;
    const names = list.map(ref).sort().join(', ');
    for (const sc of list) {
      ctx.report(sc, 'IST0111', 'error', 'spec',
        `Sidecars ${names} in namespace ${ns} have no workloadSelector, which is undefined behaviour: keep one namespace-wide Sidecar`);
    }
  }
}
