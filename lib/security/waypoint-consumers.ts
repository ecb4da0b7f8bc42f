import { IConstruct } from 'constructs';
import { AppRuntime } from '../app/runtime';

// Which namespaces of the App bind to a waypoint that lives in another namespace. The waypoint's
// Gateway reads this at synth to admit them in `allowedRoutes` (Istio refuses a cross-namespace
// binding otherwise: status `AttachmentDenied`, "missing allowedRoutes?").

const KEY = 'cdk8s-istio/security/waypoint-consumers';

function registry(scope: IConstruct): Map<string, Set<string>> {
  return AppRuntime.of(scope).shared(KEY, () => new Map<string, Set<string>>());
}

/** Records that namespace `consumer` binds to waypoint `namespace/name`. */
export function addWaypointConsumer(scope: IConstruct, waypoint: { readonly name: string; readonly namespace: string }, consumer: string): void {
  const map = registry(scope);
  const key = `${waypoint.namespace}/${waypoint.name}`;
  const set = map.get(key) ?? new Set<string>();
  set.add(consumer);
  map.set(key, set);
}

/** Namespaces of the App that bind to waypoint `namespace/name`, sorted. */
export function waypointConsumers(scope: IConstruct, waypoint: { readonly name: string; readonly namespace: string }): string[] {
  return [...(registry(scope).get(`${waypoint.namespace}/${waypoint.name}`) ?? [])].sort();
}
