import { Code } from '../codes';
import { GraphContext } from './support/context';
import { GK } from './support/model';

/**
 * IST0123 (error here; a warning in istioctl analyze): a Namespace labelled both
 * `istio-injection: enabled` and `istio.io/rev`: the injection label wins and the revision is
 * ignored, so pods are injected by the default revision
 * (istio/istio pkg/config/analysis/analyzers/injection/injection.go, NamespaceMultipleInjectionLabels;
 * https://istio.io/latest/docs/setup/upgrade/canary/).
 */
export function analyzeNamespaceInjection(ctx: GraphContext): void {
  for (const ns of ctx.index.all(GK.namespace)) {
    const labels = ns.doc?.metadata?.labels ?? {};
    const rev = labels['istio.io/rev'];
    if (labels['istio-injection'] === 'enabled' && typeof rev === 'string') {
      ctx.report(ns, Code.IST0123, 'error', 'metadata.labels',
        `namespace "${ns.name}" has both istio-injection=enabled and istio.io/rev=${rev}: the injection label wins and the revision is ignored `
        + '(pods are injected by the default revision); keep one of them');
    }
  }
}
