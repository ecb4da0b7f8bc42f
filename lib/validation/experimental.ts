import { GATEWAY_API_DURATION } from '../mesh/duration';
import { diagnostic, Diagnostic } from './diagnostic';
import { Code } from './codes';

// Gateway API experimental-channel fields that the vendored standard-channel CRDs (crds/) do not
// carry. With `gatewayApiChannel: 'experimental'` the validator checks them here and hands the
// schema tier a copy without them; with the default standard channel they stay unknown fields
// (CI1002), exactly as a standard-channel API server would reject them.
// https://gateway-api.sigs.k8s.io/reference/spec/#httprouteretry (GEP-1731, experimental)

/** Code of an invalid experimental-channel field. */
export const EXPERIMENTAL_FIELD = Code.CI1020;

const RETRY_FIELDS = new Set(['codes', 'attempts', 'backoff']);

function isHttpRoute(doc: any): boolean {
  return doc?.kind === 'HTTPRoute' && typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith('gateway.networking.k8s.io/');
}

function checkRetry(doc: unknown, retry: unknown, path: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const fail = (p: string, message: string) => out.push(diagnostic(doc, EXPERIMENTAL_FIELD, 'error', p, message));
  if (retry === null || typeof retry !== 'object' || Array.isArray(retry)) {
    fail(path, `retry must be an object with codes, attempts and backoff, got ${JSON.stringify(retry)}`);
    return out;
  }
  const r = retry as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!RETRY_FIELDS.has(key)) fail(`${path}.${key}`, `unknown field ${JSON.stringify(key)}; allowed fields: attempts, backoff, codes`);
  }
  if (r.attempts !== undefined && !(Number.isInteger(r.attempts) && (r.attempts as number) >= 0)) {
    fail(`${path}.attempts`, `attempts must be a non-negative integer, got ${JSON.stringify(r.attempts)}`);
  }
  if (r.backoff !== undefined && !(typeof r.backoff === 'string' && GATEWAY_API_DURATION.test(r.backoff))) {
    fail(`${path}.backoff`, `backoff must be a Gateway API duration matching ^([0-9]{1,5}(h|m|s|ms)){1,4}$, got ${JSON.stringify(r.backoff)}`);
  }
  if (r.codes !== undefined) {
    if (!Array.isArray(r.codes)) {
      fail(`${path}.codes`, `codes must be a list of HTTP status codes 400..599, got ${JSON.stringify(r.codes)}`);
    } else {
      r.codes.forEach((c, i) => {
        if (!(Number.isInteger(c) && c >= 400 && c <= 599)) fail(`${path}.codes[${i}]`, `codes[${i}] must be an HTTP status code 400..599, got ${JSON.stringify(c)}`);
      });
    }
  }
  return out;
}

/**
 * Splits the experimental-channel fields off a document: returns the document as the
 * standard-channel schema sees it (a copy without those fields, or the document itself when it
 * has none) and the findings about the experimental fields.
 */
export function splitExperimental(doc: unknown): { readonly standard: unknown; readonly findings: Diagnostic[] } {
  const rules = (doc as any)?.spec?.rules;
  if (!isHttpRoute(doc) || !Array.isArray(rules) || !rules.some(r => r !== null && typeof r === 'object' && 'retry' in r)) {
    return { standard: doc, findings: [] };
  }
  const findings: Diagnostic[] = [];
  const stripped = rules.map((rule: any, i: number) => {
    if (rule === null || typeof rule !== 'object' || !('retry' in rule)) return rule;
    findings.push(...checkRetry(doc, rule.retry, `spec.rules[${i}].retry`));
    const rest = { ...rule };
    delete rest.retry;
    return rest;
  });
  const d = doc as any;
  return { standard: { ...d, spec: { ...d.spec, rules: stripped } }, findings };
}
