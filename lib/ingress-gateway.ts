import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Identity } from './identity';
import { admits, checkListeners, checkRouteNamespaces, gatewayApiSpec, istioGatewaySpec, ListenerIntent, sectionNames } from './ingress/gateway';
import { checkRouteBindings, GatewayInfo, registerGateway } from './ingress/bindings';
import { Listener, ListenerProtocol, RouteNamespaces } from './ingress/listener';
import { requestSecretGrant } from './ingress/reference-grants';
import { HttpRouteTable } from './ingress/route-table';
import { checkDns1123Label } from './mesh/checks';
import { AppRuntime } from './app/runtime';
import { MeshError } from './mesh/errors';
import { checkDnsName } from './mesh/hosts';
import { lazy } from './mesh/lazy';
import { chartNamespace, resolveService, ServiceReference } from './mesh/service-target';
import { TrafficApi } from './mesh/traffic-api';
import { checkRequestMatch, RequestMatch } from './request-match';
import { checkLabelKey, checkLabelValue } from './traffic/options';
import { hostsIntersect } from './traffic/ingress';

/**
 * Labels of the gateway pods that Istio's Helm chart installs with
 * `helm install istio-ingress istio/gateway -n istio-ingress`: the chart labels them
 * `app: istio-ingress` and `istio: ingress` (the release name without `istio-`; istio/istio
 * manifests/charts/gateway/templates/_helpers.tpl). An `istioctl install` gateway has `istio: ingressgateway`.
 */
export const HELM_GATEWAY_SELECTOR: Record<string, string> = Object.freeze({ istio: 'ingress' });

/** Props of an `IngressGateway`. */
export interface IngressGatewayProps {
  /**
   * Name of the Gateway object (a DNS-1123 label).
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the Gateway object (Gateway API: also of the gateway pods that istiod deploys).
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The API to emit: a Gateway API `Gateway` (istiod deploys its pods) or an Istio
   * `networking.istio.io` `Gateway` that configures already-installed gateway pods by `selector`.
   *
   * @default TrafficApi.GATEWAY_API
   */
  readonly api?: TrafficApi;
  /**
   * Istio API only: labels of the gateway pods the Gateway configures.
   *
   * @default HELM_GATEWAY_SELECTOR, `{ istio: 'ingress' }` (the Helm chart's gateway installed as release `istio-ingress`)
   */
  readonly selector?: Record<string, string>;
  /**
   * Istio API only: service account of the gateway pods (their identity for `ZeroTrustNamespace.allow`).
   *
   * @default 'istio-ingress' (the Helm chart's service account for release `istio-ingress`)
   */
  readonly serviceAccount?: string;
  /**
   * Gateway API only: the GatewayClass. istiod names the deployment and its service account
   * `<name>-<gatewayClassName>` (pilot/pkg/config/kube/gatewaycommon: GetDefaultName).
   *
   * @default 'istio'
   */
  readonly gatewayClassName?: string;
  /** Ports and hostnames the gateway listens on. */
  readonly listeners: Listener[];
  /**
   * Namespaces whose routes may bind to the gateway (Gateway API `allowedRoutes`; Istio: the
   * namespace part of `servers[].hosts`). Synth fails when a route of the App binds from elsewhere.
   *
   * @default RouteNamespaces.SAME
   */
  readonly allowRoutesFrom?: RouteNamespaces;
}

/** Options of `IngressGateway.expose()`. */
export interface ExposeOptions {
  /** The Service that serves the hostname: `{ name, namespace?, port }` or a cdk8s-plus Service. */
  readonly service: ServiceReference;
  /** The hostname, which an HTTP or HTTPS listener of the gateway must serve. */
  readonly hostname: string;
  /**
   * Paths routed to the service (ORed).
   *
   * @default - every path (a match-less catch-all rule)
   */
  readonly paths?: RequestMatch[];
}

/**
 * An ingress gateway: a Gateway API `Gateway` (class `istio`, deployed by istiod) or an Istio
 * `Gateway` that configures installed gateway pods, with HTTPS, HTTP (optionally redirecting to
 * HTTPS), TLS passthrough and TCP listeners. `expose()` routes a hostname to a Service; routes
 * of the App that bind to the gateway must be admitted by `allowRoutesFrom`.
 *
 * Gateway API: HTTPS certificate Secrets in another namespace get a ReferenceGrant; an HTTP
 * listener with `redirectToHttps` gets its own redirect HTTPRoute and admits no other route.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class IngressGateway extends Construct {
  /** Name of the Gateway object. */
  public readonly name: string;
  /** Namespace of the Gateway object. */
  public readonly namespace: string;
  /** The emitted API. */
  public readonly api: TrafficApi;
  /** Where routes may bind from. */
  public readonly allowRoutesFrom: RouteNamespaces;
  /** The identity the gateway pods run as, for `ZeroTrustNamespace.allow({ from: [gw.identity] })`. */
  public readonly identity: Identity;
  /** The Gateway object (Gateway API or Istio). */
  public readonly gateway: ApiObject;
  /** Gateway API: the HTTPRoutes that redirect HTTP listeners to HTTPS. */
  public readonly redirectRoutes: ApiObject[];
  /** ReferenceGrants for certificate Secrets in other namespaces (Gateway API). */
  public readonly referenceGrants: ApiObject[];

  private readonly listenerIntents: ListenerIntent[];

  public constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') throw MeshError.invalid(this, 'props', props, 'an IngressGatewayProps object');
    this.name = checkDns1123Label(this, 'name', props.name ?? id);
    const ns = props.namespace ?? chartNamespace(this);
    if (ns === undefined) throw MeshError.invalid(this, 'namespace', ns, 'set, because the chart has no namespace');
    this.namespace = checkDns1123Label(this, 'namespace', ns);
    this.api = props.api ?? TrafficApi.GATEWAY_API;
    if (!Object.values(TrafficApi).includes(this.api)) throw MeshError.invalid(this, 'api', this.api, 'TrafficApi.ISTIO or TrafficApi.GATEWAY_API');
    const istio = this.api === TrafficApi.ISTIO;
    for (const [prop, v] of [['selector', props.selector], ['serviceAccount', props.serviceAccount]] as const) {
      if (!istio && v !== undefined) throw MeshError.invalid(this, prop, v, 'unset with TrafficApi.GATEWAY_API (istiod deploys the pods of a Gateway API Gateway)');
    }
    if (istio && props.gatewayClassName !== undefined) {
      throw MeshError.invalid(this, 'gatewayClassName', props.gatewayClassName, 'unset with TrafficApi.ISTIO (an Istio Gateway selects installed pods by selector)');
    }
    const selector = props.selector ?? HELM_GATEWAY_SELECTOR;
    if (selector === null || typeof selector !== 'object' || Object.keys(selector).length === 0) {
      throw MeshError.invalid(this, 'selector', selector, 'a non-empty map of pod labels');
    }
    for (const [k, v] of Object.entries(selector)) {
      checkLabelKey(this, 'selector key', k);
      checkLabelValue(this, `selector["${k}"]`, v);
    }
    const className = checkDns1123Label(this, 'gatewayClassName', props.gatewayClassName ?? 'istio');
    this.allowRoutesFrom = checkRouteNamespaces(this, props.allowRoutesFrom, istio);
    this.listenerIntents = checkListeners(this, props.listeners, this.namespace);

    const grants: ApiObject[] = [];
    for (const l of this.listenerIntents) {
      if (!l.certificate || l.certificate.namespace === this.namespace) continue;
      if (istio) {
        throw MeshError.invalid(this, `listeners[${l.index}].certificate.namespace`, l.certificate.namespace,
          `the gateway's namespace "${this.namespace}" with TrafficApi.ISTIO (credentialName is read from the gateway pods' namespace, `
          + 'pilot/pkg/model/credentials/resource.go); copy the Secret there or use TrafficApi.GATEWAY_API, which emits a ReferenceGrant');
      }
      const g = requestSecretGrant(this, this.namespace, l.certificate.namespace, l.certificate.name);
      if (!grants.includes(g)) grants.push(g);
    }
    this.referenceGrants = grants;

    const sa = istio ? (props.serviceAccount ?? 'istio-ingress') : `${this.name}-${className}`;
    this.identity = Identity.ingressGateway({ namespace: this.namespace, serviceAccount: sa });
    this.identity.validate(this, istio ? 'serviceAccount' : 'name');

    const listeners = this.listenerIntents;
    const from = this.allowRoutesFrom;
    this.gateway = new ApiObject(this, 'Resource', {
      apiVersion: istio ? 'networking.istio.io/v1' : 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: this.name, namespace: this.namespace },
      spec: lazy(() => (istio ? istioGatewaySpec(selector, listeners, from, this.namespace) : gatewayApiSpec(className, listeners, from, this.namespace))),
    });
    this.redirectRoutes = istio ? [] : listeners.filter(l => l.redirectToHttps).map(l => this.redirectRoute(l));
    const info: GatewayInfo = { construct: this, name: this.name, namespace: this.namespace, api: this.api, listeners, allowRoutesFrom: from };
    registerGateway(this, info);
    AppRuntime.of(this).addSynthCheck(this, () => checkRouteBindings(info));
  }

  /** Hostnames of the listeners (a listener without hostnames serves any host and adds none). */
  public get hostnames(): string[] {
    return [...new Set(this.listenerIntents.flatMap(l => l.hostnames))];
  }

  /**
   * Routes `hostname` (some paths or all) to a Service: a VirtualService or HTTPRoute in the
   * gateway's namespace, bound to the listeners that serve the hostname, with a ReferenceGrant
   * for a Service in another namespace (Gateway API). Merges with an `HttpRouter` on the same
   * hostname; returns the route object.
   */
  public expose(options: ExposeOptions): ApiObject {
    if (options === null || typeof options !== 'object') throw MeshError.invalid(this, 'expose()', options, 'ExposeOptions { service, hostname, paths? }');
    const service = resolveService(this, 'expose().service', options.service);
    const hostname = checkDnsName(this, 'expose().hostname', options.hostname, { wildcard: true });
    const paths = options.paths ?? [];
    if (!Array.isArray(paths) || (options.paths !== undefined && paths.length === 0)) {
      throw MeshError.invalid(this, 'expose().paths', options.paths, 'a non-empty list of PathMatch, or unset for every path');
    }
    paths.forEach((p, i) => checkRequestMatch(this, `expose().paths[${i}]`, p));
    const sections = this._httpSections(this, 'expose().hostname', [hostname]);
    return HttpRouteTable.of(this).add({
      owner: this, id: `Expose-${hostname}`, api: this.api, namespace: this.namespace,
      name: `${this.name}-${hostname.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}`.slice(0, 63).replace(/-+$/, ''),
      parent: { kind: 'Gateway', name: this.name, namespace: this.namespace, sectionNames: sections },
      hostnames: [hostname],
      rules: [{ owner: this, prop: `expose(${hostname})`, matches: paths, to: [{ name: service.name, namespace: service.namespace, port: service.port }], setRequestHeaders: {} }],
    });
  }

  /**
   * Gateway API listener names (sectionName) of the HTTP and HTTPS listeners that serve every one
   * of `hostnames` (redirecting listeners excluded); throws naming `prop` when none does. For the
   * Istio API, returns [] (a VirtualService binds to the whole gateway).
   *
   * @internal
   */
  public _httpSections(scope: Construct, prop: string, hostnames: string[]): string[] {
    const out: string[] = [];
    for (const h of hostnames) {
      const found = this.listenerIntents.filter(l => (l.protocol === ListenerProtocol.HTTPS || l.protocol === ListenerProtocol.HTTP) && !l.redirectToHttps)
        .flatMap(l => sectionNames(l).filter((_, i) => l.hostnames.length === 0 || hostsIntersect(h, l.hostnames[i])));
      if (found.length === 0) {
        const served = this.listenerIntents.filter(l => l.protocol === ListenerProtocol.HTTPS || (l.protocol === ListenerProtocol.HTTP && !l.redirectToHttps))
          .flatMap(l => (l.hostnames.length === 0 ? ['*'] : l.hostnames));
        throw MeshError.invalid(scope, prop, h, `a hostname that an HTTP or HTTPS listener of gateway ${this.namespace}/${this.name} serves `
          + `(${served.length ? served.join(', ') : 'none: it has no HTTP or HTTPS listener that routes'})`);
      }
      for (const s of found) if (!out.includes(s)) out.push(s);
    }
    return this.api === TrafficApi.ISTIO ? [] : out;
  }

  /** True when routes of `namespace` may bind (undefined: depends on namespace labels not in the App). */
  public admitsNamespace(namespace: string): boolean | undefined {
    return admits(this.allowRoutesFrom, this.namespace, namespace);
  }

  private redirectRoute(l: ListenerIntent): ApiObject {
    const https = this.listenerIntents.find(o => o.protocol === ListenerProtocol.HTTPS
      && l.hostnames.every(h => o.hostnames.length === 0 || o.hostnames.some(s => hostsIntersect(h, s))))!;
    const redirect: Record<string, unknown> = { scheme: 'https', ...(https.port !== 443 ? { port: https.port } : {}), statusCode: 301 };
    return new ApiObject(this, `Redirect-${l.name}`, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `${this.name}-${l.name}-redirect`, namespace: this.namespace },
      spec: {
        parentRefs: sectionNames(l).map(s => ({ name: this.name, sectionName: s })),
        ...(l.hostnames.length > 0 ? { hostnames: [...l.hostnames] } : {}),
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: redirect }] }],
      },
    });
  }
}
