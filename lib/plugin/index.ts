import { validatePaths } from '../cli/validate-command';
import { Diagnostic, Severity } from '../validation/diagnostic';

/**
 * Options of `IstioValidation`, given as `properties` of the `validations:` entry in
 * `cdk8s.yaml`.
 */
export interface IstioValidationProps {
  /**
   * Treat references to objects outside the synthesized manifests as errors instead of infos.
   *
   * @default false
   */
  readonly strict?: boolean;

  /**
   * Fail `cdk8s synth` on warnings too, not only on errors.
   *
   * @default false
   */
  readonly failOnWarnings?: boolean;

  /**
   * Also list `info` diagnostics in the report (they never fail synth).
   *
   * @default false
   */
  readonly includeInfos?: boolean;
}

/** One resource in a violation, as the cdk8s-cli validation report expects it. */
export interface PluginViolatingResource {
  /** `metadata.name` of the object (cdk8s-cli maps it to a construct path). */
  readonly resourceName: string;
  /** Where in the object, and what. */
  readonly locations: readonly string[];
  /** The synthesized file the object is in. */
  readonly manifestPath: string;
}

/** One violation, as the cdk8s-cli validation report expects it. */
export interface PluginViolation {
  /** Rule name: severity and diagnostic code. */
  readonly ruleName: string;
  /** What is wrong. */
  readonly recommendation: string;
  /** Where the code is documented. */
  readonly fix: string;
  /** The objects that violate it. */
  readonly violatingResources: readonly PluginViolatingResource[];
}

/**
 * The part of cdk8s-cli's `ValidationContext` the plugin uses (declared here so that the library
 * does not depend on cdk8s-cli).
 */
export interface PluginValidationContext {
  /** Paths of the synthesized manifests. */
  readonly manifests: readonly string[];
  /** The report to fill in. */
  readonly report: {
    addViolation(violation: PluginViolation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
}

/** A diagnostic located in a synthesized file. */
export interface LocatedDiagnostic extends Diagnostic {
  /** The file the object is in. */
  readonly file: string;
  /** Index of the object in its file. */
  readonly index: number;
}

/**
 * Reads YAML manifests and validates them as one set with all three tiers; each diagnostic names
 * its file and the index of its document in that file.
 */
export function validateFiles(files: readonly string[], options: { strict?: boolean } = {}): LocatedDiagnostic[] {
  // The same reading as `cdk8s-istio validate`: unreadable files and YAML errors are diagnostics too.
  return validatePaths({ paths: files, strict: options.strict ?? false }).diagnostics
    .map(d => ({ ...d, file: d.file ?? '', index: d.index ?? -1 }));
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/**
 * A cdk8s validation plugin: `cdk8s synth` runs it on the synthesized manifests. It validates
 * them as one set with all three tiers of cdk8s-istio (schema + CEL, admission semantics,
 * cross-resource analysis) and reports every diagnostic with its code, object and file; synth
 * fails on errors (and on warnings with `failOnWarnings`).
 *
 * ```yaml
 * # cdk8s.yaml
 * validations:
 *   - package: ./node_modules/cdk8s-istio
 *     version: 0.1.0
 *     class: IstioValidation
 *     properties: { strict: false }
 * ```
 *
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export class IstioValidation {
  /** Resolved options. */
  public readonly props: Required<IstioValidationProps>;

  public constructor(props: IstioValidationProps = {}) {
    this.props = {
      strict: props.strict ?? false,
      failOnWarnings: props.failOnWarnings ?? false,
      includeInfos: props.includeInfos ?? false,
    };
  }

  /** Runs the validation (called by cdk8s-cli). */
  public async validate(context: PluginValidationContext): Promise<void> {
    const diagnostics = validateFiles(context.manifests, { strict: this.props.strict });
    const threshold = this.props.failOnWarnings ? RANK.warning : RANK.error;
    const listed = diagnostics.filter(d => this.props.includeInfos || d.severity !== 'info');
    for (const d of listed) {
      context.report.addViolation({
        ruleName: `${d.code} (${d.severity})`,
        recommendation: `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}: ${d.message}`,
        fix: `${d.code} in docs/diagnostic-codes.md of cdk8s-istio`,
        violatingResources: [{
          resourceName: d.name,
          locations: [`${d.path || '<document>'} (document ${d.index} of the file)`],
          manifestPath: d.file,
        }],
      });
    }
    const count = (s: Severity) => String(diagnostics.filter(d => d.severity === s).length);
    const failed = diagnostics.some(d => RANK[d.severity] >= threshold);
    context.report.submit(failed ? 'failure' : 'success', {
      errors: count('error'), warnings: count('warning'), infos: count('info'),
    });
  }
}
