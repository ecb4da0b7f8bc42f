import { arr, Findings, obj, q, str } from './context';
import { checkSelectorLabels, checkTargetRefs } from './common';
import { checkDurationPrecision } from './durations';
import { Code } from '../codes';

// istiod's admission rules for RequestAuthentication (istio/istio pkg/config/validation/validation.go
// `ValidateRequestAuthentication`, `validateJwtRule`). Empty audiences, header names and the
// jwksUri scheme are CRD rules (tier 1).

/** Validates a RequestAuthentication spec. */
export function validateRequestAuthentication(f: Findings, spec: Record<string, any>): void {
  checkTargetRefs(f, spec);
  checkSelectorLabels(f, 'spec.selector', spec.selector, 'matchLabels');
  arr(spec.jwtRules).forEach((rv, i) => {
    const rule = obj(rv);
    if (!rule) return;
    const path = `spec.jwtRules[${i}]`;
    if (!str(rule.issuer) && !str(rule.jwksUri) && !str(rule.jwks_uri)) {
      f.error(Code.CI2095, path, 'a JWT rule needs an issuer or a jwksUri');
    }
    const jwks = str(rule.jwks);
    if (jwks) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(jwks);
      } catch {
        parsed = undefined;
      }
      const o = obj(parsed);
      if (!o || (!Array.isArray(o.keys) && typeof o.kty !== 'string')) {
        f.error(Code.CI2096, `${path}.jwks`, `jwks ${q(jwks.length > 40 ? `${jwks.slice(0, 40)}...` : jwks)} is not a JSON Web Key Set (a JSON object with "keys", or a single JWK with "kty")`);
      }
    }
    const uri = str(rule.jwksUri) ?? str(rule.jwks_uri);
    if (uri && /^http:\/\//i.test(uri)) {
      f.warn(Code.CI2190, `${path}.jwksUri`, `jwksUri ${q(uri)} is plain HTTP: istiod fetches the signing keys over it, and keys replaced on the way let `
        + 'whoever does it mint accepted tokens; use https://');
    }
    checkDurationPrecision(f, `${path}.timeout`, rule.timeout);
  });
}
