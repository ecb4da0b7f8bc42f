import { GRAPH_CODES, GRAPH_TIER } from './graph';
import { INPUT_CODES, INPUT_TIER } from './input';
import { SCHEMA_CODES, SCHEMA_TIER } from './schema';
import { SEMANTICS_CODES, SEMANTICS_TIER } from './semantics';
import { CodeSpec, DiagnosticTier, TierSpec } from './types';

export type { CodeSpec, DiagnosticTier, TierSpec } from './types';

/**
 * The registry of diagnostic codes: every code the validator, the CLI and the constructs report,
 * with its default severity, tier, title and meaning. docs/diagnostic-codes.md is generated from
 * it (`npm run docs:codes`) and a test keeps the two equal. Code that reports a finding names the
 * code through {@link Code} (`Code.CI2106`), never as a string literal; a new code is added to the
 * tier file here first.
 */
const TIERS: readonly { spec: TierSpec; codes: Record<string, CodeSpec> }[] = [
  { spec: SCHEMA_TIER, codes: SCHEMA_CODES },
  { spec: SEMANTICS_TIER, codes: SEMANTICS_CODES },
  { spec: GRAPH_TIER, codes: GRAPH_CODES },
  { spec: INPUT_TIER, codes: INPUT_CODES },
];

/** Every registered code. */
export type DiagnosticCode = keyof typeof SCHEMA_CODES | keyof typeof SEMANTICS_CODES | keyof typeof GRAPH_CODES | keyof typeof INPUT_CODES;

/** One registered code. */
export interface DiagnosticCodeInfo extends CodeSpec {
  /** The code, e.g. `IST0101` or `CI2027`. */
  readonly code: DiagnosticCode;
  /** The tier that reports it. */
  readonly tier: DiagnosticTier;
}

/** Every registered code, in documentation order (tier by tier). */
export const DIAGNOSTIC_CODES: readonly DiagnosticCodeInfo[] = TIERS.flatMap(({ spec, codes }) =>
  Object.entries(codes).map(([code, c]) => ({ code: code as DiagnosticCode, tier: spec.tier, ...c })));

/** The tiers' sections of docs/diagnostic-codes.md, in order. */
export const DIAGNOSTIC_TIERS: readonly TierSpec[] = TIERS.map(t => t.spec);

const BY_CODE = new Map<string, DiagnosticCodeInfo>(DIAGNOSTIC_CODES.map(c => [c.code, c]));

/** The codes by name: `Code.IST0101 === 'IST0101'`; a misspelt code does not compile. */
export const Code: { readonly [K in DiagnosticCode]: K } = Object.freeze(
  Object.fromEntries(DIAGNOSTIC_CODES.map(c => [c.code, c.code])) as { [K in DiagnosticCode]: K });

/** The registry entry of a code, or undefined for a string that is not a registered code. */
export function diagnosticCodeInfo(code: string): DiagnosticCodeInfo | undefined {
  return BY_CODE.get(code);
}
