import type { Severity } from '../diagnostic';

/** The validation tier that reports a code. */
export type DiagnosticTier = 'schema' | 'semantics' | 'graph' | 'input';

/** One entry of the registry, without its code. */
export interface CodeSpec {
  /** The severity the code is reported with (graph references outside the set are `info` instead). */
  readonly severity: Severity;
  /** A short title, e.g. for a SARIF rule. */
  readonly title: string;
  /** What the finding means, in Markdown (the "meaning" column of docs/diagnostic-codes.md). */
  readonly doc: string;
}

/** A tier's section in docs/diagnostic-codes.md. */
export interface TierSpec {
  /** The tier. */
  readonly tier: DiagnosticTier;
  /** The section heading (without `## `). */
  readonly heading: string;
  /** The Markdown text between the heading and the table. */
  readonly intro: string;
}
