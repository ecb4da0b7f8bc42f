import { labelsMatch, ManifestIndex, ServiceInfo, WorkloadInfo } from '../../../simulation/model';
import { GraphIndex } from './model';

// The workloads of the set as the simulator sees them (pod labels, service accounts, container
// ports), for the analyzers that need what a policy actually selects. Built once per GraphIndex.

const CACHE = new WeakMap<GraphIndex, ManifestIndex>();

/** The simulator's index of the same documents. */
export function workloadIndex(index: GraphIndex): ManifestIndex {
  let m = CACHE.get(index);
  if (!m) CACHE.set(index, m = new ManifestIndex(index.objects.map(o => o.doc)));
  return m;
}

/** The workloads of `namespaces` whose pod labels include every label of `selector`. */
export function selectedWorkloads(m: ManifestIndex, namespaces: readonly string[], selector: Record<string, string>): WorkloadInfo[] {
  return namespaces.flatMap(ns => m.workloadsSelected(ns, selector));
}

/** The Services of `namespace` (all namespaces when undefined). */
export function servicesIn(m: ManifestIndex, namespace?: string): ServiceInfo[] {
  return [...m.services.values()].filter(s => namespace === undefined || s.namespace === namespace);
}

/** True when a Service's pods may carry every label of `selector` (no label of both differs). */
export function selectorCompatible(service: ServiceInfo, selector: Record<string, string>): boolean {
  if (!service.selector) return false;
  return Object.entries(selector).every(([k, v]) => service.selector![k] === undefined || service.selector![k] === v);
}

/** The Services whose selector selects workload `w`. */
export function servicesOf(m: ManifestIndex, w: WorkloadInfo): ServiceInfo[] {
  return servicesIn(m, w.namespace).filter(s => s.selector !== undefined && Object.keys(s.selector).length > 0 && labelsMatch(s.selector, w.labels));
}
