import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { appObjectsOfKind, derivedFromApp, renderedJson } from './app-objects';
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

/** The `v1` Service `namespace/name` the App declares, or undefined. */
export function findKnownService(scope: IConstruct, namespace: string, name: string): KnownService | undefined {
  const obj = derivedFromApp(scope, 'v1 Services by namespace/name', () => {
    const byName = new Map<string, ApiObject>();
    for (const o of appObjectsOfKind(scope, 'Service')) {
      const ns = namespaceOf(o);
      const key = `${ns}/${o.name}`;
      if (o.apiVersion === 'v1' && ns !== undefined && !byName.has(key)) byName.set(key, o);
    }
    return byName;
  }).get(`${namespace}/${name}`);
  const spec = obj ? renderedJson(scope, obj)?.spec : undefined;
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
  const workloads = derivedFromApp(scope, 'pod-bearing workloads by namespace', () => {
    const byNamespace = new Map<string, ApiObject[]>();
    for (const o of ['Pod', ...POD_TEMPLATE_KINDS].flatMap(kind => appObjectsOfKind(scope, kind))) {
      const ns = namespaceOf(o);
      if (ns === undefined) continue;
      const list = byNamespace.get(ns);
      if (list) list.push(o);
      else byNamespace.set(ns, [o]);
    }
    return byNamespace;
  });
  for (const o of workloads.get(namespace) ?? []) {
    const doc = renderedJson(scope, o);
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
