import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkDns1123Label, checkPort } from './checks';
import { MeshError } from './errors';
import { DEFAULT_CLUSTER_DOMAIN, serviceFqdn } from './hosts';

/**
 * A Kubernetes Service port that mesh traffic is addressed to.
 *
 * A plain object is enough: `{ name: 'reviews', namespace: 'shop', port: 9080 }`.
 */
export interface ServiceTarget {
  /** Name of the Kubernetes Service (a DNS-1123 label). */
  readonly name: string;
  /**
   * Namespace of the Service.
   *
   * @default - the namespace of the enclosing cdk8s Chart; an error if the Chart has none
   */
  readonly namespace?: string;
  /** Service port (1..65535), not the container's target port. */
  readonly port: number;
}

/**
 * The structural shape of a cdk8s-plus `Service` (any version): a name, metadata with a namespace,
 * and its ports. A cdk8s-plus Service with exactly one port can be used wherever a
 * `ServiceTarget` is accepted.
 */
export interface ServiceResource {
  /** Name of the Service. */
  readonly name: string;
  /** Metadata of the Service object. */
  readonly metadata: ResourceMetadata;
  /** Ports of the Service. */
  readonly ports: ServiceResourcePort[];
}

/** The part of a Kubernetes object's metadata the library reads (cdk8s `ApiObjectMetadataDefinition` has it). */
export interface ResourceMetadata {
  /**
   * Namespace of the object.
   *
   * @default - the namespace of the enclosing cdk8s Chart
   */
  readonly namespace?: string;
}

/** One port of a `ServiceResource` (cdk8s-plus `ServicePort` has it). */
export interface ServiceResourcePort {
  /** The Service port. */
  readonly port: number;
}

/** A Service given as a plain `ServiceTarget` or as a cdk8s-plus `Service`. */
export type ServiceReference = ServiceTarget | ServiceResource;

/** A service target after validation and defaulting. */
export interface ResolvedService {
  /** Service name. */
  readonly name: string;
  /** Service namespace. */
  readonly namespace: string;
  /** Service port. */
  readonly port: number;
  /** Fully qualified host, `name.namespace.svc.cluster.local`. */
  readonly host: string;
}

function isServiceResource(ref: ServiceReference): ref is ServiceResource {
  return typeof (ref as ServiceResource).metadata === 'object' && Array.isArray((ref as ServiceResource).ports);
}

/**
 * Validates a service reference and fills in its namespace from the enclosing Chart.
 *
 * @param scope the construct that received the reference (named in errors)
 * @param prop the prop that holds it (`service`, `to`)
 */
export function resolveService(scope: IConstruct, prop: string, ref: ServiceReference, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): ResolvedService {
  if (ref === null || typeof ref !== 'object') {
    throw MeshError.invalid(scope, prop, ref, 'a ServiceTarget { name, namespace?, port } or a cdk8s-plus Service');
  }
  let name: unknown;
  let namespace: unknown;
  let port: unknown;
  if (isServiceResource(ref)) {
    name = ref.name;
    namespace = ref.metadata.namespace;
    if (ref.ports.length !== 1) {
      throw MeshError.invalid(scope, `${prop}.ports`, ref.ports.map(p => p.port),
        'exactly one port on a cdk8s-plus Service (pass { name, namespace, port } to pick one of several)');
    }
    port = ref.ports[0].port;
  } else {
    name = ref.name;
    namespace = ref.namespace;
    port = ref.port;
  }
  checkDns1123Label(scope, `${prop}.name`, name);
  checkPort(scope, `${prop}.port`, port);
  const ns = namespace ?? chartNamespace(scope);
  if (ns === undefined) {
    throw MeshError.invalid(scope, `${prop}.namespace`, undefined, 'set on the target or on the enclosing Chart (`new Chart(app, id, { namespace })`)');
  }
  const nsName = checkDns1123Label(scope, `${prop}.namespace`, ns);
  return { name: name as string, namespace: nsName, port: port as number, host: serviceFqdn(name as string, nsName, clusterDomain) };
}

/** The namespace of the Chart that contains `scope`, if it has one. */
export function chartNamespace(scope: IConstruct): string | undefined {
  try {
    return Chart.of(scope).namespace;
  } catch {
    return undefined;
  }
}
