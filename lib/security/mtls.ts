import { IConstruct } from 'constructs';
import { AppRuntime } from '../app/runtime';
import { checkDns1123Subdomain } from '../mesh/checks';
import { MeshError } from '../mesh/errors';

/**
 * Mutual TLS mode of a namespace (PeerAuthentication).
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/#PeerAuthentication-MutualTLS-Mode
 */
export enum MtlsMode {
  /** Only mTLS connections are accepted. */
  STRICT = 'STRICT',
  /** mTLS and plaintext are accepted: a migration setting, not zero trust. */
  PERMISSIVE = 'PERMISSIVE',
}

/** Resolves and checks the `mtls` prop of a namespace: STRICT, or PERMISSIVE with the explicit opt-in (and a warning). */
export function checkMtls(scope: IConstruct, value: MtlsMode | undefined, allowPermissive: boolean | undefined): MtlsMode {
  const mtls = value ?? MtlsMode.STRICT;
  if (mtls !== MtlsMode.STRICT && mtls !== MtlsMode.PERMISSIVE) {
    throw MeshError.invalid(scope, 'mtls', mtls, 'MtlsMode.STRICT or MtlsMode.PERMISSIVE');
  }
  if (mtls === MtlsMode.PERMISSIVE) {
    if (allowPermissive !== true) {
      throw MeshError.invalid(scope, 'mtls', mtls,
        'MtlsMode.STRICT unless `allowPermissiveMtls: true` is set (PERMISSIVE accepts plaintext from anything that can reach the pods)');
    }
    AppRuntime.of(scope).warn(scope, 'mtls is PERMISSIVE: plaintext connections are accepted; '
      + 'rules on principals or namespaces still deny them, but this is not zero trust (use it only while migrating)');
  }
  return mtls;
}

/**
 * Reserves a policy name in a namespace: `given` (checked, unique) or the first free of `base`,
 * `base-2`, `base-3`, ...
 */
export function claimPolicyName(scope: IConstruct, names: Set<string>, namespace: string, given: string | undefined, base: string): string {
  if (given !== undefined) {
    checkDns1123Subdomain(scope, 'name', given);
    if (names.has(given)) throw MeshError.invalid(scope, 'name', given, `unique among the policies of namespace "${namespace}"`);
    names.add(given);
    return given;
  }
  let name = base;
  for (let n = 2; names.has(name); n++) name = `${base}-${n}`;
  names.add(name);
  return name;
}
