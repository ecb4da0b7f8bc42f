import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Makes an object cluster-scoped in the output: drops the `metadata.namespace` that a
 * namespaced Chart gives every object (a Namespace carrying a namespace is noise in review).
 */
export function clusterScoped<T extends ApiObject>(obj: T): T {
  if (obj.metadata.namespace !== undefined) {
    obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return obj;
}

/**
 * A core `v1` Namespace object. Core objects are plain cdk8s `ApiObject`s: the library emits only
 * Namespace, Service and ServiceAccount, which does not justify a runtime dependency pinned to a
 * Kubernetes minor version.
 */
export function namespaceObject(scope: Construct, id: string, name: string, labels: Record<string, string>): ApiObject {
  return clusterScoped(new ApiObject(scope, id, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels },
  }));
}
