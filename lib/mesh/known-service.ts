import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { chartNamespace } from './service-target';

// What the App itself says about a Service: its selector and ports, read from the Service object
// the App declares (a cdk8s-plus Service or a raw ApiObject), and named target ports resolved
// through the App's workloads. Read at synth (the objects may be completed after the constructs
// that ask).

/** One port of a Service the App declares. */
export interface KnownServicePort {
  /** Service port. */
  readonly port: number;
  /** `targetPort` as written (number or container port name), or undefined (= `port`). */
  readonly targetPort?: number | string;
  /** Port name. */
  readonly name?: string;
  /** `appProtocol`. */
  readonly appProtocol?: string;
}

/** A Service the App declares. */
export interface KnownService {
  /** Its pod selector; undefined when it has none (endpoints managed by hand). */
  readonly selector?: Readonly<Record<string, string>>;
  /** Its ports. */
  readonly ports: KnownServicePort[];
}

const POD_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

function namespaceOf(o: ApiObject): string | undefined {
  return o.metadata.namespace ?? chartNamespace(o);
}

function json(o: ApiObject): any {
  try {
    return o.toJson();
  } catch {
    return undefined;
  }
}

/**
 * The App's Services and pod-bearing workloads, indexed by namespace, built on the first lookup
 * and kept until the current synchronous run ends (a microtask) or `forgetKnownServices` is
 * called: one walk of the App per synth instead of one per lookup (a lookup per policy rule made
 * synth quadratic in the number of services).
 */
interface AppIndex {
  readonly services: Map<string, ApiObject>;
  readonly workloads: Map<string, ApiObject[]>;
  readonly json: Map<ApiObject, any>;
}

const INDEXES = new WeakMap<IConstruct, AppIndex>();

function indexOf(scope: IConstruct): AppIndex {
  const root = scope.node.root;
  let index = INDEXES.get(root);
  if (index) return index;
  index = { services: new Map(), workloads: new Map(), json: new Map() };
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const ns = namespaceOf(c);
    if (ns === undefined) continue;
    if (c.kind === 'Service' && c.apiVersion === 'v1') {
      const key = `${ns}/${c.name}`;
      if (!index.services.has(key)) index.services.set(key, c);
    } else if (c.kind === 'Pod' || POD_TEMPLATE_KINDS.includes(c.kind)) {
      const list = index.workloads.get(ns) ?? [];
      list.push(c);
      index.workloads.set(ns, list);
    }
  }
  INDEXES.set(root, index);
  queueMicrotask(() => INDEXES.delete(root));
  return index;
}

function cachedJson(index: AppIndex, o: ApiObject): any {
  if (!index.json.has(o)) index.json.set(o, json(o));
  return index.json.get(o);
}

/** Drops the index of the App that contains `scope` (its constructs changed). */
export function forgetKnownServices(scope: IConstruct): void {
  INDEXES.delete(scope.node.root);
}

/** The `v1` Service `namespace/name` the App declares, or undefined. */
export function findKnownService(scope: IConstruct, namespace: string, name: string): KnownService | undefined {
  const index = indexOf(scope);
  const obj = index.services.get(`${namespace}/${name}`);
  const spec = obj ? cachedJson(index, obj)?.spec : undefined;
  if (!obj || spec === undefined) return undefined;
  const selector = spec.selector && typeof spec.selector === 'object' && Object.keys(spec.selector).length > 0 ? { ...spec.selector } : undefined;
  const ports = (Array.isArray(spec.ports) ? spec.ports : [])
    .filter((p: any) => p && typeof p.port === 'number')
    .map((p: any) => ({
      port: p.port,
      ...(typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? { targetPort: p.targetPort } : {}),
      ...(typeof p.name === 'string' ? { name: p.name } : {}),
      ...(typeof p.appProtocol === 'string' ? { appProtocol: p.appProtocol } : {}),
    }));
  return { selector, ports };
}

/**
 * The container port a Service port sends to: `targetPort` when it is a number (or `port` when
 * unset); a named `targetPort` is looked up in the containers of the App's workloads in `namespace`
 * whose pod labels match the selector. Undefined when the name cannot be resolved (or resolves to
 * different numbers in different workloads).
 */
export function containerPort(scope: IConstruct, namespace: string, svc: KnownService, port: KnownServicePort): number | undefined {
  if (port.targetPort === undefined) return port.port;
  if (typeof port.targetPort === 'number') return port.targetPort;
  const selector = svc.selector;
  if (!selector) return undefined;
  const found = new Set<number>();
  const index = indexOf(scope);
  for (const o of index.workloads.get(namespace) ?? []) {
    const doc = cachedJson(index, o);
    const pod = o.kind === 'Pod' ? doc : doc?.spec?.template;
    const labels = pod?.metadata?.labels ?? {};
    if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) continue;
    for (const c of [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])]) {
      for (const p of c?.ports ?? []) {
        if (p?.name === port.targetPort && typeof p.containerPort === 'number') found.add(p.containerPort);
      }
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}
