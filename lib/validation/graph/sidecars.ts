import { GraphContext } from './support/context';
import { GK, list as listNames, Obj, ref } from './support/model';
import { Code } from '../codes';

/** IST0111: more than one Sidecar without `workloadSelector` in one namespace. */
export function analyzeSidecars(ctx: GraphContext): void {
  const byNs = new Map<string, Obj[]>();
  for (const sc of ctx.index.all(GK.sidecar)) {
    const labels = sc.spec.workloadSelector?.labels;
    if (labels !== null && typeof labels === 'object' && Object.keys(labels).length > 0) continue;
    const entries = byNs.get(sc.ns) ?? [];
    entries.push(sc);
    byNs.set(sc.ns, entries);
  }
  for (const [ns, sidecars] of byNs) {
    if (sidecars.length < 2) continue;
    const names = listNames(sidecars.map(ref).sort());
    for (const sc of sidecars) {
      ctx.report(sc, Code.IST0111, 'error', 'spec',
        `Sidecars ${names} in namespace ${ns} have no workloadSelector, which is undefined behaviour: keep one namespace-wide Sidecar`);
    }
  }
}
