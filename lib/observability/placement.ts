import { DataplaneMode, INamespaceInfo } from '../mesh/dataplane';
import { TelemetryAttachment } from './render';

// Where a Telemetry takes effect, per dataplane (https://istio.io/latest/docs/ambient/usage/l7-features/
// and https://istio.io/latest/docs/reference/config/telemetry/): sidecars read `selector` (and
// namespace-wide) Telemetry; waypoints read `targetRefs` to the Service/ServiceEntry bound to them
// (and namespace-wide Telemetry of their namespace); ztunnel reads no Telemetry at all.

/** Why a Telemetry attached as `a` in namespace `info` is applied by nothing, or undefined when it is applied. */
export function telemetryPlacementProblem(info: INamespaceInfo | undefined, a: TelemetryAttachment): string | undefined {
  if (!info) return undefined;
  if (info.mode === DataplaneMode.SIDECAR) {
    if (a.kind !== 'targetRefs') return undefined;
    const svc = a.refs.find(r => r.kind !== 'Gateway');
    return svc && `targetRefs to ${svc.kind} "${svc.name}" in sidecar namespace "${info.name}": only waypoints apply targetRefs to a service, sidecars ignore them; use selector (the workload labels)`;
  }
  if (a.kind === 'selector') {
    return `selector in ambient namespace "${info.name}": ambient pods have no sidecar and ztunnel applies no Telemetry; use targetRefs to a Service bound to a waypoint (PolicyTarget.service) or to the waypoint (PolicyTarget.gateway)`;
  }
  if (a.kind === 'namespace') {
    return info.waypointFor() ? undefined
      : `namespace-wide Telemetry in ambient namespace "${info.name}" without a namespace waypoint: ztunnel applies no Telemetry, so nothing applies it; give the AmbientNamespace a waypoint (waypoint: true) or target a Service bound to one`;
  }
  for (const r of a.refs) {
    if (r.kind !== 'Gateway' && !info.waypointFor(r.name)) {
      return `targetRefs to ${r.kind} "${r.name}" in ambient namespace "${info.name}", which no waypoint serves: nothing applies it; bind the service to a waypoint`;
    }
  }
  return undefined;
}
