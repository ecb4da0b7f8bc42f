import { IConstruct } from 'constructs';
import { MeshError } from '../mesh/errors';
import { chartNamespace, ResourceMetadata } from '../mesh/service-target';

/**
 * The structural shape of a cdk8s-plus workload (`Deployment`, `StatefulSet`, any cdk8s-plus
 * version): a name, metadata with a namespace, and the metadata of its pod template. A
 * cdk8s-plus `Deployment` can be passed wherever a version workload is accepted
 * (`CanaryRoute` `stableWorkload`/`canaryWorkload`); the library reads its pod labels and never
 * depends on cdk8s-plus at runtime.
 */
export interface WorkloadResource {
  /** Name of the workload. */
  readonly name: string;
  /** Metadata of the workload object. */
  readonly metadata: ResourceMetadata;
  /** Metadata of the workload's pod template; the version label is read from it. */
  readonly podMetadata: IPodMetadata;
}

/** Labels of a pod template, as cdk8s `ApiObjectMetadataDefinition` (a cdk8s-plus `podMetadata`) reads them. */
export interface IPodMetadata {
  /**
   * The value of label `key`, undefined when the pod template has none.
   *
   * @param key the label key
   */
  getLabel(key: string): string | undefined;
}

/** A version workload after validation. */
export interface ResolvedWorkload {
  /** The prop it came from (`stableWorkload`). */
  readonly prop: string;
  /** The workload. */
  readonly workload: WorkloadResource;
  /** `Deployment shop/reviews-v1`, for messages. */
  readonly label: string;
}

function describe(w: WorkloadResource, namespace: string | undefined): string {
  const kind = typeof w === 'object' && w !== null && typeof w.constructor === 'function' && w.constructor !== Object ? w.constructor.name : 'workload';
  return `${kind} ${namespace === undefined ? '' : `${namespace}/`}${w.name}`;
}

function workloadNamespace(w: WorkloadResource): string | undefined {
  const ns = w.metadata?.namespace;
  if (ns !== undefined) return ns;
  return typeof (w as unknown as IConstruct).node === 'object' ? chartNamespace(w as unknown as IConstruct) : undefined;
}

/**
 * Validates a version workload and returns its version: the workload must be in the service's
 * namespace and its pod template must carry `versionLabel`; when `version` is given too, the
 * label must equal it.
 */
export function resolveWorkloadVersion(scope: IConstruct, prop: string, workload: WorkloadResource, versionLabel: string,
  serviceNamespace: string, version: string | undefined, versionProp: string): { version: string; resolved: ResolvedWorkload } {
  if (workload === null || typeof workload !== 'object' || typeof workload.podMetadata?.getLabel !== 'function' || typeof workload.name !== 'string') {
    throw MeshError.invalid(scope, prop, workload, 'a cdk8s-plus Deployment (or { name, metadata, podMetadata: { getLabel } })');
  }
  const namespace = workloadNamespace(workload);
  const label = describe(workload, namespace);
  if (namespace !== undefined && namespace !== serviceNamespace) {
    throw MeshError.invalid(scope, `${prop}.metadata.namespace`, namespace, `the service's namespace "${serviceNamespace}" (${label} cannot back a Service in another namespace)`);
  }
  const value = workload.podMetadata.getLabel(versionLabel);
  if (value === undefined) {
    throw new MeshError(scope, `${prop}: the pods of ${label} have no label "${versionLabel}" (versionLabel); add it to the pod template, e.g. podMetadata: { labels: { ${JSON.stringify(versionLabel)}: "v1" } }`);
  }
  if (version !== undefined && version !== value) {
    throw MeshError.invalid(scope, versionProp, version, `the "${versionLabel}" pod label of ${prop} ${label} ("${value}"), or left out`);
  }
  return { version: value, resolved: { prop, workload, label } };
}

/**
 * Problems of a version workload at synth: its version label changed since the route was built,
 * or (when per-version Services select pods by `selector`) its pods lack a selector label.
 */
export function workloadProblems(scope: IConstruct, w: ResolvedWorkload, versionLabel: string, version: string,
  selector: Readonly<Record<string, string>> | undefined): string[] {
  const out: string[] = [];
  const now = w.workload.podMetadata.getLabel(versionLabel);
  if (now !== version) {
    out.push(new MeshError(scope, `${w.prop}: the "${versionLabel}" pod label of ${w.label} must stay "${version}" (the version the route was built with), got ${now === undefined ? 'none' : JSON.stringify(now)}`).message);
  }
  for (const [k, v] of Object.entries(selector ?? {})) {
    const got = w.workload.podMetadata.getLabel(k);
    if (got !== v) {
      out.push(new MeshError(scope, `${w.prop}: the pods of ${w.label} must carry the selector label ${k}=${v} (the per-version Services select pods by selector + versionLabel), got ${got === undefined ? 'none' : `${k}=${got}`}; set the label or the selector prop`).message);
    }
  }
  return out;
}
