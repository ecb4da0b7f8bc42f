import { IConstruct } from 'constructs';

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
export interface NamespaceInfo {
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
}
