import { Construct, IConstruct } from 'constructs';
import { Identity, IdentityKind } from '../identity';
import { AppRuntime } from '../app/runtime';
import { WaypointRef } from '../mesh/dataplane';
import { MeshError } from '../mesh/errors';
import { Attachment } from './placement';

// Whole-namespace checks of ZeroTrustNamespace / AmbientNamespace that guard against policies that
// validate but do not do what they say (issue #15 items 1-3, 6).

/** An `allow()` as the synth-time checks see it. */
export interface AllowRecord {
  /** `allow(<name>)`, for messages. */
  readonly what: string;
  /** Target Service, or undefined for the whole namespace. */
  readonly service?: string;
  /** Sources. */
  readonly identities: readonly Identity[];
  /** Where it is enforced (resolved at synth). */
  readonly attachment: () => Attachment;
}

/** A `requireJwt()` as the synth-time checks see it. */
export interface JwtRecord {
  /** `requireJwt(<name>)`, for messages. */
  readonly what: string;
  /** Target Service, or undefined for the whole namespace. */
  readonly service?: string;
  /** `allowAnyCallerWithToken` was set. */
  readonly anyCaller: boolean;
  /** Where it is enforced (resolved at synth). */
  readonly attachment: () => Attachment;
}

/** Warns about `Identity.principal('*')` (and `*`-only principals): every mTLS peer of the mesh matches. */
export function warnBroadPrincipals(scope: IConstruct, what: string, identities: readonly Identity[]): void {
  for (const id of identities) {
    if (id.kind === IdentityKind.PRINCIPAL && id.rawPrincipal === '*') {
      AppRuntime.of(scope).warn(scope, `${what}: principal "*" admits every workload with a mesh identity, in every namespace `
        + '(it only excludes plaintext callers); name the callers with Identity.serviceAccount() or Identity.anyInNamespace()');
    }
  }
}

/**
 * At synth: a JWT requirement that no allow() covers makes the target uncallable (a warning); in
 * ambient, a requirement enforced at a waypoint is bypassed by an allow() that admits callers at
 * ztunnel directly to the same workloads (sidecars and ingress gateways skip the destination
 * waypoint, and so does traffic addressed to pod IPs: "traffic from sidecars and gateways won't go
 * through any waypoint proxy", https://istio.io/latest/docs/ambient/architecture/data-plane/), where
 * no token is checked: that is an error naming the bypass.
 */
export function checkJwtRequirements(scope: Construct, ambient: { waypointFor(service?: string): WaypointRef | undefined } | undefined, nsName: string,
  jwts: readonly JwtRecord[], allows: readonly AllowRecord[]): void {
  const ctx = AppRuntime.of(scope);
  for (const jwt of jwts) {
    const target = jwt.service === undefined ? `namespace "${nsName}"` : `Service "${jwt.service}"`;
    const covering = allows.filter(a => jwt.service === undefined || a.service === undefined || a.service === jwt.service);
    if (covering.length === 0 && !jwt.anyCaller) {
      ctx.warn(scope, `${jwt.what}: no allow() admits callers to ${target}, so nothing may call it (a token requirement adds no callers): `
        + 'name the callers with allow(), or set allowAnyCallerWithToken: true to let any caller with a valid token in');
    }
    if (!ambient || !('targetRefs' in jwt.attachment())) continue;
    const wp = ambient.waypointFor(jwt.service);
    for (const a of covering) {
      if ('targetRefs' in a.attachment()) continue;
      const where = a.service === undefined ? `the workloads of namespace "${nsName}"` : `the workloads of Service "${a.service}"`;
      throw new MeshError(scope, `${jwt.what}: the token is checked at waypoint ${wp ? `${wp.namespace}/${wp.name}` : ''} of ${target}, but `
        + `${a.what} admits ${a.identities.map(String).join(', ')} at ztunnel directly to ${where} (sidecar clients, ingress gateways `
        + 'without ingressUseWaypoint and traffic to pod IPs skip the waypoint), where no token is checked: that bypasses the requirement; '
        + 'route those callers through the waypoint (AmbientNamespace ingressUseWaypoint: true, an ambient caller namespace) or remove that allow()');
    }
  }
}
