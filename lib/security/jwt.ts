import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { AuthorizationPolicy, AuthorizationPolicySpecAction } from '../../imports/security.istio.io';
import { lazy } from '../mesh/lazy';
import { MeshError } from '../mesh/errors';
import { ServiceReference } from '../mesh/service-target';
import { Attachment } from './placement';
import { checkPaths, checkPorts, renderOperation } from './rules';

/** Options of `ZeroTrustNamespace.requireJwt()`. */
export interface JwtOptions {
  /** Issuer of the tokens (`iss` claim), e.g. `https://auth.example.com`. */
  readonly issuer: string;
  /** URL of the issuer's JSON Web Key Set (`https://...`). */
  readonly jwksUri: string;
  /**
   * Accepted audiences (`aud` claim).
   *
   * @default - any audience
   */
  readonly audiences?: string[];
  /**
   * The Service whose workloads require the token.
   *
   * @default - every workload of the namespace
   */
  readonly to?: ServiceReference;
  /**
   * Paths on which the token is required (exact, `/prefix/*`, `*suffix`).
   *
   * @default - every path
   */
  readonly paths?: string[];
  /**
   * Ports (that the workloads listen on) on which the token is required. Without ports the DENY for
   * token-less requests also denies every non-HTTP (TCP) port of the workloads.
   *
   * @default - every port
   */
  readonly ports?: number[];
  /**
   * Name of the RequestAuthentication; the ALLOW and DENY policies add `-allow` and `-require`.
   *
   * @default - `jwt-<to.name>` (or `jwt-namespace`)
   */
  readonly name?: string;
}

/** The three objects that make a JWT required. */
export interface JwtRequirement {
  /**
   * The RequestAuthentication (a plain ApiObject: the generated class writes `jwks_uri`; this one
   * writes the documented `jwksUri`). It validates tokens that are present; alone it requires none.
   */
  readonly requestAuthentication: ApiObject;
  /** ALLOW for requests carrying a valid token of the issuer (`requestPrincipals: ["<iss>/*"]`). */
  readonly allow: AuthorizationPolicy;
  /** DENY for requests without a valid token (`notRequestPrincipals: ["*"]`) on the paths. */
  readonly deny: AuthorizationPolicy;
}

/** Where and under which names `addJwtRequirement` emits. */
export interface JwtPlacement {
  /** Object names. */
  readonly names: { readonly request: string; readonly allow: string; readonly deny: string };
  /** Namespace of the objects. */
  readonly namespace: string;
  /** Attachment, resolved at synth. */
  readonly attachment: () => Attachment;
}

const URL_RE = /^https?:\/\/[^\s/$.?#][^\s]*$/;

/**
 * Emits a RequestAuthentication together with the ALLOW that makes a token required and a DENY for
 * token-less requests. The three are only ever created together.
 *
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export function addJwtRequirement(scope: Construct, options: JwtOptions, where: JwtPlacement): JwtRequirement {
  const issuer = options.issuer;
  if (typeof issuer !== 'string' || issuer.trim() === '' || /\s/.test(issuer)) {
    throw MeshError.invalid(scope, 'requireJwt.issuer', issuer, 'the token issuer (the `iss` claim, e.g. "https://auth.example.com")');
  }
  if (typeof options.jwksUri !== 'string' || !URL_RE.test(options.jwksUri)) {
    throw MeshError.invalid(scope, 'requireJwt.jwksUri', options.jwksUri,
      'the URL of the issuer\'s JSON Web Key Set (e.g. "https://auth.example.com/.well-known/jwks.json")');
  }
  const audiences = options.audiences;
  if (audiences !== undefined && (!Array.isArray(audiences) || audiences.length === 0 || audiences.some(a => typeof a !== 'string' || a === ''))) {
    throw MeshError.invalid(scope, 'requireJwt.audiences', audiences, 'a non-empty list of non-empty audience strings');
  }
  const paths = checkPaths(scope, 'requireJwt.paths', options.paths);
  const ports = checkPorts(scope, 'requireJwt.ports', options.ports);
  const operation = renderOperation([], paths, ports);
  const to = operation ? { to: [{ operation }] } : {};
  const jwtRule = { issuer, jwksUri: options.jwksUri, ...(audiences ? { audiences: [...audiences] } : {}) };

  const requestAuthentication = new ApiObject(scope, `jwt-${where.names.request}`, {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    metadata: { name: where.names.request, namespace: where.namespace },
    spec: lazy(() => ({ ...where.attachment(), jwtRules: [jwtRule] })),
  });
  const allow = new AuthorizationPolicy(scope, `jwt-${where.names.allow}`, {
    metadata: { name: where.names.allow, namespace: where.namespace },
    spec: lazy(() => ({
      ...where.attachment(),
      action: AuthorizationPolicySpecAction.ALLOW,
      rules: [{ from: [{ source: { requestPrincipals: [`${issuer}/*`] } }], ...to }],
    })),
  });
  const deny = new AuthorizationPolicy(scope, `jwt-${where.names.deny}`, {
    metadata: { name: where.names.deny, namespace: where.namespace },
    spec: lazy(() => ({
      ...where.attachment(),
      action: AuthorizationPolicySpecAction.DENY,
      rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], ...to }],
    })),
  });
  return { requestAuthentication, allow, deny };
}
