import { ManifestIndex, Named, WorkloadInfo, labelsMatch } from './model';
import { Caller, HttpView, SecurityContext, Step, secureHop } from './security';
import { SimulationJwt } from './types';

// Endpoints of a ServiceEntry inside the mesh (Istio 1.30.3):
// - a `workloadSelector` selects WorkloadEntries and Pods of the ServiceEntry's own namespace
//   (https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-workload_selector;
//   pilot/pkg/serviceregistry/serviceentry/controller.go selects by namespace and labels);
// - the endpoint port is, in order: the WorkloadEntry's `ports[<service port name>]`, the
//   ServiceEntry port's `targetPort`, the ServiceEntry port `number`
//   (pilot/pkg/serviceregistry/serviceentry/conversion.go convertWorkloadInstanceToServiceInstance:
//   "priority level: unixAddress > we.ports > se.port.targetPort > se.port.number");
// - a WorkloadEntry is a VM (or other non-Kubernetes workload) running the Istio proxy in sidecar
//   mode: its proxy enforces PeerAuthentication and AuthorizationPolicy selected by its labels, and
//   its identity is `spiffe://<td>/ns/<ns>/sa/<serviceAccount>` (`default` when unset).
// A MESH_EXTERNAL entry, or one without selector and endpoints, has no endpoint in the mesh.

/** Annotation that makes `dataplaneOf()` treat an endpoint as sidecar-injected (a VM runs its proxy in sidecar mode). */
const SIDECAR = { 'sidecar.istio.io/inject': 'true' } as const;

/** True when the ServiceEntry's endpoints are mesh workloads whose proxies enforce policies. */
export function meshInternalEndpoints(entry: Named): boolean {
  const spec = entry.object.spec ?? {};
  return spec.location === 'MESH_INTERNAL' && spec.workloadSelector !== undefined;
}

/** The ServiceEntry port a request on `port` uses, if the entry declares it. */
export function entryPort(entry: Named, port: number): { number: number; name?: string; protocol?: string; targetPort?: number } | undefined {
  return ((entry.object.spec?.ports ?? []) as any[]).find(p => Number(p?.number) === port);
}

/**
 * The workloads behind a MESH_INTERNAL ServiceEntry with a `workloadSelector` (narrowed to a
 * DestinationRule subset's labels), each with its endpoint port for `port`.
 */
export function entryEndpoints(index: ManifestIndex, entry: Named, port: number, subsetLabels: Record<string, string>): Array<{ workload: WorkloadInfo; targetPort: number }> {
  const selector = { ...(entry.object.spec?.workloadSelector?.labels ?? {}), ...subsetLabels };
  const sp = entryPort(entry, port);
  const fallback = sp?.targetPort !== undefined ? Number(sp.targetPort) : port;
  const out: Array<{ workload: WorkloadInfo; targetPort: number }> = [];
  for (const we of index.ofKind('WorkloadEntry', entry.namespace)) {
    const spec = we.object.spec ?? {};
    const labels: Record<string, string> = { ...(spec.labels ?? {}) };
    if (!labelsMatch(selector, labels)) continue;
    const ports: Record<string, number> = spec.ports ?? {};
    const mapped = sp?.name !== undefined ? ports[sp.name] : undefined;
    out.push({
      workload: {
        kind: 'WorkloadEntry', name: we.name, namespace: we.namespace, labels,
        serviceAccount: spec.serviceAccount ?? 'default',
        ports: Object.entries(ports).map(([name, p]) => ({ port: Number(p), name })),
        annotations: { ...SIDECAR },
      },
      targetPort: mapped !== undefined ? Number(mapped) : fallback,
    });
  }
  for (const w of index.workloadsSelected(entry.namespace, selector)) out.push({ workload: w, targetPort: fallback });
  return out;
}

/**
 * The workload a WorkloadGroup would register (auto-registration: its WorkloadEntries are created
 * at run time, so they are not in the set), when one of the namespace matches `selector`.
 */
export function groupTemplate(index: ManifestIndex, entry: Named, subsetLabels: Record<string, string>): WorkloadInfo | undefined {
  const selector = { ...(entry.object.spec?.workloadSelector?.labels ?? {}), ...subsetLabels };
  for (const g of index.ofKind('WorkloadGroup', entry.namespace)) {
    const spec = g.object.spec ?? {};
    const labels: Record<string, string> = { ...(spec.metadata?.labels ?? {}), ...(spec.template?.labels ?? {}) };
    if (!labelsMatch(selector, labels)) continue;
    return {
      kind: 'WorkloadGroup', name: `${g.name}-*`, namespace: g.namespace, labels,
      serviceAccount: spec.template?.serviceAccount ?? 'default',
      ports: Object.entries((spec.template?.ports ?? {}) as Record<string, number>).map(([name, p]) => ({ port: Number(p), name })),
      annotations: { ...SIDECAR },
    };
  }
  return undefined;
}

/**
 * Authorization at the endpoints of a MESH_INTERNAL ServiceEntry (each endpoint's sidecar), like a
 * Service's pods; a string when the outcome cannot be known from the set.
 */
export function entryHop(ctx: SecurityContext, caller: Caller, entry: Named, port: number, subsetLabels: Record<string, string>,
  http: HttpView, jwt: SimulationJwt | undefined, assumptions: string[]): Step[] | string {
  if (!entryPort(entry, port)) {
    const ports = ((entry.object.spec?.ports ?? []) as any[]).map(p => p?.number).join(', ');
    return `ServiceEntry ${entry.namespace}/${entry.name} has no port ${port} (ports: ${ports || 'none'})`;
  }
  let endpoints = entryEndpoints(ctx.index, entry, port, subsetLabels);
  if (endpoints.length === 0) {
    const template = groupTemplate(ctx.index, entry, subsetLabels);
    if (!template) {
      return `ServiceEntry ${entry.namespace}/${entry.name} selects no WorkloadEntry, Pod or WorkloadGroup of the set (workloadSelector ${JSON.stringify(entry.object.spec?.workloadSelector?.labels ?? {})}${Object.keys(subsetLabels).length ? ` with subset labels ${JSON.stringify(subsetLabels)}` : ''})`;
    }
    const sp = entryPort(entry, port)!;
    const mapped = sp.name !== undefined ? template.ports.find(p => p.name === sp.name)?.port : undefined;
    endpoints = [{ workload: template, targetPort: mapped ?? (sp.targetPort !== undefined ? Number(sp.targetPort) : port) }];
    const note = `WorkloadGroup ${template.namespace}/${template.name.replace(/-\*$/, '')} registers the endpoints of ServiceEntry ${entry.namespace}/${entry.name} at run time: they are taken to carry its template (service account ${template.serviceAccount})`;
    if (!assumptions.includes(note)) assumptions.push(note);
  }
  const out: Step[] = [];
  for (const e of endpoints) {
    const steps = secureHop(ctx, caller, {
      namespace: entry.namespace, workload: e.workload, service: { kind: 'ServiceEntry', namespace: entry.namespace, name: entry.name },
      servicePort: port, targetPort: e.targetPort,
    }, http, jwt);
    out.push(...steps);
    if (steps.some(s => s.unknown !== undefined || (s.decision.action !== 'ALLOW' && s.decision.action !== 'DEFAULT_ALLOW'))) break;
  }
  return out;
}
