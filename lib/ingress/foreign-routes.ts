import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppRuntime } from '../app/runtime';
import { DataplaneMode } from '../mesh/dataplane';
import { describeConstruct, MeshError } from '../mesh/errors';
import { TrafficApi } from '../mesh/traffic-api';
import { hostsIntersect } from '../traffic/ingress';
import { RouteParent } from './route-table';

// Routes of other constructs (CanaryRoute, ResilientService, raw objects) for the same parent and
// host as an HttpRouter: they do not merge with its rules, so synth fails naming both.

function render(o: ApiObject): any {
  try {
    return o.toJson();
  } catch {
    return undefined; // the owner reports its own rendering failure
  }
}

function sameParent(doc: any, kind: string, parent: RouteParent, hostnames: readonly string[]): boolean {
  const ns = doc.metadata?.namespace;
  if (kind === 'VirtualService') {
    const gateways: string[] = doc.spec?.gateways ?? [];
    const hosts: string[] = doc.spec?.hosts ?? [];
    if (parent.kind === 'Service') {
      return (gateways.length === 0 || gateways.includes('mesh')) && hosts.some(h => h === parent.host || (h === parent.name && ns === parent.namespace));
    }
    const bound = gateways.some(g => g === `${parent.namespace}/${parent.name}` || (g === parent.name && ns === parent.namespace));
    return bound && hosts.some(h => hostnames.some(n => hostsIntersect(n, h) || h === '*'));
  }
  const refs: any[] = doc.spec?.parentRefs ?? [];
  if (parent.kind === 'Service') {
    return refs.some(p => p.kind === 'Service' && p.name === parent.name && (p.namespace ?? ns) === parent.namespace);
  }
  // Routes on other listeners (the redirect route on the HTTP listener) do not compete.
  const bound = refs.some(p => (p.kind ?? 'Gateway') === 'Gateway' && p.name === parent.name && (p.namespace ?? ns) === parent.namespace
    && (p.sectionName === undefined || parent.sectionNames.length === 0 || parent.sectionNames.includes(p.sectionName)));
  const hosts: string[] = doc.spec?.hostnames ?? [];
  return bound && (hosts.length === 0 || hosts.some(h => hostnames.some(n => hostsIntersect(n, h))));
}

/** Synth problems of a router: another construct routes the same parent and host; the Service's namespace cannot run the route. */
export function checkForeignRoutes(router: IConstruct, parent: RouteParent, api: TrafficApi, hostnames: readonly string[],
  own: readonly ApiObject[], explicitApi: boolean): string[] {
  const out: string[] = [];
  if (parent.kind === 'Service') {
    const ns = AppRuntime.of(router).namespace(parent.namespace);
    if (ns?.mode === DataplaneMode.AMBIENT) {
      if (api === TrafficApi.ISTIO) {
        out.push(new MeshError(router, `api is TrafficApi.ISTIO${explicitApi ? '' : ' (the namespace was not declared ambient when the router was created)'} `
          + `but namespace "${parent.namespace}" is ambient, where VirtualService is alpha; use TrafficApi.GATEWAY_API`).message);
      } else if (!ns.waypointFor(parent.name)) {
        out.push(new MeshError(router, `HTTP routing in ambient namespace "${parent.namespace}" needs a waypoint, and no waypoint serves service "${parent.name}"; `
          + 'add a waypoint to the namespace (AmbientNamespace waypoint) or bind one to the service').message);
      }
    }
  }
  for (const c of router.node.root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || own.includes(c) || !['VirtualService', 'HTTPRoute', 'GRPCRoute'].includes(c.kind)) continue;
    const doc = render(c);
    if (!doc || !sameParent(doc, c.kind, parent, hostnames)) continue;
    const owner = c.node.scope ? describeConstruct(c.node.scope) : c.node.path;
    const what = parent.kind === 'Service' ? `service ${parent.host}` : `hostnames ${JSON.stringify(hostnames)} at gateway ${parent.namespace}/${parent.name}`;
    out.push(new MeshError(router, `conflicts with ${owner}: its ${c.kind} ${doc.metadata?.namespace}/${doc.metadata?.name} routes ${what} too; `
      + `one route per host and parent (${api === TrafficApi.ISTIO ? 'Istio merges several VirtualServices for one host only at gateways, in no defined order' : 'HTTPRoutes of one host compete by age'}): `
      + 'move its rules into the HttpRouter, or route another host').message);
  }
  return out;
}
