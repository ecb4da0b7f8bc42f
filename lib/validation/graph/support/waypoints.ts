import { GK, GraphIndex, Obj, str } from './model';

const USE_WAYPOINT = 'istio.io/use-waypoint';
const USE_WAYPOINT_NS = 'istio.io/use-waypoint-namespace';

/** A waypoint binding read from `istio.io/use-waypoint` labels. */
export interface WaypointBinding {
  /** Waypoint Gateway name. */
  readonly name: string;
  /** Waypoint Gateway namespace. */
  readonly namespace: string;
}

/** The waypoint an object names with `istio.io/use-waypoint` (null for `none`, undefined when unlabelled). */
export function bindingOf(o: Obj, ownNs: string): WaypointBinding | undefined | null {
  const name = str(o.labels[USE_WAYPOINT]);
  if (!name) return undefined;
  if (name === 'none') return null;
  return { name, namespace: str(o.labels[USE_WAYPOINT_NS]) || ownNs };
}

/**
 * Whether a Service (or ServiceEntry) is bound to a waypoint, from its own label or its
 * Namespace's: `bound` is undefined when the set does not say (the object or its Namespace
 * document is missing).
 */
export function serviceBinding(index: GraphIndex, gk: string, ns: string, name: string): { bound?: WaypointBinding | null } {
  const svc = index.find(gk, ns, name);
  const own = svc ? bindingOf(svc, ns) : undefined;
  if (own !== undefined) return { bound: own };
  const nsDoc = index.namespaceDoc(ns);
  if (!svc || !nsDoc) return {};
  return { bound: bindingOf(nsDoc, ns) ?? null };
}

/** Every waypoint used by namespace `ns`: its Namespace label and its Services' labels. */
export function waypointsOfNamespace(index: GraphIndex, ns: string): WaypointBinding[] {
  const out = new Map<string, WaypointBinding>();
  const nsDoc = index.namespaceDoc(ns);
  const nsBinding = nsDoc ? bindingOf(nsDoc, ns) : undefined;
  if (nsBinding) out.set(`${nsBinding.namespace}/${nsBinding.name}`, nsBinding);
  for (const svc of index.allIn(GK.service, ns)) {
    const b = bindingOf(svc, ns);
    if (b) out.set(`${b.namespace}/${b.name}`, b);
  }
  return [...out.values()];
}

/** The service account of a waypoint: the Gateway's `gateway.istio.io/service-account` annotation or its name. */
export function waypointServiceAccount(index: GraphIndex, w: WaypointBinding): string {
  const gw = index.find(GK.gateway, w.namespace, w.name);
  return str(gw?.annotations['gateway.istio.io/service-account']) || w.name;
}
