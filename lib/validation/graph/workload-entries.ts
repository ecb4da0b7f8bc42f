import { Code } from '../codes';
import { quote } from '../quote';
import { GraphContext } from './support/context';
import { GK, list, Obj } from './support/model';

const WORKLOAD_ENTRY = 'networking.istio.io/WorkloadEntry';

function selects(selector: unknown, labels: Record<string, unknown>): boolean {
  if (selector === null || typeof selector !== 'object' || Array.isArray(selector)) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The selector labels of a Service (`spec.selector`) or a ServiceEntry (`workloadSelector.labels`). */
function selectorOf(o: Obj): Record<string, unknown> | undefined {
  const sel = o.gk === GK.service ? o.spec.selector : o.spec.workloadSelector?.labels;
  return sel !== null && typeof sel === 'object' && !Array.isArray(sel) ? sel : undefined;
}

/**
 * CI3013: a WorkloadEntry whose labels match the selector of no Service (`spec.selector`) and no
 * ServiceEntry (`workloadSelector`) of its namespace. Istio adds a WorkloadEntry to a service only
 * through such a selector (in the same namespace), so nothing routes to it. A Service without a
 * selector selects nothing; `info` when the set holds no Service or ServiceEntry in the namespace.
 */
export function analyzeWorkloadEntries(ctx: GraphContext): void {
  for (const we of ctx.index.all(WORKLOAD_ENTRY)) {
    const labels = we.spec.labels !== null && typeof we.spec.labels === 'object' ? we.spec.labels : {};
    const candidates = [...ctx.index.allIn(GK.service, we.ns), ...ctx.index.allIn(GK.serviceEntry, we.ns)];
    const withSelector = candidates.filter(o => selectorOf(o) !== undefined);
    if (withSelector.some(o => selects(selectorOf(o), labels))) continue;
    const shown = Object.keys(labels).length === 0 ? 'no labels' : `labels ${quote(labels)}`;
    const message = `WorkloadEntry ${we.ns}/${we.name} has ${shown}, which match the selector of no Service or ServiceEntry (workloadSelector) in namespace ${we.ns}: no service sends traffic to it`;
    if (candidates.length === 0) {
      ctx.report(we, Code.CI3013, 'info', 'spec.labels', `${message} (no Service or ServiceEntry of the namespace is in the manifest set; checked only when one is)`);
    } else {
      const names = withSelector.map(o => `${o.kind} ${o.name} ${quote(selectorOf(o))}`).sort();
      ctx.report(we, Code.CI3013, 'warning', 'spec.labels',
        names.length > 0 ? `${message}; give it the labels of one of these selectors: ${list(names)}` : `${message}; select it from a Service selector or a ServiceEntry workloadSelector`);
    }
  }
}
