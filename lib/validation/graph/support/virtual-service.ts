import { resolveHost } from '../../../mesh/hosts';
import { arr, Obj, str } from './model';

/** A destination of a VirtualService route or mirror, with its JSON path. */
export interface RouteDestination {
  /** JSON path of the `destination` (or `mirror`) object. */
  readonly path: string;
  /** Host as written. */
  readonly host: string;
  /** Host resolved in the VirtualService's namespace. */
  readonly fqdn: string;
  /** Subset, or ''. */
  readonly subset: string;
  /** `port.number`, if set. */
  readonly port?: number;
  /** True for `mirror`/`mirrors`. */
  readonly mirror: boolean;
}

/** Every route and mirror destination of a VirtualService (http, tls, tcp). */
export function vsDestinations(o: Obj): RouteDestination[] {
  const out: RouteDestination[] = [];
  const add = (d: any, path: string, mirror: boolean) => {
    if (d === null || typeof d !== 'object' || typeof d.host !== 'string') return;
    const port = typeof d.port?.number === 'number' ? d.port.number : undefined;
    out.push({ path, host: d.host, fqdn: resolveHost(d.host, o.ns), subset: str(d.subset), port, mirror });
  };
  for (const proto of ['http', 'tls', 'tcp']) {
    arr(o.spec[proto]).forEach((rule, i) => {
      arr(rule?.route).forEach((r, j) => add(r?.destination, `spec.${proto}[${i}].route[${j}].destination`, false));
      if (proto === 'http') {
        add(rule?.mirror, `spec.http[${i}].mirror`, true);
        arr(rule?.mirrors).forEach((m, k) => add(m?.destination, `spec.http[${i}].mirrors[${k}].destination`, true));
      }
    });
  }
  return out;
}

/** A gateway named by a VirtualService, with the JSON path of the name. */
export interface GatewayName {
  readonly name: string;
  readonly path: string;
}

/** Gateways named in `spec.gateways` and in the `gateways` of every match. */
export function vsGatewayNames(o: Obj): GatewayName[] {
  const out: GatewayName[] = [];
  arr(o.spec.gateways).forEach((g, i) => { if (typeof g === 'string') out.push({ name: g, path: `spec.gateways[${i}]` }); });
  for (const proto of ['http', 'tls', 'tcp']) {
    arr(o.spec[proto]).forEach((rule, i) => arr(rule?.match).forEach((m, j) => arr(m?.gateways).forEach((g, k) => {
      if (typeof g === 'string') out.push({ name: g, path: `spec.${proto}[${i}].match[${j}].gateways[${k}]` });
    })));
  }
  return out;
}

/** True if the VirtualService applies to sidecars/waypoints (no `gateways`, or `mesh` listed). */
export function appliesToMesh(o: Obj): boolean {
  const gws = arr(o.spec.gateways);
  return gws.length === 0 || gws.includes('mesh');
}

/**
 * Where a gateway name points, as istiod reads it in a VirtualService of namespace `ns`:
 * `name` (same namespace), `namespace/name`, or the legacy `name.namespace.svc.cluster.local`.
 */
export function gatewayRef(name: string, ns: string): { namespace: string; name: string } {
  const slash = name.indexOf('/');
  if (slash >= 0) return { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
  const parts = name.split('.');
  if (parts.length >= 2) return { namespace: parts[1], name: parts[0] };
  return { namespace: ns, name };
}

/** The resolved hosts of a VirtualService. */
export function vsHosts(o: Obj): string[] {
  return arr(o.spec.hosts).filter((h): h is string => typeof h === 'string').map(h => resolveHost(h, o.ns));
}
