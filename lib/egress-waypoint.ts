import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { checkDns1123Label } from './mesh/checks';
import { WaypointFor } from './mesh/dataplane';
import { MeshError } from './mesh/errors';
import { lazy } from './mesh/lazy';
import { waypointConsumers } from './security/waypoint-consumers';

/** Props of `EgressWaypoint`. */
export interface EgressWaypointProps {
  /**
   * Namespace of the waypoint, e.g. `istio-egress`. The namespace itself (and its ambient
   * enrollment) is declared elsewhere; waypoint pods opt out of capture on their own.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Name of the waypoint Gateway; istiod names its Deployment and ServiceAccount the same.
   *
   * @default 'egress-waypoint'
   */
  readonly name?: string;
}

/**
 * An egress waypoint: a Gateway API Gateway of class `istio-waypoint` for `service` traffic
 * (ServiceEntries are service traffic), listening for HBONE on 15008. istiod deploys the proxy.
 *
 * Namespaces of this App that bind to it (an `ExternalApi` with `Egress.waypoint(...)` naming it,
 * an `AmbientNamespace` with `useWaypoint`) are allowed to attach: the listener's `allowedRoutes`
 * selects exactly those namespaces (istiod refuses a cross-namespace binding otherwise).
 * `ExternalApi` never emits a waypoint itself: one waypoint serves many APIs, so it is declared
 * once, here, by an `AmbientNamespace` (`waypoint` prop) or outside the App.
 *
 * @see https://istio.io/latest/docs/ambient/usage/egress-gateway/
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#use-a-waypoint-from-another-namespace
 */
export class EgressWaypoint extends Construct {
  /** Namespace of the waypoint Gateway. */
  public readonly namespace: string;
  /** Name of the waypoint Gateway (and of its ServiceAccount). */
  public readonly name: string;
  /** The waypoint Gateway. */
  public readonly gateway: ApiObject;

  private readonly consumers = new Set<string>();

  public constructor(scope: Construct, id: string, props: EgressWaypointProps = {}) {
    super(scope, id);
    const ns = props.namespace ?? Chart.of(this).namespace;
    if (ns === undefined) {
      throw MeshError.invalid(this, 'namespace', ns, 'set, because the chart has no namespace');
    }
    this.namespace = checkDns1123Label(this, 'namespace', ns);
    this.name = checkDns1123Label(this, 'name', props.name ?? 'egress-waypoint');
    this.gateway = new ApiObject(this, 'gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: this.name, namespace: this.namespace, labels: { 'istio.io/waypoint-for': WaypointFor.SERVICE } },
      spec: lazy(() => ({
        gatewayClassName: 'istio-waypoint',
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', ...this.allowedRoutes() }],
      })),
    });
  }

  /**
   * Lets ServiceEntries of namespace `namespace` bind to this waypoint (adds it to the
   * listener's `allowedRoutes`). `ExternalApi` calls it; call it yourself for ServiceEntries
   * written by hand.
   */
  public allowNamespace(namespace: string): void {
    checkDns1123Label(this, 'allowNamespace(namespace)', namespace);
    if (namespace !== this.namespace) this.consumers.add(namespace);
  }

  private allowedRoutes(): Record<string, unknown> {
    const consumers = new Set([...this.consumers, ...waypointConsumers(this, this)]);
    consumers.delete(this.namespace);
    if (consumers.size === 0) return {};
    return {
      allowedRoutes: {
        namespaces: {
          from: 'Selector',
          selector: {
            matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...consumers].sort() }],
          },
        },
      },
    };
  }
}
