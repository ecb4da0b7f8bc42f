import { Construct } from 'constructs';
import { Gateway, GatewaySpec, GatewaySpecListenersAllowedRoutesNamespacesFrom } from '../imports/gateway.networking.k8s.io';
import { checkDns1123Label } from './mesh/checks';
import { checkWaypointName, WaypointFor } from './mesh/dataplane';
import { MeshError } from './mesh/errors';
import { lazy } from './mesh/lazy';
import { waypointConsumers } from './security/waypoint-consumers';

/** Options of a waypoint proxy declared by an `AmbientNamespace`. */
export interface WaypointOptions {
  /**
   * Name of the waypoint Gateway; istiod names its Deployment, Service and ServiceAccount the same
   * (so its identity is `<trustDomain>/ns/<namespace>/sa/<name>`). `none` is reserved by Istio.
   *
   * @default 'waypoint'
   */
  readonly name?: string;
  /**
   * Which traffic the waypoint handles (`istio.io/waypoint-for`). A `WORKLOAD` waypoint does not
   * serve traffic addressed to Services: L7 routing and L7 policy on a Service need `SERVICE` or `ALL`.
   *
   * @default WaypointFor.SERVICE
   */
  readonly for?: WaypointFor;
  /**
   * Namespaces outside this App that bind to this waypoint (`istio.io/use-waypoint-namespace`);
   * `['*']` admits every namespace. Namespaces of this App that bind to it are admitted
   * automatically.
   *
   * @default - this namespace and the namespaces of this App that use the waypoint
   */
  readonly allowedNamespaces?: string[];
}

const WAYPOINT_FOR = Object.values(WaypointFor) as string[];

/**
 * A waypoint proxy: a Gateway API `Gateway` of class `istio-waypoint` with the HBONE listener
 * `mesh` on port 15008. istiod deploys the proxy itself; no GatewayClass is emitted.
 *
 * Created by `AmbientNamespace` (`waypoint` prop, `addWaypoint()`).
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 */
export class Waypoint extends Construct {
  /** Name of the Gateway (and of the waypoint's service account). */
  public readonly name: string;
  /** Namespace of the Gateway. */
  public readonly namespace: string;
  /** Traffic the waypoint handles. */
  public readonly for: WaypointFor;
  /** Namespaces admitted explicitly (`allowedNamespaces`), besides this App's consumers. */
  public readonly allowedNamespaces: string[];
  /** The emitted Gateway (escape hatch). */
  public readonly gateway: Gateway;

  /**
   * @param scope the declaring `AmbientNamespace`
   * @param id construct id
   * @param namespace namespace of the waypoint
   * @param options waypoint options
   */
  public constructor(scope: Construct, id: string, namespace: string, options: WaypointOptions = {}) {
    super(scope, id);
    const owner = scope;
    this.name = checkWaypointName(owner, 'waypoint.name', options.name ?? 'waypoint');
    this.namespace = namespace;
    const wpFor = options.for ?? WaypointFor.SERVICE;
    if (!WAYPOINT_FOR.includes(wpFor)) {
      throw MeshError.invalid(owner, 'waypoint.for', wpFor, `one of WaypointFor.${Object.keys(WaypointFor).join(', WaypointFor.')}`);
    }
    this.for = wpFor;
    const allowed = options.allowedNamespaces ?? [];
    if (!Array.isArray(allowed)) {
      throw MeshError.invalid(owner, 'waypoint.allowedNamespaces', allowed, 'a list of namespace names or ["*"]');
    }
    allowed.forEach((ns, i) => {
      if (ns !== '*') checkDns1123Label(owner, `waypoint.allowedNamespaces[${i}]`, ns);
    });
    this.allowedNamespaces = [...allowed];
    this.gateway = new Gateway(this, 'gateway', {
      metadata: { name: this.name, namespace, labels: { 'istio.io/waypoint-for': this.for } },
      spec: lazy(() => this.renderSpec()),
    });
  }

  private renderSpec(): GatewaySpec {
    const others = [...new Set([...waypointConsumers(this, this), ...this.allowedNamespaces])];
    const listener = { name: 'mesh', port: 15008, protocol: 'HBONE' };
    if (others.filter(ns => ns !== this.namespace).length === 0) {
      return { gatewayClassName: 'istio-waypoint', listeners: [listener] };
    }
    const allowedRoutes = others.includes('*')
      ? { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } }
      : {
        namespaces: {
          from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
          selector: {
            matchExpressions: [{
              key: 'kubernetes.io/metadata.name',
              operator: 'In',
              values: [...new Set([this.namespace, ...others])].sort(),
            }],
          },
        },
      };
    return { gatewayClassName: 'istio-waypoint', listeners: [{ ...listener, allowedRoutes }] };
  }
}
