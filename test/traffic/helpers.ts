import { ApiObject, Chart } from 'cdk8s';
import { MeshContext } from '../../lib';

/** A core v1 Service `name` selecting `app: name` (so that references to the host resolve). */
export function appService(chart: Chart, name: string, port: number, namespace?: string): ApiObject {
  return new ApiObject(chart, `svc-${namespace ?? 'here'}-${name}`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { selector: { app: name }, ports: [{ name: 'http', port }] },
  });
}

/** The emitted objects of the library (everything but the Services the test created itself). */
export function emitted(docs: any[]): any[] {
  return docs.filter(d => !(d.kind === 'Service' && d.spec?.ports?.[0]?.targetPort === undefined));
}

/** Warnings recorded for the App of `chart`. */
export function warnings(chart: Chart): string[] {
  return MeshContext.of(chart).warnings.map(w => w.message);
}

/** A VirtualService/DestinationRule destination for `host` (shop namespace) with an optional subset. */
export function dest(name: string, port: number, subset?: string, namespace = 'shop'): Record<string, unknown> {
  return { host: `${name}.${namespace}.svc.cluster.local`, port: { number: port }, ...(subset ? { subset } : {}) };
}

/** What `fn` throws (undefined when it returns): lets property tests assert on the error unconditionally. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** `MeshError`, `TypeError`, ... for a thrown value; 'nothing' when nothing was thrown. */
export function errorName(e: unknown): string {
  return e === undefined ? 'nothing' : (e as Error)?.name ?? typeof e;
}
