/** How bad a finding is: errors fail synth and the CLI; warnings and infos are printed. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One finding of the validator, about one document of a manifest set.
 *
 * Codes are stable: `IST0xxx` where `istioctl analyze` has a code for the same finding,
 * otherwise the library's own `CIxxxx` (1xxx schema and CEL, 2xxx admission semantics,
 * 3xxx cross-resource analysis, 9xxx input problems such as YAML syntax errors).
 */
export interface Diagnostic {
  /** Stable code, e.g. `IST0101` or `CI1001`. */
  readonly code: string;
  /** Severity. */
  readonly severity: Severity;
  /**
   * File the document came from (CLI only).
   *
   * @default - not set for documents given as objects
   */
  readonly file?: string;
  /**
   * Index of the document: in its file (CLI) or in the array given to `validateManifests`.
   *
   * @default - not set for findings about the whole set
   */
  readonly index?: number;
  /**
   * 1-based line in `file` of the offending field (of its nearest ancestor written in the file,
   * or of the document when the finding is about the whole object). CLI only.
   *
   * @default - not set for documents given as objects
   */
  readonly line?: number;
  /**
   * 1-based column in `file` that goes with `line`. CLI only.
   *
   * @default - not set for documents given as objects
   */
  readonly column?: number;
  /** `apiVersion` of the document ('' when it has none). */
  readonly apiVersion: string;
  /** `kind` of the document ('' when it has none). */
  readonly kind: string;
  /** `metadata.namespace` of the document ('' when it has none). */
  readonly namespace: string;
  /** `metadata.name` of the document ('' when it has none). */
  readonly name: string;
  /** JSON path of the offending field inside the document, e.g. `spec.http[0].route[1].weight`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** The identifying fields of a manifest, as they appear in every diagnostic about it. */
export function identify(doc: unknown): Pick<Diagnostic, 'apiVersion' | 'kind' | 'namespace' | 'name'> {
  const d = (doc !== null && typeof doc === 'object' ? doc : {}) as Record<string, any>;
  const metadata = d.metadata !== null && typeof d.metadata === 'object' ? d.metadata : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return { apiVersion: str(d.apiVersion), kind: str(d.kind), namespace: str(metadata.namespace), name: str(metadata.name) };
}

/** Builds a diagnostic about `doc`. */
export function diagnostic(doc: unknown, code: string, severity: Severity, path: string, message: string): Diagnostic {
  return { code, severity, ...identify(doc), path, message };
}

/**
 * One line for humans: `error CI1001 VirtualService shop/reviews spec.http[0]: message`, preceded
 * by `file:line:column` (or `file#index` when the line is not known) for documents read from files.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const at = d.line !== undefined ? `:${d.line}:${d.column ?? 1}` : d.index !== undefined ? `#${d.index}` : '';
  const where = d.file !== undefined ? `${d.file}${at} ` : '';
  // Input problems (unreadable file, YAML syntax error) are about no object: no object part.
  const none = !d.kind && !d.name && !d.apiVersion;
  const obj = none ? '' : ` ${d.kind || '<no kind>'} ${d.namespace ? `${d.namespace}/` : ''}${d.name || '<no name>'}`;
  return `${where}${d.severity} ${d.code}${obj}${d.path ? ` ${d.path}` : ''}: ${d.message}`;
}
