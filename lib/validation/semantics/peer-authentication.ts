import { Findings } from './context';
import { checkSelectorLabels } from './common';

// istiod's admission rules for PeerAuthentication (istio/istio pkg/config/validation/validation.go
// `ValidatePeerAuthentication`). Its other rules are carried by the CRD and checked in tier 1:
// `portLevelMtls` without a selector (CEL "portLevelMtls requires selector"), an empty
// `portLevelMtls` (minProperties) and port ranges.

/** Validates a PeerAuthentication spec. */
export function validatePeerAuthentication(f: Findings, spec: Record<string, any>): void {
  checkSelectorLabels(f, 'spec.selector', spec.selector, 'matchLabels');
}
