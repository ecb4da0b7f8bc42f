import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppRuntime } from '../app/runtime';
import { lazy } from '../mesh/lazy';

// ReferenceGrants for cross-namespace references of the Gateway API (routes to backends,
// Gateways to certificate Secrets): one per (target namespace, referring kind, referring
// namespace), listing every name referred to, created by the first construct that needs it.

interface Grant {
  readonly object: ApiObject;
  readonly to: Map<string, { kind: string; name: string }>;
}

function grants(scope: IConstruct): Map<string, Grant> {
  return AppRuntime.of(scope).shared('cdk8s-istio/ingress/reference-grants', () => new Map<string, Grant>());
}

function request(scope: IConstruct, fromKind: string, fromNamespace: string, toNamespace: string, toKind: string, toName: string): ApiObject {
  const all = grants(scope);
  const key = `${toNamespace}|${fromKind}|${fromNamespace}`;
  let g = all.get(key);
  if (!g) {
    const to = new Map<string, { kind: string; name: string }>();
    const object = new ApiObject(scope, `ReferenceGrant-${toNamespace}-${fromKind}-${fromNamespace}`, {
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: `allow-${fromKind.toLowerCase()}-from-${fromNamespace}`.slice(0, 253), namespace: toNamespace },
      spec: lazy(() => ({
        from: [{ group: 'gateway.networking.k8s.io', kind: fromKind, namespace: fromNamespace }],
        to: [...to.keys()].sort().map(k => ({ group: '', kind: to.get(k)!.kind, name: to.get(k)!.name })),
      })),
    });
    g = { object, to };
    all.set(key, g);
  }
  g.to.set(`${toKind}/${toName}`, { kind: toKind, name: toName });
  return g.object;
}

/** The ReferenceGrant that lets `fromKind`s of `fromNamespace` use Service `name` of `toNamespace`. */
export function requestBackendGrant(scope: IConstruct, fromKind: string, fromNamespace: string, toNamespace: string, name: string): ApiObject {
  return request(scope, fromKind, fromNamespace, toNamespace, 'Service', name);
}

/** The ReferenceGrant that lets Gateways of `fromNamespace` use the certificate Secret `name` of `toNamespace`. */
export function requestSecretGrant(scope: IConstruct, fromNamespace: string, toNamespace: string, name: string): ApiObject {
  return request(scope, 'Gateway', fromNamespace, toNamespace, 'Secret', name);
}
