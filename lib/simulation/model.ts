// The manifest set, indexed once: objects bucketed by kind and namespace, Services by FQDN,
// workloads by namespace, so that a request never scans every object.

/** A plain Kubernetes object. */
export interface Manifest {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string>; readonly creationTimestamp?: string };
  readonly spec?: any;
}

/** A Service port. */
export interface ServicePort {
  readonly port: number;
  /** A number, a container port name, or undefined (= port). */
  readonly targetPort?: number | string;
  readonly name?: string;
  readonly appProtocol?: string;
}

/** A Kubernetes Service. */
export interface ServiceInfo {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector?: Record<string, string>;
  readonly ports: ServicePort[];
  readonly object: Manifest;
}

/** A workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or Pod): its pod labels and ports. */
export interface WorkloadInfo {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly serviceAccount: string;
  /** Container ports: number and name. */
  readonly ports: Array<{ readonly port: number; readonly name?: string }>;
  readonly annotations: Record<string, string>;
}

/** An object identified by namespace and name, with its kind. */
export interface Named {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly object: Manifest;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod']);

/** Objects of one kind in one namespace. */
type Buckets = Map<string, Map<string, Named[]>>;

/** The indexed manifest set. */
export class ManifestIndex {
  /** Namespace labels by namespace name (only Namespaces in the set). */
  public readonly namespaces = new Map<string, Record<string, string>>();
  /** Services by `namespace/name`. */
  public readonly services = new Map<string, ServiceInfo>();
  /** Workloads by namespace. */
  public readonly workloads = new Map<string, WorkloadInfo[]>();
  /** ServiceEntries by host. */
  public readonly serviceEntriesByHost = new Map<string, Named[]>();
  private readonly buckets: Buckets = new Map();

  public constructor(docs: readonly unknown[], private readonly defaultNamespace = 'default') {
    for (const raw of docs) {
      if (!raw || typeof raw !== 'object') continue;
      const doc = raw as Manifest;
      const kind = doc.kind;
      const name = doc.metadata?.name;
      if (typeof kind !== 'string' || typeof name !== 'string') continue;
      if (kind === 'Namespace') {
        this.namespaces.set(name, { ...(doc.metadata?.labels ?? {}) });
        continue;
      }
      const namespace = doc.metadata?.namespace ?? this.defaultNamespace;
      this.add({ kind, name, namespace, object: doc });
      if (kind === 'Service' && (doc.apiVersion ?? 'v1') === 'v1') this.addService(doc, name, namespace);
      else if (WORKLOAD_KINDS.has(kind)) this.addWorkload(doc, kind, name, namespace);
      else if (kind === 'ServiceEntry') {
        for (const host of (doc.spec?.hosts ?? []) as string[]) push(this.serviceEntriesByHost, host, { kind, name, namespace, object: doc });
      }
    }
  }

  /** Objects of `kind` in `namespace` (in set order). */
  public ofKind(kind: string, namespace: string): readonly Named[] {
    return this.buckets.get(kind)?.get(namespace) ?? [];
  }

  /** Every object of `kind`, namespace by namespace. */
  public allOfKind(kind: string): Named[] {
    return [...(this.buckets.get(kind)?.values() ?? [])].flat();
  }

  /** One object by kind, namespace and name. */
  public find(kind: string, namespace: string, name: string): Named | undefined {
    return this.ofKind(kind, namespace).find(o => o.name === name);
  }

  /** Workloads in `namespace` whose pod labels include every label of `selector`. */
  public workloadsSelected(namespace: string, selector: Record<string, string>): WorkloadInfo[] {
    return (this.workloads.get(namespace) ?? []).filter(w => labelsMatch(selector, w.labels));
  }

  private add(o: Named): void {
    let byNs = this.buckets.get(o.kind);
    if (!byNs) this.buckets.set(o.kind, byNs = new Map());
    push(byNs, o.namespace, o);
  }

  private addService(doc: Manifest, name: string, namespace: string): void {
    const spec = doc.spec ?? {};
    const ports: ServicePort[] = ((spec.ports ?? []) as any[]).filter(p => typeof p?.port === 'number').map(p => ({
      port: p.port, targetPort: p.targetPort, name: p.name, appProtocol: p.appProtocol,
    }));
    this.services.set(`${namespace}/${name}`, {
      name, namespace, labels: { ...(doc.metadata?.labels ?? {}) },
      selector: spec.selector && typeof spec.selector === 'object' ? { ...spec.selector } : undefined,
      ports, object: doc,
    });
  }

  private addWorkload(doc: Manifest, kind: string, name: string, namespace: string): void {
    const pod = kind === 'Pod' ? doc : doc.spec?.template;
    const podSpec = pod?.spec ?? {};
    const ports: Array<{ port: number; name?: string }> = [];
    for (const c of (podSpec.containers ?? []) as any[]) {
      for (const p of (c?.ports ?? []) as any[]) if (typeof p?.containerPort === 'number') ports.push({ port: p.containerPort, name: p.name });
    }
    const w: WorkloadInfo = {
      kind, name, namespace,
      labels: { ...(pod?.metadata?.labels ?? {}) },
      annotations: { ...(pod?.metadata?.annotations ?? {}) },
      serviceAccount: podSpec.serviceAccountName ?? podSpec.serviceAccount ?? 'default',
      ports,
    };
    push(this.workloads, namespace, w);
  }
}

/** True when every label of `selector` is in `labels` (an empty selector selects everything). */
export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
