import { ManifestIndex, Named, ServiceInfo, WorkloadInfo } from './model';

// What a request reaches: the Service (or ServiceEntry) of the host, the workloads behind it,
// the namespace's dataplane and the waypoint bound to the Service.

/** How the workloads of a namespace join the mesh. */
export type Dataplane = 'sidecar' | 'ambient' | 'none';

/** A resolved dataplane and whether it was only assumed. */
export interface DataplaneResult {
  readonly mode: Dataplane;
  /** Set when the set did not say (the namespace is not in it). */
  readonly assumption?: string;
}

/**
 * The dataplane of a namespace (and, when given, of one workload's pod labels/annotations):
 * `istio.io/dataplane-mode: ambient` → ambient; `istio-injection: enabled` or `istio.io/rev` →
 * sidecar; a Namespace in the set without either → no mesh; a namespace not in the set → sidecar
 * (an assumption, reported).
 *
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy
 * @see https://istio.io/latest/docs/ambient/usage/add-workloads/
 */
export function dataplaneOf(index: ManifestIndex, namespace: string, pod?: WorkloadInfo): DataplaneResult {
  const podInject = pod?.labels['sidecar.istio.io/inject'] ?? pod?.annotations['sidecar.istio.io/inject'];
  if (podInject === 'true') return { mode: 'sidecar' };
  const labels = index.namespaces.get(namespace);
  if (labels === undefined) {
    if (podInject === 'false') return { mode: 'none' };
    return { mode: 'sidecar', assumption: `namespace ${namespace} is not in the set: taken as a sidecar namespace` };
  }
  if (labels['istio.io/dataplane-mode'] === 'ambient' && pod?.labels['istio.io/dataplane-mode'] !== 'none') {
    return { mode: 'ambient' };
  }
  if (pod?.labels['istio.io/dataplane-mode'] === 'ambient') return { mode: 'ambient' };
  const injected = labels['istio-injection'] === 'enabled' || (labels['istio.io/rev'] !== undefined && labels['istio-injection'] !== 'disabled');
  if (injected && podInject !== 'false') return { mode: 'sidecar' };
  return { mode: 'none' };
}

/** The waypoint a Service or ServiceEntry uses (service-addressed traffic). */
export interface WaypointBinding {
  readonly name: string;
  readonly namespace: string;
  /** The waypoint Gateway, when it is in the set. */
  readonly gateway?: Named;
  /** Why it applies (`Service label`, `Namespace label`). */
  readonly via: string;
  /** Ingress gateways send to it too (`istio.io/ingress-use-waypoint`). */
  readonly ingress: boolean;
}

const USE = 'istio.io/use-waypoint';
const USE_NS = 'istio.io/use-waypoint-namespace';
const INGRESS = 'istio.io/ingress-use-waypoint';

/**
 * The waypoint for service traffic to an object (Service or ServiceEntry) in an ambient namespace:
 * its own `istio.io/use-waypoint` label, else its Namespace's; `none` opts out. The waypoint must
 * accept service traffic (`istio.io/waypoint-for` service or all; service by default).
 * Ingress gateways use it only with `istio.io/ingress-use-waypoint: "true"` on the Service, else on
 * the Namespace (pilot/pkg/serviceregistry/ambient/services.go, 1.30.3).
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#configure-a-service-to-use-a-specific-waypoint
 */
export function waypointFor(index: ManifestIndex, objectLabels: Record<string, string>, namespace: string): WaypointBinding | undefined {
  const nsLabels = index.namespaces.get(namespace) ?? {};
  let name: string | undefined;
  let wpNs = namespace;
  let via: string;
  if (objectLabels[USE] !== undefined) {
    name = objectLabels[USE];
    wpNs = objectLabels[USE_NS] ?? namespace;
    via = `label ${USE}=${name} on the Service`;
  } else {
    name = nsLabels[USE];
    wpNs = nsLabels[USE_NS] ?? namespace;
    via = `label ${USE}=${name} on Namespace ${namespace}`;
  }
  if (name === undefined || name === '' || name === 'none') return undefined;
  const gateway = index.find('Gateway', wpNs, name);
  if (gateway) {
    const forLabel = gateway.object.metadata?.labels?.['istio.io/waypoint-for'] ?? 'service';
    if (forLabel !== 'service' && forLabel !== 'all') return undefined;
  }
  const ingressLabel = objectLabels[INGRESS] ?? nsLabels[INGRESS];
  return { name, namespace: wpNs, gateway, via, ingress: (ingressLabel ?? '').toLowerCase() === 'true' };
}

/** The Service port a request addresses, its container port and the workloads behind it. */
export interface ServiceTarget {
  readonly service: ServiceInfo;
  /** The Service port (undefined when the Service has no such port). */
  readonly port?: number;
  /** The container port (targetPort), or undefined when it is a name no workload defines. */
  readonly targetPort?: number;
}

/** Resolves the container port of `port` on `service` for a workload (named targetPorts are looked up in its containers). */
export function targetPortOf(service: ServiceInfo, port: number, workload?: WorkloadInfo): number | undefined {
  const sp = service.ports.find(p => p.port === port);
  if (!sp) return undefined;
  if (sp.targetPort === undefined) return sp.port;
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  if (/^[0-9]+$/.test(sp.targetPort)) return Number(sp.targetPort);
  return workload?.ports.find(p => p.name === sp.targetPort)?.port;
}

/** The workloads a Service selects (optionally narrowed to a subset's labels). */
export function serviceWorkloads(index: ManifestIndex, service: ServiceInfo, extraLabels: Record<string, string> = {}): WorkloadInfo[] {
  if (!service.selector) return [];
  return index.workloadsSelected(service.namespace, { ...service.selector, ...extraLabels });
}
