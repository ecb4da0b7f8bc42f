import { ManifestIndex } from './model';

// Gateway API cross-namespace backends (Istio 1.30.3 pilot/pkg/config/kube/gateway/conversion.go
// buildDestination): a backendRef to a Service in another namespace than the route's needs a
// ReferenceGrant in the backend's namespace whose `from` names the route kind and namespace and
// whose `to` names Service (any name, or this one); otherwise istiod replaces the destination with
// an empty one ("backendRef ... not accessible ... (missing a ReferenceGrant?)") and the request
// fails with HTTP 500. https://gateway-api.sigs.k8s.io/api-types/referencegrant/

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']);

/** Why `resource` (`HTTPRoute ns/name`) may not send to the Service `host`, or undefined when it may. */
export function missingGrant(index: ManifestIndex, resource: string, host: string, clusterDomain: string): string | undefined {
  const [kind, ref] = resource.split(' ');
  if (!ROUTE_KINDS.has(kind) || !ref) return undefined;
  const routeNs = ref.split('/')[0];
  const suffix = `.svc.${clusterDomain}`;
  if (!host.endsWith(suffix)) return undefined;
  const [name, ns] = host.slice(0, -suffix.length).split('.');
  if (!ns || ns === routeNs) return undefined;
  const granted = [...index.ofKind('ReferenceGrant', ns)].some(g =>
    ((g.object.spec?.from ?? []) as any[]).some(f => f?.group === 'gateway.networking.k8s.io' && f?.kind === kind && f?.namespace === routeNs)
    && ((g.object.spec?.to ?? []) as any[]).some(t => (t?.group ?? '') === '' && t?.kind === 'Service' && (t?.name === undefined || t.name === name)));
  if (granted) return undefined;
  return `${kind} ${ref} sends to Service ${ns}/${name} in another namespace and no ReferenceGrant in ${ns} admits ${kind}s of ${routeNs}: istiod drops the backend, the request fails with 500`;
}
