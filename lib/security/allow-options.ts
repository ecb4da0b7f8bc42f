import { Identity } from '../identity';
import { ServiceReference } from '../mesh/service-target';

/** One explicit allow: who (`from`) may call what (`to`, `methods`, `paths`, `ports`). */
export interface AllowOptions {
  /** Sources: service accounts (principals) or namespaces, not both. At least one. */
  readonly from: Identity[];
  /**
   * The Service whose workloads accept the calls, on its `port`. Its workloads are selected by the
   * selector of the Service the App declares (else `app: <name>`, with an info); the port is
   * restricted unless `ports` is given: to the Service port at a waypoint, to the container port
   * (`targetPort`, a named port resolved through the App's workloads) at sidecars and ztunnel.
   *
   * @default - every workload of the namespace, any port
   */
  readonly to?: ServiceReference;
  /**
   * HTTP methods (L7). In ambient they need a waypoint serving `to`.
   *
   * @default - any method
   */
  readonly methods?: string[];
  /**
   * Request paths: exact, `/prefix/*`, `*suffix` (L7). In ambient they need a waypoint serving `to`.
   *
   * @default - any path
   */
  readonly paths?: string[];
  /**
   * Ports to allow, used as given instead of the one derived from `to.port`: container (target)
   * ports at sidecars and ztunnel, Service ports for a rule at a waypoint.
   *
   * @see https://github.com/istio/api/pull/3075
   * @default - the port of `to` (translated as described there); any port without `to`
   */
  readonly ports?: number[];
  /**
   * Name of the AuthorizationPolicy.
   *
   * @default - `allow-<to.name>` (or `allow-namespace`), with `-2`, `-3`, ... for further allows
   */
  readonly name?: string;
}
