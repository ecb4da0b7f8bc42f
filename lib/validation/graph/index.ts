import { Diagnostic } from '../diagnostic';
import { ValidateOptions } from '../options';
import { analyzeAmbientRouteParents, analyzeAmbientSelectorPolicies, analyzeTargetRefBindings } from './ambient-policies';
import { Analyzer, GraphContext } from './support/context';
import { analyzeDrTlsStrict } from './dr-tls-strict';
import { analyzeFaultRetries } from './fault-retries';
import { analyzeGatewayConflicts } from './gateway-conflicts';
import { analyzeMeshVsConflicts } from './mesh-vs-conflicts';
import { analyzeNamespaceInjection } from './namespace-injection';
import { analyzePolicyPorts, analyzePolicySelectors, analyzeTokenOnlyAllow } from './policy-meaning';
import { GraphIndex } from './support/model';
import { analyzeRequestAuth } from './request-auth';
import { analyzeImpossibleRouteMatches } from './route-meaning';
import { analyzeRouteRefs } from './route-refs';
import { analyzeServiceEntryProtocols } from './service-entry-protocols';
import { analyzeSidecars } from './sidecars';
import { analyzeVsDestinations } from './vs-destinations';
import { analyzeVsGateways } from './vs-gateways';
import { analyzeVsHttpRouteMix } from './vs-httproute-mix';
import { analyzeVsRules } from './vs-rules';
import { analyzeVsSubsets } from './vs-subsets';
import { analyzeWaypointAllow } from './waypoint-allow';
import { analyzeWaypointBindings } from './waypoint-bindings';
import { analyzeWorkloadEntries } from './workload-entries';

export { SUPPRESS_ANNOTATION } from './support/context';

/** Every analyzer of tier 3, in reporting order (exported for the benchmark's reference check). */
export const ANALYZERS: readonly Analyzer[] = [
  analyzeVsGateways,
  analyzeVsSubsets,
  analyzeVsDestinations,
  analyzeMeshVsConflicts,
  analyzeVsRules,
  analyzeSidecars,
  analyzeGatewayConflicts,
  analyzeServiceEntryProtocols,
  analyzeRouteRefs,
  analyzeVsHttpRouteMix,
  analyzeDrTlsStrict,
  analyzeRequestAuth,
  analyzeAmbientSelectorPolicies,
  analyzeTargetRefBindings,
  analyzeAmbientRouteParents,
  analyzeWaypointBindings,
  analyzeWaypointAllow,
  analyzeFaultRetries,
  analyzeNamespaceInjection,
  analyzeWorkloadEntries,
  analyzePolicySelectors,
  analyzePolicyPorts,
  analyzeTokenOnlyAllow,
  analyzeImpossibleRouteMatches,
];

/**
 * Tier 3: cross-resource analysis over a whole manifest set. Each diagnostic carries the
 * `index` of the document it belongs to; findings are ordered by document, then as reported.
 * Objects suppress codes with the `galley.istio.io/analyze-suppress` annotation
 * (comma-separated codes, or `*`).
 */
export function analyzeGraph(docs: readonly unknown[], options: ValidateOptions = {}, analyzers: readonly Analyzer[] = ANALYZERS): Diagnostic[] {
  const ctx = new GraphContext(new GraphIndex(docs), options);
  for (const analyze of analyzers) analyze(ctx);
  return ctx.diagnostics
    .map((d, order) => ({ d, order }))
    .sort((a, b) => (a.d.index! - b.d.index!) || (a.order - b.order))
    .map(x => x.d);
}
