import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppRuntime } from '../app/runtime';
import { appObjectsOfKind } from '../mesh/app-objects';
import { describeConstruct, MeshError } from '../mesh/errors';
import { TrafficApi } from '../mesh/traffic-api';
import { admits, ListenerIntent, sectionNames } from './gateway';
import { ListenerProtocol, RouteNamespaces } from './listener';

// Routes of the App that bind to a gateway of the App: their namespace must be admitted by the
// gateway's allowRoutesFrom, and (Gateway API) they must not attach to a redirecting listener.

/** What the checks know of an IngressGateway. */
export interface GatewayInfo {
  readonly construct: IConstruct;
  readonly name: string;
  readonly namespace: string;
  readonly api: TrafficApi;
  readonly listeners: readonly ListenerIntent[];
  readonly allowRoutesFrom: RouteNamespaces;
}

/** The gateways of the App, by `<namespace>/<name>`. */
export function gatewaysOf(scope: IConstruct): Map<string, GatewayInfo> {
  return AppRuntime.of(scope).shared('cdk8s-istio/ingress/gateways', () => new Map<string, GatewayInfo>());
}

/** Registers a gateway; throws when the App has another gateway of that name. */
export function registerGateway(scope: IConstruct, info: GatewayInfo): void {
  const all = gatewaysOf(scope);
  const key = `${info.namespace}/${info.name}`;
  const prev = all.get(key);
  if (prev) throw new MeshError(scope, `gateway ${key} is already declared by ${describeConstruct(prev.construct)}; name each gateway once`);
  all.set(key, info);
}

const ROUTE_KINDS: Record<string, ListenerProtocol[]> = {
  HTTPRoute: [ListenerProtocol.HTTP, ListenerProtocol.HTTPS],
  GRPCRoute: [ListenerProtocol.HTTP, ListenerProtocol.HTTPS],
  TLSRoute: [ListenerProtocol.TLS],
  TCPRoute: [ListenerProtocol.TCP],
};

function render(o: ApiObject): any {
  try {
    return o.toJson();
  } catch {
    return undefined; // the owner reports its own rendering failure
  }
}

function namespaceLabels(root: IConstruct, name: string): Record<string, string> | undefined {
  const ns = appObjectsOfKind(root, 'Namespace').find(c => c.apiVersion === 'v1' && c.metadata.name === name);
  if (!ns) return undefined;
  return { ...(ns.metadata.toJson().labels ?? {}) };
}

function owner(o: ApiObject): string {
  const scope = o.node.scope;
  return scope ? describeConstruct(scope) : o.node.path;
}

/** Problems of the routes that bind to the gateway `info`. */
export function checkRouteBindings(info: GatewayInfo): string[] {
  const root = info.construct.node.root;
  const out: string[] = [];
  const bound = (o: ApiObject, doc: any): boolean => {
    const ns = doc.metadata?.namespace ?? o.metadata.namespace;
    if (info.api === TrafficApi.ISTIO) {
      if (o.kind !== 'VirtualService' || !o.apiVersion.startsWith('networking.istio.io/')) return false;
      return (doc.spec?.gateways ?? []).some((g: string) => g === `${info.namespace}/${info.name}` || (g === info.name && ns === info.namespace));
    }
    if (!(o.kind in ROUTE_KINDS) || !o.apiVersion.startsWith('gateway.networking.k8s.io/')) return false;
    return (doc.spec?.parentRefs ?? []).some((p: any) => (p.kind ?? 'Gateway') === 'Gateway' && p.name === info.name && (p.namespace ?? ns) === info.namespace);
  };
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || (c.node.scope === info.construct && c.kind === 'HTTPRoute' && c.node.id.startsWith('Redirect-'))) continue;
    if (!['VirtualService', ...Object.keys(ROUTE_KINDS)].includes(c.kind)) continue;
    const doc = render(c);
    if (!doc || !bound(c, doc)) continue;
    const ns: string = doc.metadata?.namespace ?? info.namespace;
    const what = `${c.kind} ${ns}/${doc.metadata?.name} of ${owner(c)}`;
    const ok = admits(info.allowRoutesFrom, info.namespace, ns, namespaceLabels(root, ns));
    if (ok === false) {
      out.push(new MeshError(info.construct, `allowRoutesFrom ${info.allowRoutesFrom} does not admit ${what} (namespace "${ns}"): `
        + `the gateway would ignore the route; admit the namespace (e.g. RouteNamespaces.names(${JSON.stringify(ns)})) or move the route to namespace "${info.namespace}"`).message);
    }
    if (info.api !== TrafficApi.GATEWAY_API) continue;
    const redirecting = info.listeners.filter(l => l.redirectToHttps);
    if (redirecting.length === 0) continue;
    for (const p of doc.spec.parentRefs as any[]) {
      if ((p.kind ?? 'Gateway') !== 'Gateway' || p.name !== info.name || (p.namespace ?? ns) !== info.namespace) continue;
      const section: string | undefined = p.sectionName;
      // Without sectionName the route attaches to every listener that admits it; the redirecting ones admit only their namespace.
      const hit = redirecting.find(l => (section === undefined ? ns === info.namespace : sectionNames(l).includes(section)));
      if (hit) {
        out.push(new MeshError(info.construct, `${what} attaches to listener "${hit.name}", which redirects every request to HTTPS, `
          + `${section === undefined ? 'because its parentRef has no sectionName' : 'by its sectionName'}; `
          + 'bind it to the HTTPS listener (parentRefs[].sectionName) so the redirect stays the only route there').message);
      }
    }
  }
  return out;
}
