import { arr, Findings, obj, q, str } from './context';
import { checkExportTo, checkSelectorLabels } from './common';
import { isDnsLabel, wildcardDomainProblem } from './names';
import { checkTrafficPolicy } from './traffic-policy';
import { Code } from '../codes';

// istiod's admission rules for DestinationRule (istio/istio pkg/config/validation/validation.go
// `ValidateDestinationRule`).

/** Validates a DestinationRule spec. */
export function validateDestinationRule(f: Findings, spec: Record<string, any>): void {
  const host = str(spec.host);
  if (host !== undefined) {
    const problem = wildcardDomainProblem(host);
    if (problem) f.error(Code.CI2040, 'spec.host', `invalid host: ${problem}`);
  }
  checkTrafficPolicy(f, 'spec.trafficPolicy', spec.trafficPolicy);
  const names = new Set<string>();
  arr(spec.subsets).forEach((sv, i) => {
    const subset = obj(sv);
    if (!subset) return;
    const name = str(subset.name);
    if (name !== undefined) {
      if (names.has(name)) f.error(Code.CI2041, `spec.subsets[${i}].name`, `duplicate subset name ${q(name)}; subset names must be unique`);
      names.add(name);
      if (name === '') f.error(Code.CI2042, `spec.subsets[${i}].name`, 'subset name cannot be empty');
      else if (!isDnsLabel(name)) f.error(Code.CI2042, `spec.subsets[${i}].name`, `invalid subset name ${q(name)}; a subset name must be a DNS label (letters, digits and '-')`);
    }
    checkTrafficPolicy(f, `spec.subsets[${i}].trafficPolicy`, subset.trafficPolicy);
  });
  checkExportTo(f, spec.exportTo, { selectorDr: obj(spec.workloadSelector) !== undefined });
  checkSelectorLabels(f, 'spec.workloadSelector', spec.workloadSelector, 'matchLabels');
}
