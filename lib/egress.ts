/**
 * How traffic to an external API leaves the mesh.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/
 */
export enum EgressMode {
  /** Each client proxy (sidecar) calls the external host itself. */
  DIRECT = 'DIRECT',
  /** Sidecar clients send the traffic to an Istio egress gateway, which calls the external host. */
  GATEWAY = 'GATEWAY',
  /** Ambient clients send the traffic, through ztunnel, to an egress waypoint that calls the external host. */
  WAYPOINT = 'WAYPOINT',
}

/**
 * An Istio egress gateway deployment (the `istio-egressgateway` of an Istio install, or your own).
 *
 * `ExternalApi` emits a `networking.istio.io` Gateway in `namespace` that selects the gateway
 * pods by `selector`, and routes the mesh traffic to the gateway's Service.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 */
export interface EgressGatewayOptions {
  /** Namespace of the egress gateway deployment, e.g. `istio-system`. */
  readonly namespace: string;
  /**
   * Labels of the egress gateway pods, e.g. `{ istio: 'egressgateway' }`. Required: a Gateway
   * without a selector applies to every gateway of the mesh, ingress ones included.
   */
  readonly selector: Record<string, string>;
  /**
   * Name of the egress gateway's Service in `namespace`; it must expose the ports the app
   * calls (80 for TLS origination or plain HTTP, the API port for HTTPS passthrough).
   *
   * @default 'istio-egressgateway'
   */
  readonly service?: string;
}

/**
 * An egress waypoint: a Gateway of class `istio-waypoint` that serves ServiceEntries.
 * An `EgressWaypoint` construct is one; a plain `{ namespace, name }` refers to a waypoint
 * declared elsewhere (another app, an `AmbientNamespace`, `istioctl waypoint apply`).
 *
 * @see https://istio.io/latest/docs/ambient/usage/egress-gateway/
 */
export interface EgressWaypointRef {
  /** Namespace of the waypoint Gateway, e.g. `istio-egress`. */
  readonly namespace: string;
  /** Name of the waypoint Gateway, e.g. `egress-waypoint`. */
  readonly name: string;
}

/**
 * Where traffic to an `ExternalApi` leaves the mesh: `Egress.direct()`, `Egress.gateway(...)`
 * or `Egress.waypoint(...)`.
 *
 * None of them is a security control on its own: a pod that bypasses its proxy (or, in ambient,
 * a direct path when the waypoint is down) still reaches the internet unless a NetworkPolicy
 * blocks it. `outboundTrafficPolicy: REGISTRY_ONLY` is not a security control either, and
 * ztunnel ignores it.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/#additional-security-considerations
 */
export class Egress {
  /**
   * Each client sidecar calls the external host itself (TLS origination, timeouts, retries
   * and connection limits are applied by the sidecar). In an ambient namespace only plain
   * L4 egress works this way; anything else needs `Egress.waypoint(...)`.
   */
  public static direct(): Egress {
    return new Egress(EgressMode.DIRECT);
  }

  /**
   * Sidecar clients go through an Istio egress gateway: a Gateway for the host, a
   * VirtualService bound to `mesh` and the gateway, and the DestinationRules they need. With
   * TLS origination the gateway originates TLS; the sidecar-to-gateway hop uses ISTIO_MUTUAL.
   *
   * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway-tls-origination/
   */
  public static gateway(options: EgressGatewayOptions): Egress {
    return new Egress(EgressMode.GATEWAY, options);
  }

  /**
   * Ambient clients go through an egress waypoint: the ServiceEntry is labelled
   * `istio.io/use-waypoint` and `istio.io/use-waypoint-namespace`; TLS origination and
   * connection limits come from a DestinationRule, timeouts (and, when the App targets the
   * experimental channel, `MeshContext.gatewayApiChannel`, retries) from an HTTPRoute whose parent is the ServiceEntry. `ExternalApi` never emits
   * the waypoint: declare it with `EgressWaypoint` or an `AmbientNamespace` waypoint in the App
   * (either then admits this namespace in its `allowedRoutes`), or outside the App (it must then
   * admit this namespace itself).
   *
   * @see https://istio.io/latest/docs/ambient/usage/egress-gateway/
   */
  public static waypoint(waypoint: EgressWaypointRef): Egress {
    return new Egress(EgressMode.WAYPOINT, undefined, waypoint);
  }

  private constructor(
    /** Where the traffic leaves the mesh. */
    public readonly mode: EgressMode,
    /** The egress gateway, for `EgressMode.GATEWAY`. */
    public readonly gatewayOptions?: EgressGatewayOptions,
    /** The egress waypoint, for `EgressMode.WAYPOINT`. */
    public readonly waypointRef?: EgressWaypointRef,
  ) {}
}
