import { IConstruct } from 'constructs';
import { checkDns1123Label, checkDns1123Subdomain, checkPort } from '../mesh/checks';
import { MeshError } from '../mesh/errors';
import { checkDnsName } from '../mesh/hosts';
import { hostsIntersect } from '../traffic/ingress';
import { Listener, ListenerProtocol, RouteNamespaces, TlsCertificate } from './listener';

// Listeners of an IngressGateway: checked once into intents, rendered for both APIs.

/** A listener after validation. */
export interface ListenerIntent {
  /** Index in `listeners` (for messages). */
  readonly index: number;
  /** Base name (`https-443`). */
  readonly name: string;
  readonly protocol: ListenerProtocol;
  readonly port: number;
  /** Hostnames served; empty = any. */
  readonly hostnames: readonly string[];
  /** Server certificate (HTTPS). */
  readonly certificate?: { readonly name: string; readonly namespace: string };
  /** Redirect every request to HTTPS (HTTP). */
  readonly redirectToHttps: boolean;
}

const KEYS: Record<ListenerProtocol, string[]> = {
  [ListenerProtocol.HTTP]: ['name', 'hostnames', 'redirectToHttps', 'port'],
  [ListenerProtocol.HTTPS]: ['name', 'hostnames', 'certificate', 'port'],
  [ListenerProtocol.TLS]: ['name', 'hostnames', 'port'],
  [ListenerProtocol.TCP]: ['name', 'port'],
};

const FACTORY: Record<ListenerProtocol, string> = {
  [ListenerProtocol.HTTP]: 'Listener.http()',
  [ListenerProtocol.HTTPS]: 'Listener.https()',
  [ListenerProtocol.TLS]: 'Listener.tlsPassthrough()',
  [ListenerProtocol.TCP]: 'Listener.tcp()',
};

function checkListener(scope: IConstruct, l: Listener, index: number, gwNamespace: string): ListenerIntent {
  const at = `listeners[${index}]`;
  if (!(l instanceof Listener)) throw MeshError.invalid(scope, at, l, 'a Listener (Listener.https(), .http(), .tlsPassthrough() or .tcp())');
  const o = l.options as Record<string, any>;
  if (l.protocol === ListenerProtocol.TCP && o.hostnames !== undefined) {
    throw MeshError.invalid(scope, `${at}.hostnames`, o.hostnames, 'unset on a TCP listener: TCP carries no hostname, the listener is selected by its port alone '
      + '(use Listener.tlsPassthrough() to route by SNI)');
  }
  if (l.protocol === ListenerProtocol.HTTPS && o.redirectToHttps !== undefined) {
    throw MeshError.invalid(scope, `${at}.redirectToHttps`, o.redirectToHttps, 'unset on an HTTPS listener (it already serves HTTPS); set it on a Listener.http() listener');
  }
  for (const k of Object.keys(o)) {
    if (!KEYS[l.protocol].includes(k)) throw MeshError.invalid(scope, `${at}.${k}`, o[k], `unset: ${FACTORY[l.protocol]} has only ${KEYS[l.protocol].join(', ')}`);
  }
  const port = o.port === undefined && l.defaultPort !== undefined ? l.defaultPort : checkPort(scope, `${at}.port`, o.port);
  const name = o.name === undefined ? `${l.protocol.toLowerCase()}-${port}` : checkDns1123Label(scope, `${at}.name`, o.name);
  let hostnames: string[] = [];
  if (o.hostnames !== undefined) {
    if (!Array.isArray(o.hostnames) || o.hostnames.length === 0 || o.hostnames.length > 16) {
      throw MeshError.invalid(scope, `${at}.hostnames`, o.hostnames, 'a list of 1..16 hostnames, or unset for any hostname');
    }
    hostnames = o.hostnames.map((h: unknown, i: number) => checkDnsName(scope, `${at}.hostnames[${i}]`, h, { wildcard: true }));
    const dup = hostnames.find((h, i) => hostnames.indexOf(h) !== i);
    if (dup) throw MeshError.invalid(scope, `${at}.hostnames`, o.hostnames, `a list without duplicates ("${dup}" twice)`);
  }
  let certificate: ListenerIntent['certificate'];
  if (l.protocol === ListenerProtocol.HTTPS) {
    if (!(o.certificate instanceof TlsCertificate)) {
      throw MeshError.invalid(scope, `${at}.certificate`, o.certificate,
        'a TlsCertificate (TlsCertificate.fromSecret(\'<kubernetes.io/tls Secret>\')): an HTTPS listener terminates TLS and needs a server certificate');
    }
    certificate = {
      name: checkDns1123Subdomain(scope, `${at}.certificate.secretName`, o.certificate.secretName),
      namespace: o.certificate.namespace === undefined ? gwNamespace : checkDns1123Label(scope, `${at}.certificate.namespace`, o.certificate.namespace),
    };
  }
  const redirectToHttps = o.redirectToHttps ?? false;
  if (typeof redirectToHttps !== 'boolean') throw MeshError.invalid(scope, `${at}.redirectToHttps`, redirectToHttps, 'true or false');
  return { index, name, protocol: l.protocol, port, hostnames, certificate, redirectToHttps };
}

/** Gateway API listener names of a listener: `<name>`, or `<name>-<i>` per hostname when it has several. */
export function sectionNames(l: ListenerIntent): string[] {
  return l.hostnames.length <= 1 ? [l.name] : l.hostnames.map((_, i) => `${l.name}-${i}`);
}

function overlap(a: ListenerIntent, b: ListenerIntent): string | undefined {
  if (a.hostnames.length === 0 || b.hostnames.length === 0) return a.hostnames[0] ?? b.hostnames[0] ?? 'any hostname';
  return a.hostnames.find(h => b.hostnames.some(o => hostsIntersect(h, o)));
}

/** Checks every listener and the set: unique names, no two listeners on one port that overlap. */
export function checkListeners(scope: IConstruct, listeners: readonly Listener[], gwNamespace: string): ListenerIntent[] {
  if (!Array.isArray(listeners) || listeners.length === 0 || listeners.length > 64) {
    throw MeshError.invalid(scope, 'listeners', listeners, 'a list of 1..64 Listener');
  }
  const out = listeners.map((l, i) => checkListener(scope, l, i, gwNamespace));
  const names = new Map<string, number>();
  for (const l of out) {
    for (const n of sectionNames(l)) {
      const prev = names.get(n);
      if (prev !== undefined) {
        throw MeshError.invalid(scope, `listeners[${l.index}].name`, n, `a name no other listener has (listeners[${prev}] is "${n}" too)`);
      }
      names.set(n, l.index);
    }
  }
  for (const [i, a] of out.entries()) {
    for (const b of out.slice(0, i)) {
      if (a.port !== b.port) continue;
      // HTTPS and TLS passthrough share a port by SNI; HTTP with HTTP by Host. Anything else on one port conflicts.
      const compatible = (a.protocol === b.protocol && a.protocol !== ListenerProtocol.TCP)
        || (a.protocol !== ListenerProtocol.HTTP && b.protocol !== ListenerProtocol.HTTP
          && a.protocol !== ListenerProtocol.TCP && b.protocol !== ListenerProtocol.TCP);
      if (!compatible) {
        throw new MeshError(scope, `listeners[${a.index}] (${a.protocol}) and listeners[${b.index}] (${b.protocol}) both use port ${a.port}; `
          + `${a.protocol === b.protocol ? 'two TCP listeners cannot share a port' : `${a.protocol} and ${b.protocol} cannot share a port`}: use another port`);
      }
      const host = overlap(a, b);
      if (host !== undefined) {
        throw new MeshError(scope, `listeners[${a.index}] and listeners[${b.index}] both serve ${host === 'any hostname' ? host : `"${host}"`} on port ${a.port}; `
          + 'listeners on one port must have disjoint hostnames (the gateway could not tell them apart)');
      }
    }
  }
  for (const l of out) {
    if (l.redirectToHttps && !out.some(o => o.protocol === ListenerProtocol.HTTPS && l.hostnames.every(h => o.hostnames.length === 0 || o.hostnames.some(s => hostsIntersect(h, s))))) {
      throw new MeshError(scope, `listeners[${l.index}].redirectToHttps needs an HTTPS listener serving ${l.hostnames.length ? l.hostnames.map(h => `"${h}"`).join(', ') : 'any hostname'} (the redirect would lead nowhere)`);
    }
  }
  return out;
}

/** Checks `allowRoutesFrom`; throws for what the target API cannot express. */
export function checkRouteNamespaces(scope: IConstruct, value: RouteNamespaces | undefined, istio: boolean): RouteNamespaces {
  const v = value ?? RouteNamespaces.SAME;
  if (!(v instanceof RouteNamespaces)) {
    throw MeshError.invalid(scope, 'allowRoutesFrom', v, 'RouteNamespaces.SAME, RouteNamespaces.ALL, RouteNamespaces.names(...) or RouteNamespaces.selector({...})');
  }
  if (v.from === 'Names') {
    if (v.namespaces.length === 0) throw MeshError.invalid(scope, 'allowRoutesFrom', v.toString(), 'RouteNamespaces.names() with at least one namespace');
    v.namespaces.forEach((n, i) => checkDns1123Label(scope, `allowRoutesFrom.namespaces[${i}]`, n));
  }
  if (v.from === 'Selector') {
    if (Object.keys(v.matchLabels).length === 0) throw MeshError.invalid(scope, 'allowRoutesFrom', v.toString(), 'RouteNamespaces.selector() with at least one label');
    if (istio) {
      throw MeshError.invalid(scope, 'allowRoutesFrom', v.toString(),
        'RouteNamespaces.SAME, ALL or names(...) with TrafficApi.ISTIO (an Istio Gateway restricts routes by namespace name in servers[].hosts, not by labels)');
    }
  }
  return v;
}

/** True when routes of `routeNamespace` may bind; undefined when it depends on namespace labels the App does not declare. */
export function admits(v: RouteNamespaces, gwNamespace: string, routeNamespace: string, labels?: Readonly<Record<string, string>>): boolean | undefined {
  switch (v.from) {
    case 'All': return true;
    case 'Same': return routeNamespace === gwNamespace;
    case 'Names': return routeNamespace === gwNamespace || v.namespaces.includes(routeNamespace);
    default: {
      const all = { 'kubernetes.io/metadata.name': routeNamespace, ...(labels ?? {}) };
      const ok = Object.entries(v.matchLabels).every(([k, val]) => all[k as keyof typeof all] === val);
      return ok || labels !== undefined ? ok : undefined;
    }
  }
}

/** Gateway API `allowedRoutes`, or undefined for the default (`Same`). */
function allowedRoutes(v: RouteNamespaces, gwNamespace: string): Record<string, unknown> | undefined {
  switch (v.from) {
    case 'All': return { namespaces: { from: 'All' } };
    case 'Names': return {
      namespaces: {
        from: 'Selector',
        selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: namesWithOwn(v, gwNamespace) }] },
      },
    };
    case 'Selector': return { namespaces: { from: 'Selector', selector: { matchLabels: { ...v.matchLabels } } } };
    default: return undefined;
  }
}

/** The namespaces of `names()`, the gateway's own first (its `expose()` routes live there). */
function namesWithOwn(v: RouteNamespaces, gwNamespace: string): string[] {
  return [gwNamespace, ...v.namespaces.filter(n => n !== gwNamespace)];
}

/** Gateway API `Gateway` spec. */
export function gatewayApiSpec(className: string, listeners: readonly ListenerIntent[], from: RouteNamespaces, gwNamespace: string): Record<string, unknown> {
  const allowed = allowedRoutes(from, gwNamespace);
  const out: Record<string, unknown>[] = [];
  for (const l of listeners) {
    const names = sectionNames(l);
    const hosts: Array<string | undefined> = l.hostnames.length === 0 ? [undefined] : [...l.hostnames];
    hosts.forEach((h, i) => {
      const listener: Record<string, unknown> = { name: names[i], protocol: l.protocol, port: l.port };
      if (h !== undefined) listener.hostname = h;
      if (l.protocol === ListenerProtocol.HTTPS) {
        const ref: Record<string, unknown> = { kind: 'Secret', name: l.certificate!.name };
        if (l.certificate!.namespace !== gwNamespace) ref.namespace = l.certificate!.namespace;
        listener.tls = { mode: 'Terminate', certificateRefs: [ref] };
      }
      if (l.protocol === ListenerProtocol.TLS) listener.tls = { mode: 'Passthrough' };
      // The redirecting HTTP listener admits only the gateway's own redirect route.
      if (allowed && !l.redirectToHttps) listener.allowedRoutes = allowed;
      out.push(listener);
    });
  }
  return { gatewayClassName: className, listeners: out };
}

/** Istio `servers[].hosts` entries for the route namespaces (`ns/host`; `./host` for the gateway's own namespace). */
function istioHosts(hostnames: readonly string[], from: RouteNamespaces, gwNamespace: string): string[] {
  const hosts = hostnames.length === 0 ? ['*'] : hostnames;
  switch (from.from) {
    case 'All': return [...hosts];
    case 'Names': return namesWithOwn(from, gwNamespace).flatMap(ns => hosts.map(h => `${ns === gwNamespace ? '.' : ns}/${h}`));
    default: return hosts.map(h => `./${h}`);
  }
}

/** Istio `Gateway` spec (networking.istio.io). */
export function istioGatewaySpec(selector: Readonly<Record<string, string>>, listeners: readonly ListenerIntent[], from: RouteNamespaces, gwNamespace: string): Record<string, unknown> {
  const servers = listeners.map(l => {
    const server: Record<string, unknown> = {
      port: { number: l.port, name: l.name, protocol: l.protocol },
      // A redirecting server answers every request itself, whatever routes bind to it.
      hosts: l.redirectToHttps ? (l.hostnames.length === 0 ? ['*'] : [...l.hostnames]) : istioHosts(l.hostnames, from, gwNamespace),
    };
    if (l.protocol === ListenerProtocol.HTTPS) server.tls = { mode: 'SIMPLE', credentialName: l.certificate!.name };
    if (l.protocol === ListenerProtocol.TLS) server.tls = { mode: 'PASSTHROUGH' };
    if (l.redirectToHttps) server.tls = { httpsRedirect: true };
    return server;
  });
  return { selector: { ...selector }, servers };
}
