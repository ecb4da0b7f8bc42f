// The graph analyzers as they were before they were indexed (#18): naive pairwise scans, kept
// only to check that the indexed analyzers report exactly the same findings (bench phase e).
import { ANALYZERS } from '../../lib/validation/graph';
import { Analyzer } from '../../lib/validation/graph/support/context';
import { analyzeDrTlsStrict } from '../../lib/validation/graph/dr-tls-strict';
import { analyzeGatewayConflicts } from '../../lib/validation/graph/gateway-conflicts';
import { analyzeMeshVsConflicts } from '../../lib/validation/graph/mesh-vs-conflicts';
import { analyzeRequestAuth } from '../../lib/validation/graph/request-auth';
import { analyzeServiceEntryProtocols } from '../../lib/validation/graph/service-entry-protocols';
import { analyzeVsDestinations } from '../../lib/validation/graph/vs-destinations';
import { analyzeVsHttpRouteMix } from '../../lib/validation/graph/vs-httproute-mix';
import { analyzeVsSubsets } from '../../lib/validation/graph/vs-subsets';
import * as naive from './analyzers';

const REPLACED = new Map<Analyzer, Analyzer>([
  [analyzeDrTlsStrict, naive.analyzeDrTlsStrict],
  [analyzeGatewayConflicts, naive.analyzeGatewayConflicts],
  [analyzeMeshVsConflicts, naive.analyzeMeshVsConflicts],
  [analyzeRequestAuth, naive.analyzeRequestAuth],
  [analyzeServiceEntryProtocols, naive.analyzeServiceEntryProtocols],
  [analyzeVsDestinations, naive.analyzeVsDestinations],
  [analyzeVsHttpRouteMix, naive.analyzeVsHttpRouteMix],
  [analyzeVsSubsets, naive.analyzeVsSubsets],
]);

/** Tier 3 with the naive analyzers in place of the indexed ones (same order). */
export const REFERENCE_ANALYZERS: readonly Analyzer[] = ANALYZERS.map(a => REPLACED.get(a) ?? a);
