import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkDns1123Label } from './checks';
import { MeshError } from './errors';

/** How workloads of a namespace join the mesh. */
export enum DataplaneMode {
  /** Envoy sidecars injected into each pod (`istio-injection: enabled`). */
  SIDECAR = 'SIDECAR',
  /** Ambient: ztunnel on each node for L4, waypoint proxies for L7 (`istio.io/dataplane-mode: ambient`). */
  AMBIENT = 'AMBIENT',
}

/**
 * Which traffic a waypoint handles (the `istio.io/waypoint-for` label).
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#waypoint-traffic-types
 */
export enum WaypointFor {
  /** Traffic addressed to Services and ServiceEntries (Istio's default). */
  SERVICE = 'service',
  /** Traffic addressed to pod IPs. */
  WORKLOAD = 'workload',
  /** Both service and workload traffic. */
  ALL = 'all',
}

/** A waypoint proxy (a Gateway of class `istio-waypoint`). */
export interface WaypointRef {
  /** Name of the waypoint Gateway; also the name of its ServiceAccount. */
  readonly name: string;
  /** Namespace of the waypoint Gateway. */
  readonly namespace: string;
  /** Traffic the waypoint handles. */
  readonly for: WaypointFor;
}

/**
 * What the library knows about a namespace declared by a namespace construct
 * (`AmbientNamespace`, `ZeroTrustNamespace`). Other constructs read it at synth time to emit what
 * works on that dataplane.
 */
export interface INamespaceInfo {
  /** Namespace name. */
  readonly name: string;
  /** Dataplane of the namespace. */
  readonly mode: DataplaneMode;
  /** The construct that declares the namespace. */
  readonly construct: IConstruct;
  /**
   * The waypoint that serves traffic to `service` (a Service name in this namespace), or to the
   * namespace as a whole when `service` is omitted; undefined when none is bound.
   */
  waypointFor(service?: string): WaypointRef | undefined;
  /**
   * The waypoint bound to `service` (its Service binding, else the namespace binding), or to the
   * namespace when `service` is omitted, whatever traffic type it handles; undefined when none
   * (always undefined in sidecar mode).
   */
  waypointBoundTo(service?: string): WaypointRef | undefined;
}

/**
 * The ambient dataplane of a namespace, as other families see it (`AmbientNamespace` implements
 * it): families depend on this narrow interface, never on the construct.
 */
export interface IAmbientNamespace extends INamespaceInfo {
  /** The Namespace object. */
  readonly namespaceObject: ApiObject;
  /** Ingress gateway traffic goes through the waypoint (`istio.io/ingress-use-waypoint`). */
  readonly ingressUseWaypoint: boolean;
  /** References to the waypoints declared in this namespace, in declaration order. */
  readonly waypointRefs: WaypointRef[];
  /** Services bound to a waypoint one by one, sorted. */
  readonly boundServices: string[];
  /** True when the namespace, or any of its Services, is bound to a waypoint. */
  hasWaypointBinding(): boolean;
  /**
   * Every waypoint traffic to this namespace's workloads may come from (the namespace binding of
   * any traffic type and each Service binding), sorted by namespace and name.
   */
  waypointsInPath(): WaypointRef[];
}

/** Requires a waypoint name: a DNS-1123 label other than the reserved `none`. */
export function checkWaypointName(scope: IConstruct, prop: string, value: unknown): string {
  if (value === 'none') {
    throw MeshError.invalid(scope, prop, value, 'a waypoint name other than "none" (reserved by Istio: `istio.io/use-waypoint: none` opts out of a waypoint)');
  }
  return checkDns1123Label(scope, prop, value);
}

/** True when a waypoint handles traffic addressed to Services (`service` or `all`). */
export function servesServices(waypoint: WaypointRef): boolean {
  return waypoint.for === WaypointFor.SERVICE || waypoint.for === WaypointFor.ALL;
}
