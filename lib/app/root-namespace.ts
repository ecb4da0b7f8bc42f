import { IConstruct } from 'constructs';
import { MeshError } from '../mesh/errors';
import { AppRuntime } from './runtime';

/**
 * Rejects the root namespace: policies there (a selector-less PeerAuthentication, an allow-nothing,
 * selector allows) apply to every namespace of the mesh, not to one.
 * https://istio.io/latest/docs/reference/config/security/authorization-policy/ ("root namespace")
 */
export function checkNotRootNamespace(scope: IConstruct, prop: string, name: string): void {
  const root = AppRuntime.of(scope).settings.rootNamespace;
  if (name === root) {
    throw MeshError.invalid(scope, prop, name,
      `a namespace other than the mesh root namespace "${root}": policies there apply mesh-wide (its PeerAuthentication, allow-nothing and `
      + 'selector allows would cover every namespace); declare the namespaces of your workloads (MeshContext.rootNamespace names the root namespace)');
  }
}
