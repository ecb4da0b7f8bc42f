import { IConstruct } from 'constructs';
import { MeshError } from '../mesh/errors';
import { ServiceReference } from '../mesh/service-target';
import { TrafficApi } from '../mesh/traffic-api';

/** Props every traffic construct (`CanaryRoute`, `ResilientService`) shares. */
export interface TrafficTargetOptions {
  /** The service whose traffic is managed: `{ name, namespace?, port }` or a cdk8s-plus Service. */
  readonly service: ServiceReference;
  /**
   * The API to emit. Resolved at synth from the namespace's dataplane as declared by
   * `AmbientNamespace`/`ZeroTrustNamespace` anywhere in the App; read the result from the
   * construct's `api` property.
   *
   * @default - TrafficApi.GATEWAY_API in an ambient namespace, TrafficApi.ISTIO otherwise
   */
  readonly api?: TrafficApi;
  /**
   * Accept `TrafficApi.ISTIO` (a VirtualService served by a waypoint, an alpha feature) in an
   * ambient namespace; synth then warns instead of failing.
   *
   * @default false
   */
  readonly allowVirtualServiceInAmbient?: boolean;
}

/** Validates the `api` and opt-in props; returns the explicit api, if any. */
export function checkApi(scope: IConstruct, props: TrafficTargetOptions): TrafficApi | undefined {
  if (props.api !== undefined && !Object.values(TrafficApi).includes(props.api)) {
    throw MeshError.invalid(scope, 'api', props.api, 'TrafficApi.ISTIO or TrafficApi.GATEWAY_API');
  }
  if (props.allowVirtualServiceInAmbient !== undefined && typeof props.allowVirtualServiceInAmbient !== 'boolean') {
    throw MeshError.invalid(scope, 'allowVirtualServiceInAmbient', props.allowVirtualServiceInAmbient, 'true or false');
  }
  return props.api;
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Requires a Kubernetes label key (`version`, `app.kubernetes.io/version`). */
export function checkLabelKey(scope: IConstruct, prop: string, value: unknown): string {
  const parts = typeof value === 'string' ? value.split('/') : [];
  const name = parts[parts.length - 1] ?? '';
  const prefixOk = parts.length === 1 || (parts.length === 2 && parts[0].length <= 253 && LABEL_PREFIX.test(parts[0]));
  if (typeof value !== 'string' || !prefixOk || name.length > 63 || !LABEL_NAME.test(name)) {
    throw MeshError.invalid(scope, prop, value, 'a Kubernetes label key ([prefix/]name, name at most 63 alphanumerics, \'-\', \'_\' or \'.\')');
  }
  return value;
}

/** Requires a non-empty Kubernetes label value. */
export function checkLabelValue(scope: IConstruct, prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_NAME.test(value)) {
    throw MeshError.invalid(scope, prop, value, 'a non-empty Kubernetes label value (at most 63 alphanumerics, \'-\', \'_\' or \'.\', starting and ending alphanumeric)');
  }
  return value;
}
