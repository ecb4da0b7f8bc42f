import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationPolicySpec, AuthorizationPolicySpecAction } from '../../imports/security.istio.io';
import { Identity } from '../identity';
import { AppRuntime } from '../app/runtime';
import { IAmbientNamespace } from '../mesh/dataplane';
import { lazy } from '../mesh/lazy';
import { waypointAttachment } from './placement';
import { waypointConsumers } from './waypoint-consumers';

const KEY = 'cdk8s-istio/security/zero-trust';

/** Namespaces made zero-trust in the App, with their ZeroTrustNamespace. */
export function zeroTrustNamespaces(ctx: AppRuntime): Map<string, Construct> {
  return ctx.shared(KEY, () => new Map<string, Construct>());
}

/**
 * The waypoint side of a zero-trust ambient namespace:
 * - `allow-waypoints`: a namespace-wide ALLOW at ztunnel for the identities of the waypoints in the
 *   path (the destination ztunnel sees the waypoint, not the client; without it allow-nothing denies
 *   every waypoint hop);
 * - `<waypoint>-allow-nothing`: an ALLOW without rules attached to each waypoint of the namespace
 *   (`targetRefs` Gateway), so that only explicit allows pass the waypoint.
 *
 * Objects are created when a waypoint or binding appears (`sync()`), their content at synth.
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#require-traffic-to-traverse-the-waypoint
 */
export class WaypointPolicies {
  /** The ztunnel ALLOW for waypoint identities, once a waypoint is in the path. */
  public peers?: AuthorizationPolicy;
  private readonly allowNothing = new Map<string, AuthorizationPolicy>();

  /**
   * @param scope the ZeroTrustNamespace (parent of the objects, named in warnings)
   * @param ambient the namespace it is layered on
   * @param trustDomain trust domain of the waypoint principals
   * @param claimName reserves a unique policy name
   */
  public constructor(private readonly scope: Construct, private readonly ambient: IAmbientNamespace,
    private readonly trustDomain: string, private readonly claimName: (base: string) => string) {}

  /** The allow-nothing policies attached to the namespace's waypoints, in declaration order. */
  public get waypointAllowNothing(): AuthorizationPolicy[] {
    return [...this.allowNothing.values()];
  }

  /** Creates the objects that the current waypoints and bindings need (idempotent). */
  public sync(): void {
    const ambient = this.ambient;
    if (ambient.hasWaypointBinding() && !this.peers) {
      this.peers = new AuthorizationPolicy(this.scope, 'allow-waypoints', {
        metadata: { name: this.claimName('allow-waypoints'), namespace: ambient.name },
        spec: lazy(() => this.renderPeers()),
      });
    }
    for (const wp of ambient.waypointRefs) {
      if (this.allowNothing.has(wp.name)) continue;
      this.allowNothing.set(wp.name, new AuthorizationPolicy(this.scope, `waypoint-${wp.name}`, {
        metadata: { name: this.claimName(`${wp.name}-allow-nothing`), namespace: ambient.name },
        spec: { ...waypointAttachment(undefined, wp), action: AuthorizationPolicySpecAction.ALLOW },
      }));
    }
  }

  /** Warns about namespaces of the App that use one of these waypoints without being zero-trust. */
  public warnOpenConsumers(): void {
    const ctx = AppRuntime.of(this.scope);
    const zeroTrust = zeroTrustNamespaces(ctx);
    for (const wp of this.ambient.waypointRefs) {
      for (const ns of waypointConsumers(this.scope, wp).filter(n => n !== this.ambient.name && !zeroTrust.has(n))) {
        ctx.warn(this.scope, `waypoint ${wp.namespace}/${wp.name} also serves namespace "${ns}", which is not zero-trust: the waypoint's `
          + `allow-nothing denies all of its traffic through the waypoint; make "${ns}" a ZeroTrustNamespace with allow() rules`);
      }
    }
  }

  private renderPeers(): AuthorizationPolicySpec {
    const ctx = AppRuntime.of(this.scope);
    const zeroTrust = zeroTrustNamespaces(ctx);
    const waypoints = this.ambient.waypointsInPath();
    for (const wp of waypoints.filter(w => w.namespace !== this.ambient.name && !zeroTrust.has(w.namespace))) {
      ctx.warn(this.scope, `waypoint ${wp.namespace}/${wp.name} is in another namespace that is not zero-trust here: its identity is allowed `
        + 'at ztunnel, so Services without an allow() are open through it; make that namespace a ZeroTrustNamespace too');
    }
    const principals = waypoints.map(wp => Identity.waypoint(wp).toPrincipal(this.trustDomain)!);
    return { action: AuthorizationPolicySpecAction.ALLOW, rules: [{ from: [{ source: { principals } }] }] };
  }
}
