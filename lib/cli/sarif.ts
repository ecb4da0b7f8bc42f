import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic, Severity } from '../validation';
import { diagnosticCodeInfo } from '../validation/codes';
import { diagnosticHelpUri, packageInfo, PackageInfo } from './package-info';

/** What SARIF says about one diagnostic code (a `reportingDescriptor`). */
export interface SarifRuleInfo {
  /** One-line title of the code. */
  readonly title: string;
  /** What the code means. @default - the title */
  readonly doc?: string;
  /** Default severity of the code. @default - the severity of its first result */
  readonly severity?: Severity;
}

/** Options of {@link toSarif}. */
export interface SarifOptions {
  /**
   * Title and meaning of a code.
   *
   * @default - the diagnostic-code registry (`diagnosticCodeInfo`)
   */
  readonly rule?: (code: string) => SarifRuleInfo | undefined;
  /** The package (name, version, repository). @default - the installed package.json */
  readonly info?: PackageInfo;
}

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** A file path as a SARIF artifact URI: relative paths stay relative (to `%SRCROOT%`), absolute ones become file URIs. */
function artifactLocation(file: string): Record<string, string> {
  const slashed = file.split('\\').join('/');
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: slashed.replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function objectName(d: Diagnostic): string {
  return `${d.kind || '<no kind>'} ${d.namespace ? `${d.namespace}/` : ''}${d.name || '<no name>'}`;
}

/**
 * The diagnostics as one SARIF 2.1.0 log: one run of the `cdk8s-istio` tool, one rule per
 * diagnostic code that occurs (title, meaning, help URI into docs/diagnostic-codes.md, default
 * level), one result per diagnostic with its physical location (file, and line/column where
 * known) and the object and JSON path as a logical location.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function toSarif(diagnostics: readonly Diagnostic[], options: SarifOptions = {}): object {
  const info = options.info ?? packageInfo();
  const codes = [...new Set(diagnostics.map(d => d.code))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map(code => {
    const r = (options.rule ?? diagnosticCodeInfo)(code);
    const first = diagnostics.find(d => d.code === code)!;
    const title = r?.title ?? code;
    return {
      id: code,
      shortDescription: { text: title },
      fullDescription: { text: r?.doc ?? title },
      helpUri: diagnosticHelpUri(code, info),
      defaultConfiguration: { level: LEVEL[r?.severity ?? first.severity] },
    };
  });
  const results = diagnostics.map(d => {
    const region = d.line !== undefined ? { region: { startLine: d.line, ...(d.column !== undefined ? { startColumn: d.column } : {}) } } : {};
    const object = d.kind || d.name || d.apiVersion;
    const logical = object
      ? [{ name: d.name || '<no name>', fullyQualifiedName: `${objectName(d)}${d.path ? ` ${d.path}` : ''}`, kind: 'object' }]
      : undefined;
    const location = {
      ...(d.file !== undefined ? { physicalLocation: { artifactLocation: artifactLocation(d.file), ...region } } : {}),
      ...(logical ? { logicalLocations: logical } : {}),
    };
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: LEVEL[d.severity],
      message: { text: `${object ? `${objectName(d)}${d.path ? ` ${d.path}` : ''}: ` : ''}${d.message}` },
      ...(Object.keys(location).length > 0 ? { locations: [location] } : {}),
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: info.name, version: info.version, informationUri: info.repositoryUrl ?? `https://www.npmjs.com/package/${info.name}`, rules } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}
