import { App, Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { MeshError } from '../mesh/errors';
import { formatDiagnostic, validateManifests, ValidateOptions } from '../validation';

// Stable YAML of a chart or an App for jest's toMatchSnapshot(), after our validator: a snapshot
// can never record config that the validator rejects.

/**
 * Synthesizes a chart (or every chart of an App) to YAML, the way `cdk8s synth` writes it
 * (documents separated by `---`, in synth order), after validating the objects as one set with
 * the project's validator. Synthesizing twice gives the same text, so the result suits
 * `expect(synthSnapshot(chart)).toMatchSnapshot()`.
 *
 * @param scope a Chart, or an App (all its charts, in order)
 * @param options validator options (`strict`, `gatewayApiChannel`)
 * @throws MeshError listing every error diagnostic when the objects do not validate
 */
export function synthSnapshot(scope: Chart | App, options: ValidateOptions = {}): string {
  const charts = 'charts' in scope ? scope.charts : [scope as Chart];
  const docs = charts.flatMap(c => Testing.synth(c));
  const errors = validateManifests(docs, options).filter(d => d.severity === 'error');
  if (errors.length > 0) {
    throw new MeshError(scope.node.root, `synthSnapshot: the synthesized objects do not validate, no snapshot taken:\n${errors.map(formatDiagnostic).join('\n')}`);
  }
  return docs.map(d => stringify(d, { lineWidth: 0 })).join('---\n');
}
