import { diagnosticHelpUri, packageInfo } from '../cli/package-info';
import { summaryLine, validatePaths } from '../cli/validate-command';
import { Diagnostic, formatDiagnostic, Severity } from '../validation/diagnostic';

/**
 * Options of `IstioValidation`, given as `properties` of the `validations:` entry in
 * `cdk8s.yaml`.
 *
 * @jsii ignore cdk8s-cli loads validation plugins in Node.js only (TypeScript/JavaScript API)
 */
export interface IstioValidationProps {
  /**
   * Treat references to objects outside the synthesized manifests as errors instead of infos.
   *
   * @default false
   */
  readonly strict?: boolean;

  /**
   * The Gateway API release channel whose CRDs the cluster has (the CLI's
   * `--gateway-api-channel`). `experimental` accepts and checks experimental-channel fields such
   * as HTTPRoute `rules[].retry`; `standard` rejects them as unknown fields.
   *
   * @default 'standard'
   */
  readonly gatewayApiChannel?: 'standard' | 'experimental';

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

/** The options `IstioValidation` knows, with the values each takes (for the messages about `properties:`). */
const OPTIONS: Record<keyof IstioValidationProps, string> = {
  strict: 'true or false',
  gatewayApiChannel: '"standard" or "experimental"',
  failOnWarnings: 'true or false',
  includeInfos: 'true or false',
};

/** What is wrong with `properties:` (unknown keys, wrong values), one message each. */
function optionProblems(props: unknown): string[] {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    return [`properties must be a mapping of options (${Object.keys(OPTIONS).join(', ')}), got ${JSON.stringify(props)}`];
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(props)) {
    if (!(key in OPTIONS)) {
      problems.push(`unknown option ${JSON.stringify(key)} in properties; the options are ${Object.keys(OPTIONS).join(', ')}`);
    } else if (value !== undefined) {
      const ok = key === 'gatewayApiChannel' ? value === 'standard' || value === 'experimental' : typeof value === 'boolean';
      if (!ok) problems.push(`properties.${key} must be ${OPTIONS[key as keyof IstioValidationProps]}, got ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

/**
 * One resource in a violation, as the cdk8s-cli validation report expects it.
 *
 * @jsii ignore cdk8s-cli loads validation plugins in Node.js only (TypeScript/JavaScript API)
 */
export interface PluginViolatingResource {
  /** `metadata.name` of the object (cdk8s-cli maps it to a construct path). */
  readonly resourceName: string;
  /** Where in the object, and what. */
  readonly locations: readonly string[];
  /** The synthesized file the object is in. */
  readonly manifestPath: string;
}

/**
 * One violation, as the cdk8s-cli validation report expects it.
 *
 * @jsii ignore cdk8s-cli loads validation plugins in Node.js only (TypeScript/JavaScript API)
 */
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
 *
 * @jsii ignore cdk8s-cli loads validation plugins in Node.js only (TypeScript/JavaScript API)
 */
export interface PluginValidationContext {
  /** Paths of the synthesized manifests. */
  readonly manifests: readonly string[];
  /**
   * The `version:` of the plugin's entry in `cdk8s.yaml`.
   *
   * @default - not checked
   */
  readonly version?: string;
  /**
   * Where the plugin prints its one-line findings (cdk8s-cli: standard output).
   *
   * @default - console.log
   */
  readonly logger?: { log(message: string): void };
  /** The report to fill in. */
  readonly report: {
    addViolation(violation: PluginViolation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
}

/**
 * A diagnostic located in a synthesized file.
 *
 * @jsii ignore cdk8s-cli loads validation plugins in Node.js only (TypeScript/JavaScript API)
 */
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
export function validateFiles(files: readonly string[], options: { strict?: boolean; gatewayApiChannel?: 'standard' | 'experimental' } = {}): LocatedDiagnostic[] {
  // The same reading as `cdk8s-istio validate`: unreadable files and YAML errors are diagnostics too.
  return validatePaths({ paths: files, strict: options.strict ?? false, gatewayApiChannel: options.gatewayApiChannel ?? 'standard' }).diagnostics
    .map(d => ({ ...d, file: d.file ?? '', index: d.index ?? -1 }));
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/**
 * A cdk8s validation plugin: `cdk8s synth` runs it on the synthesized manifests. It validates
 * them as one set with all three tiers of cdk8s-istio (schema + CEL, admission semantics,
 * cross-resource analysis), prints every finding as the CLI's one-line text, and reports each
 * with its code, object, file and a link to the code's documentation; synth fails on errors (and
 * on warnings with `failOnWarnings`).
 *
 * Its own configuration is checked too, without a stack trace: an unknown or ill-typed key in
 * `properties`, or a `version:` that is not the installed version of cdk8s-istio, fails synth
 * with a message saying what to write instead.
 *
 * ```yaml
 * # cdk8s.yaml
 * validations:
 *   - package: ./node_modules/cdk8s-istio
 *     version: 0.1.0
 *     class: IstioValidation
 *     properties: { strict: false, gatewayApiChannel: standard }
 * ```
 *
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 *
 * @jsii ignore cdk8s-cli loads validation plugins in Node.js only (TypeScript/JavaScript API)
 */
export class IstioValidation {
  /** Resolved options. */
  public readonly props: Required<IstioValidationProps>;

  /** What is wrong with the options given (reported by `validate`, which then fails). */
  public readonly optionErrors: readonly string[];

  public constructor(props: IstioValidationProps = {}) {
    // cdk8s-cli passes `properties` from cdk8s.yaml unchecked; a throw here would print a stack
    // trace, so problems are kept and reported by validate().
    this.optionErrors = optionProblems(props ?? {});
    const given = (this.optionErrors.length === 0 ? props ?? {} : {}) as IstioValidationProps;
    this.props = {
      strict: given.strict ?? false,
      gatewayApiChannel: given.gatewayApiChannel ?? 'standard',
      failOnWarnings: given.failOnWarnings ?? false,
      includeInfos: given.includeInfos ?? false,
    };
  }

  /** Runs the validation (called by cdk8s-cli). */
  public async validate(context: PluginValidationContext): Promise<void> {
    const log = (line: string) => (context.logger ? context.logger.log(line) : console.log(line));
    const installed = packageInfo().version;
    const config = [...this.optionErrors];
    if (context.version !== undefined && context.version !== installed) {
      config.push(`version ${JSON.stringify(context.version)} in cdk8s.yaml is not the installed cdk8s-istio ${installed}; set \`version: ${installed}\``);
    }
    if (config.length > 0) {
      for (const message of config) {
        log(`cdk8s-istio: error in cdk8s.yaml (validations, class IstioValidation): ${message}`);
        context.report.addViolation({ ruleName: 'cdk8s.yaml (error)', recommendation: message, fix: 'correct the IstioValidation entry of cdk8s.yaml', violatingResources: [] });
      }
      context.report.submit('failure', { errors: String(config.length), warnings: '0', infos: '0' });
      return;
    }
    const run = validatePaths({ paths: context.manifests, strict: this.props.strict, gatewayApiChannel: this.props.gatewayApiChannel });
    const diagnostics = run.diagnostics.map(d => ({ ...d, file: d.file ?? '', index: d.index ?? -1 }));
    const threshold = this.props.failOnWarnings ? RANK.warning : RANK.error;
    const listed = diagnostics.filter(d => this.props.includeInfos || d.severity !== 'info');
    for (const d of listed) {
      log(formatDiagnostic(d));
      context.report.addViolation({
        ruleName: `${d.code} (${d.severity})`,
        recommendation: `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}: ${d.message}`,
        fix: diagnosticHelpUri(d.code),
        violatingResources: [{
          resourceName: d.name,
          locations: [`${d.path || '<document>'} (${d.line !== undefined ? `line ${d.line}, column ${d.column ?? 1}` : `document ${d.index} of the file`})`],
          manifestPath: d.file,
        }],
      });
    }
    const count = (s: Severity) => diagnostics.filter(d => d.severity === s).length;
    const failed = diagnostics.some(d => RANK[d.severity] >= threshold);
    log(`cdk8s-istio: ${summaryLine(run.diagnostics, run.documents, run.files)}`);
    context.report.submit(failed ? 'failure' : 'success', {
      errors: String(count('error')), warnings: String(count('warning')), infos: String(count('info')),
    });
  }
}
