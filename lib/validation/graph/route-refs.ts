import { GraphContext } from './support/context';
import { arr, GK, Obj, ROUTE_KINDS, str } from './support/model';
import { Code } from '../codes';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const ISTIO_GROUP = 'networking.istio.io';

interface BackendRef {
  readonly ref: any;
  readonly path: string;
}

/** Every backendRef of a route: rule backends and request-mirror filters (rule- and backend-level). */
export function routeBackendRefs(route: Obj): BackendRef[] {
  const out: BackendRef[] = [];
  const mirrors = (filters: unknown, path: string) => arr(filters).forEach((f, k) => {
    const b = f?.requestMirror?.backendRef;
    if (b && typeof b === 'object') out.push({ ref: b, path: `${path}.filters[${k}].requestMirror.backendRef` });
  });
  arr(route.spec.rules).forEach((rule, i) => {
    const rp = `spec.rules[${i}]`;
    arr(rule?.backendRefs).forEach((b, j) => {
      if (!b || typeof b !== 'object') return;
      out.push({ ref: b, path: `${rp}.backendRefs[${j}]` });
      mirrors(b.filters, `${rp}.backendRefs[${j}]`);
    });
    mirrors(rule?.filters, rp);
  });
  return out;
}

/** The parent of a route's parentRef: `Gateway` (default), `Service`, or `ServiceEntry`. */
export function parentTarget(route: Obj, p: any): { gk: string; namespace: string; name: string } | undefined {
  const group = typeof p?.group === 'string' ? p.group : GATEWAY_GROUP;
  const kind = typeof p?.kind === 'string' ? p.kind : 'Gateway';
  const namespace = str(p?.namespace) || route.ns;
  const name = str(p?.name);
  if (group === GATEWAY_GROUP && kind === 'Gateway') return { gk: GK.gateway, namespace, name };
  if (group === '' && kind === 'Service') return { gk: GK.service, namespace, name };
  if (group === ISTIO_GROUP && kind === 'ServiceEntry') return { gk: GK.serviceEntry, namespace, name };
  return undefined;
}

function backendTarget(route: Obj, b: any): { gk: string; group: string; kind: string; namespace: string; name: string } | undefined {
  const group = typeof b.group === 'string' ? b.group : '';
  const kind = typeof b.kind === 'string' ? b.kind : 'Service';
  const namespace = str(b.namespace) || route.ns;
  const name = str(b.name);
  if (group === '' && kind === 'Service') return { gk: GK.service, group, kind, namespace, name };
  if (group === ISTIO_GROUP && kind === 'ServiceEntry') return { gk: GK.serviceEntry, group, kind, namespace, name };
  return undefined;
}

function grantAllows(grant: Obj, route: Obj, target: { group: string; kind: string; name: string }): boolean {
  const from = arr(grant.spec.from).some(f => str(f?.group) === GATEWAY_GROUP && f?.kind === route.kind && f?.namespace === route.ns);
  const to = arr(grant.spec.to).some(t => str(t?.group) === target.group && t?.kind === target.kind
    && (typeof t?.name !== 'string' || t.name === '' || t.name === target.name));
  return from && to;
}

/**
 * IST0101: a Gateway API route's parentRef (Gateway, its listener `sectionName`, Service,
 * ServiceEntry) or backendRef (Service, ServiceEntry) that is not in the set (checked when the set
 * holds objects of the target's kind in the target's namespace).
 * CI3001: a backendRef into another namespace that no ReferenceGrant of that namespace allows.
 */
export function analyzeRouteRefs(ctx: GraphContext): void {
  const grantsByNs = new Map<string, Obj[]>();
  for (const g of ctx.index.all(GK.referenceGrant)) {
    const list = grantsByNs.get(g.ns) ?? [];
    list.push(g);
    grantsByNs.set(g.ns, list);
  }
  for (const gk of ROUTE_KINDS) {
    for (const route of ctx.index.all(gk)) {
      arr(route.spec.parentRefs).forEach((p, i) => {
        const t = parentTarget(route, p);
        if (!t) return;
        const path = `spec.parentRefs[${i}]`;
        const target = ctx.index.find(t.gk, t.namespace, t.name);
        const kind = t.gk.split('/')[1];
        if (!target) {
          ctx.unresolved(route, Code.IST0101, t.gk, t.namespace, t.name, path, `Referenced parent ${kind} not found: "${t.namespace}/${t.name}"`);
          return;
        }
        const section = str(p?.sectionName);
        if (t.gk === GK.gateway && section && !arr(target.spec.listeners).some(l => l?.name === section)) {
          ctx.report(route, Code.IST0101, 'error', `${path}.sectionName`,
            `Referenced listener not found: "${section}" on Gateway ${t.namespace}/${t.name}`);
        }
      });
      for (const b of routeBackendRefs(route)) {
        const t = backendTarget(route, b.ref);
        if (!t) continue;
        if (!ctx.index.find(t.gk, t.namespace, t.name)) {
          ctx.unresolved(route, Code.IST0101, t.gk, t.namespace, t.name, b.path, `Referenced backend ${t.kind} not found: "${t.namespace}/${t.name}"`);
        }
        if (t.namespace !== route.ns && !(grantsByNs.get(t.namespace) ?? []).some(g => grantAllows(g, route, t))) {
          ctx.missing(route, Code.CI3001, ctx.index.hasNamespace(t.namespace), b.path,
            `backendRef to ${t.kind} ${t.namespace}/${t.name} crosses namespaces but no ReferenceGrant in ${t.namespace} allows ${route.kind}s from ${route.ns}: the backend is not resolved (RefNotPermitted)`);
        }
      }
    }
  }
}
