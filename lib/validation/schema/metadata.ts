import { isDns1123Subdomain } from '../../mesh/checks';
import { diagnostic, Diagnostic } from '../diagnostic';

/**
 * Metadata checks the API server applies to every object: `metadata.name` is required and is a
 * DNS-1123 subdomain (code CI1001).
 */
export function validateMetadata(doc: any): Diagnostic[] {
  const out: Diagnostic[] = [];
  const name = doc?.metadata?.name;
  if (typeof name !== 'string' || name.length === 0) {
    out.push(diagnostic(doc, 'CI1001', 'error', 'metadata.name', 'metadata.name is required'));
  } else if (!isDns1123Subdomain(name)) {
    out.push(diagnostic(doc, 'CI1001', 'error', 'metadata.name',
      `metadata.name ${JSON.stringify(name)} must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)`));
  }
  return out;
}
