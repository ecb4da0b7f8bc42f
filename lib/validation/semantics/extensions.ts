import { checkSelectorLabels, checkTargetRefs } from './common';
import { Findings } from './context';

// istiod's admission rules for ProxyConfig and WasmPlugin (istio/istio 1.30
// pkg/config/validation/validation.go `ValidateProxyConfig`, `ValidateWasmPlugin`) that the CRDs
// do not carry. The CRDs check the rest: a negative `concurrency`; selector with targetRefs,
// wildcard or empty selector keys, targetRef namespaces; the WasmPlugin `url` scheme, `sha256`
// pattern, `imagePullSecret` and `pluginName` lengths, duplicate or oversized env names, env
// values with `valueFrom: HOST`, and match ports out of range.

/** Validates a ProxyConfig spec. */
export function validateProxyConfig(f: Findings, spec: Record<string, any>): void {
  checkSelectorLabels(f, 'spec.selector', spec.selector, 'matchLabels');
}

/** Validates a WasmPlugin spec. */
export function validateWasmPlugin(f: Findings, spec: Record<string, any>): void {
  checkTargetRefs(f, spec);
  checkSelectorLabels(f, 'spec.selector', spec.selector, 'matchLabels');
}
