import { Diagnostic } from '../diagnostic';

/** Tier 2: istiod's admission-webhook rules for one document (what the CRD schema does not check). */
export function validateSemantics(_doc: unknown): Diagnostic[] {
  return [];
}
