import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { AuthorizationPolicy, AuthorizationPolicySpecAction } from '../../imports/security.istio.io';
import { AppRuntime } from '../app/runtime';
import { lazy } from '../mesh/lazy';
import { MeshError } from '../mesh/errors';
import { ServiceReference } from '../mesh/service-target';
import { Attachment } from './placement';
import { checkPaths, checkPorts, renderOperation } from './rules';

/** Options of `ZeroTrustNamespace.requireJwt()`. */
export interface JwtOptions {
  /** Issuer of the tokens (`iss` claim), e.g. `https://auth.example.com`. */
  readonly issuer: string;
  /**
   * URL of the issuer's JSON Web Key Set. Must be `https://`: istiod fetches the keys from it, and
   * keys fetched over plain HTTP can be replaced on the way (whoever does can mint accepted tokens).
   */
  readonly jwksUri: string;
  /**
   * Accepted audiences (`aud` claim). Without them any token of the issuer is accepted, also one
   * issued for another application (a warning).
   *
   * @default - any audience (warned)
   */
  readonly audiences?: string[];
  /**
   * The Service whose workloads require the token.
   *
   * @default - every workload of the namespace
   */
  readonly to?: ServiceReference;
  /**
   * Paths on which the token is required (exact, `/prefix/*`, `*suffix`). `/api/*` also covers
   * `/api` (Istio's `/api/*` is the prefix `/api/`, so `/api` is added). Istio matches the path
   * case-sensitively after its normalization (meshConfig `pathNormalization`, default `BASE`:
   * `.`/`..` segments resolved, but `//api/x` and `/api%2Fx` are not rewritten and escape a
   * `/api/*` requirement): require the token on every path, or set `pathNormalization` to
   * `MERGE_SLASHES` / `DECODE_AND_MERGE_SLASHES`, when the application treats those alike.
   *
   * @see https://istio.io/latest/docs/ops/best-practices/security/#understand-path-normalization-in-authorization-policy
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
   * Also let any caller presenting a valid token of the issuer call `to` (on `paths`/`ports`): an
   * ALLOW on `requestPrincipals` alone. ALLOW policies are ORed, so this adds callers to every
   * `allow()` of `to`, from any namespace (a warning). Without it a token requirement never adds
   * callers: only the callers of `allow()` may call, and they need a token.
   *
   * @default false
   */
  readonly allowAnyCallerWithToken?: boolean;
  /**
   * Name of the RequestAuthentication; the DENY policy adds `-require`, the ALLOW of
   * `allowAnyCallerWithToken` `-allow`.
   *
   * @default - `jwt-<to.name>` (or `jwt-namespace`)
   */
  readonly name?: string;
}

/** The objects that make a JWT required. */
export interface JwtRequirement {
  /**
   * The RequestAuthentication (a plain ApiObject: the generated class writes `jwks_uri`; this one
   * writes the documented `jwksUri`). It validates tokens that are present; alone it requires none.
   */
  readonly requestAuthentication: ApiObject;
  /**
   * ALLOW for any request carrying a valid token of the issuer (`requestPrincipals: ["<iss>/*"]`),
   * only with `allowAnyCallerWithToken: true`.
   *
   * @default - none (a token requirement adds no callers)
   */
  readonly allow?: AuthorizationPolicy;
  /**
   * DENY for requests without a valid token (`notRequestPrincipals: ["*"]`) on the paths. `*` is
   * any principal a RequestAuthentication of the workload validated, whichever issuer: another
   * RequestAuthentication on the same workloads widens it (README, ZeroTrustNamespace traps).
   * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
   */
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
 * The paths a requirement on `paths` must cover: `/x/*` is the prefix `/x/` in Istio (a trailing
 * `*` becomes a prefix match on what precedes it), which does not match `/x` itself; `/x` is added.
 * https://github.com/istio/istio/blob/1.30.3/pilot/pkg/security/authz/matcher/string.go (`StringMatcherWithPrefix`)
 */
export function coveredPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!out.includes(p)) out.push(p);
    const m = /^(\/.+)\/\*$/.exec(p);
    if (m && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

/**
 * Emits a RequestAuthentication together with a DENY for requests without a valid token (so that
 * the callers of `allow()` need a token); never alone. A token requirement adds no callers: only
 * with `allowAnyCallerWithToken` an ALLOW on `requestPrincipals` is added (warned).
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
  if (!options.jwksUri.startsWith('https://')) {
    throw MeshError.invalid(scope, 'requireJwt.jwksUri', options.jwksUri,
      'an https:// URL: istiod fetches the signing keys from it, and keys fetched over plain HTTP can be replaced on the way, '
      + 'letting whoever does it mint accepted tokens');
  }
  const audiences = options.audiences;
  if (audiences !== undefined && (!Array.isArray(audiences) || audiences.length === 0 || audiences.some(a => typeof a !== 'string' || a === ''))) {
    throw MeshError.invalid(scope, 'requireJwt.audiences', audiences, 'a non-empty list of non-empty audience strings');
  }
  const anyCaller = options.allowAnyCallerWithToken ?? false;
  if (typeof anyCaller !== 'boolean') {
    throw MeshError.invalid(scope, 'requireJwt.allowAnyCallerWithToken', anyCaller, 'true or false');
  }
  const paths = coveredPaths(checkPaths(scope, 'requireJwt.paths', options.paths));
  const ports = checkPorts(scope, 'requireJwt.ports', options.ports);
  const ctx = AppRuntime.of(scope);
  if (audiences === undefined) {
    ctx.warn(scope, `requireJwt(${where.names.request}): no audiences: every token of ${issuer} is accepted, also one issued for another `
      + 'application of that issuer (which can then be replayed here); set `audiences` to the audience of this service');
  }
  const operation = renderOperation([], paths, ports);
  const to = operation ? { to: [{ operation }] } : {};
  const jwtRule = { issuer, jwksUri: options.jwksUri, ...(audiences ? { audiences: [...audiences] } : {}) };

  const requestAuthentication = new ApiObject(scope, `jwt-${where.names.request}`, {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    metadata: { name: where.names.request, namespace: where.namespace },
    spec: lazy(() => ({ ...where.attachment(), jwtRules: [jwtRule] })),
  });
  let allow: AuthorizationPolicy | undefined;
  if (anyCaller) {
    ctx.warn(scope, `requireJwt(${where.names.request}): allowAnyCallerWithToken: any caller presenting a valid token of ${issuer}, `
      + 'from any namespace, may call the target; ALLOW policies are ORed, so this adds callers to every allow() of it');
    allow = new AuthorizationPolicy(scope, `jwt-${where.names.allow}`, {
      metadata: { name: where.names.allow, namespace: where.namespace },
      spec: lazy(() => ({
        ...where.attachment(),
        action: AuthorizationPolicySpecAction.ALLOW,
        rules: [{ from: [{ source: { requestPrincipals: [`${issuer}/*`] } }], ...to }],
      })),
    });
  }
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
