import { ManifestIndex, Named, labelsMatch } from './model';

// Which security policies (AuthorizationPolicy, RequestAuthentication, PeerAuthentication) apply
// at an enforcement point. Istio 1.30 pilot/pkg/model/policyattachment.go (ShouldAttachPolicy):
// - a workload that is not a Gateway API gateway (sidecar, ztunnel): `selector` policies of its
//   namespace and of the root namespace (mesh-wide); a policy with targetRefs is ignored;
// - a waypoint: only targetRefs — a Service (or ServiceEntry) it serves, in that Service's
//   namespace; its own Gateway, in its namespace; GatewayClass `istio-waypoint` in the root
//   namespace. Waypoints never use selectors (namespace-wide policies do not reach them);
// - a Gateway API gateway: targetRefs to its Gateway, else selector policies.

/** A workload being protected: namespace and pod labels. */
export interface ProtectedWorkload {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** A waypoint being asked about one Service. */
export interface WaypointTarget {
  /** Namespace and name of the waypoint Gateway. */
  readonly namespace: string;
  readonly name: string;
  /** The Service (or ServiceEntry) the request is addressed to. */
  readonly service: { readonly kind: 'Service' | 'ServiceEntry'; readonly namespace: string; readonly name: string };
}

/** Caches per (kind, namespace) the policies without targetRefs, so a request only tests selectors. */
export class PolicyAttachment {
  private readonly selectorCache = new Map<string, Named[]>();
  private readonly targetCache = new Map<string, Map<string, Named[]>>();
  /** forWorkload results by kind, namespace and pod labels: requests to one workload repeat them. */
  private readonly workloadCache = new Map<string, Named[]>();

  public constructor(private readonly index: ManifestIndex, private readonly rootNamespace: string) {}

  /** Policies of `kind` for a workload (sidecar or ztunnel), root namespace first. */
  public forWorkload(kind: string, w: ProtectedWorkload): Named[] {
    const key = `${kind}|${w.namespace}|${labelKey(w.labels)}`;
    const cached = this.workloadCache.get(key);
    if (cached) return cached;
    const namespaces = w.namespace === this.rootNamespace ? [w.namespace] : [this.rootNamespace, w.namespace];
    const out: Named[] = [];
    for (const ns of namespaces) {
      for (const p of this.selectorPolicies(kind, ns)) {
        if (labelsMatch(p.object.spec?.selector?.matchLabels, w.labels)) out.push(p);
      }
    }
    this.workloadCache.set(key, out);
    return out;
  }

  /** Policies of `kind` that a waypoint applies to requests for `target.service`. */
  public forWaypoint(kind: string, target: WaypointTarget): Named[] {
    const group = target.service.kind === 'Service' ? '' : 'networking.istio.io';
    return [
      ...this.targeting(kind, this.rootNamespace, 'gateway.networking.k8s.io', 'GatewayClass', 'istio-waypoint'),
      ...this.targeting(kind, target.namespace, 'gateway.networking.k8s.io', 'Gateway', target.name),
      ...this.targeting(kind, target.service.namespace, group, target.service.kind, target.service.name),
    ];
  }

  /** Policies of `kind` at a Gateway API gateway: targetRefs to it, else selector policies for its pods. */
  public forGateway(kind: string, namespace: string, name: string, podLabels: Record<string, string>, gatewayApi: boolean): Named[] {
    const targeted = gatewayApi ? this.targeting(kind, namespace, 'gateway.networking.k8s.io', 'Gateway', name) : [];
    return [...this.forWorkload(kind, { namespace, labels: podLabels }), ...targeted];
  }

  private selectorPolicies(kind: string, namespace: string): Named[] {
    const key = `${kind}|${namespace}`;
    let list = this.selectorCache.get(key);
    if (!list) {
      list = this.index.ofKind(kind, namespace).filter(p => targetRefsOf(p).length === 0);
      this.selectorCache.set(key, list);
    }
    return list;
  }

  private targeting(kind: string, namespace: string, group: string, targetKind: string, name: string): Named[] {
    const key = `${kind}|${namespace}`;
    let byTarget = this.targetCache.get(key);
    if (!byTarget) {
      byTarget = new Map();
      for (const p of this.index.ofKind(kind, namespace)) {
        for (const t of targetRefsOf(p)) {
          if (t.namespace !== undefined && t.namespace !== '' && t.namespace !== namespace) continue;
          const k = `${t.group ?? ''}|${t.kind}|${t.name}`;
          const list = byTarget.get(k);
          if (!list) byTarget.set(k, [p]);
          else if (!list.includes(p)) list.push(p);
        }
      }
      this.targetCache.set(key, byTarget);
    }
    return byTarget.get(`${group}|${targetKind}|${name}`) ?? [];
  }
}

/** `targetRefs`, or the deprecated single `targetRef`. */
export function targetRefsOf(p: Named): Array<{ group?: string; kind: string; name: string; namespace?: string }> {
  const spec = p.object.spec ?? {};
  if (Array.isArray(spec.targetRefs) && spec.targetRefs.length) return spec.targetRefs;
  return spec.targetRef ? [spec.targetRef] : [];
}

/** The effective PeerAuthentication mode of a workload port, and which policy set it. */
export interface MtlsModeResult {
  readonly mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE';
  /** `namespace/name`, or undefined for Istio's default (PERMISSIVE). */
  readonly policy?: string;
}

/**
 * The PeerAuthentication mode for `port` (a container port) of a workload:
 * workload (selector, with portLevelMtls) > namespace > root namespace > PERMISSIVE; UNSET inherits.
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export function mtlsMode(index: ManifestIndex, rootNamespace: string, w: ProtectedWorkload, port: number): MtlsModeResult {
  let cache = MTLS_CACHE.get(index);
  if (!cache) MTLS_CACHE.set(index, cache = new Map());
  const key = `${rootNamespace}|${w.namespace}|${port}|${labelKey(w.labels)}`;
  let result = cache.get(key);
  if (!result) cache.set(key, result = computeMtlsMode(index, rootNamespace, w, port));
  return result;
}

/** mtlsMode results per manifest set (the set never changes once indexed). */
const MTLS_CACHE = new WeakMap<ManifestIndex, Map<string, MtlsModeResult>>();

/** A stable key of a label map. */
function labelKey(labels: Record<string, string>): string {
  return Object.keys(labels).sort().map(k => `${k}=${labels[k]}`).join(',');
}

function computeMtlsMode(index: ManifestIndex, rootNamespace: string, w: ProtectedWorkload, port: number): MtlsModeResult {
  const own = index.ofKind('PeerAuthentication', w.namespace);
  const oldest = (list: readonly Named[]): Named | undefined => [...list].sort(byAge)[0];
  const workload = oldest(own.filter(p => p.object.spec?.selector?.matchLabels && labelsMatch(p.object.spec.selector.matchLabels, w.labels)));
  const namespace = oldest(own.filter(p => !p.object.spec?.selector));
  const root = w.namespace === rootNamespace ? undefined : oldest(index.ofKind('PeerAuthentication', rootNamespace).filter(p => !p.object.spec?.selector));
  const chain: Array<{ p: Named; mode?: string }> = [];
  if (workload) {
    const portMode = workload.object.spec?.portLevelMtls?.[String(port)]?.mode;
    if (portMode && portMode !== 'UNSET') chain.push({ p: workload, mode: portMode });
    chain.push({ p: workload, mode: workload.object.spec?.mtls?.mode });
  }
  if (namespace) chain.push({ p: namespace, mode: namespace.object.spec?.mtls?.mode });
  if (root) chain.push({ p: root, mode: root.object.spec?.mtls?.mode });
  for (const c of chain) {
    if (c.mode === 'STRICT' || c.mode === 'PERMISSIVE' || c.mode === 'DISABLE') return { mode: c.mode, policy: `${c.p.namespace}/${c.p.name}` };
  }
  return { mode: 'PERMISSIVE' };
}

function byAge(a: Named, b: Named): number {
  const ta = a.object.metadata?.creationTimestamp ?? '';
  const tb = b.object.metadata?.creationTimestamp ?? '';
  return ta === tb ? a.name.localeCompare(b.name) : ta.localeCompare(tb);
}
