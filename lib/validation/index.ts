import { Diagnostic } from './diagnostic';
import { analyzeGraph } from './graph';
import { splitExperimental } from './experimental';
import { ValidateOptions } from './options';
import { validateSchema } from './schema';
import { validateSemantics } from './semantics';

export { Diagnostic, Severity, formatDiagnostic } from './diagnostic';
export { ValidateOptions } from './options';
export { Code, DiagnosticCode, DiagnosticCodeInfo, DiagnosticTier, DIAGNOSTIC_CODES, diagnosticCodeInfo } from './codes';

/**
 * Validates a set of Kubernetes manifests (plain JSON objects) the way the API server, istiod's
 * admission webhook and `istioctl analyze` would, and returns every finding.
 *
 * Each diagnostic's `index` is the position of its document in `docs`.
 */
export function validateManifests(docs: readonly unknown[], options: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const experimental = options.gatewayApiChannel === 'experimental';
  docs.forEach((doc, index) => {
    const { standard, findings } = experimental ? splitExperimental(doc) : { standard: doc, findings: [] };
    for (const d of findings) out.push({ ...d, index });
    for (const d of validateSchema(standard)) out.push({ ...d, index });
    for (const d of validateSemantics(doc)) out.push({ ...d, index });
  });
  out.push(...analyzeGraph(docs, options));
  return out;
}
