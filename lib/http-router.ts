import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressGateway } from './ingress-gateway';
import { checkForeignRoutes } from './ingress/foreign-routes';
import { checkCors, CorsOptions, HttpRule } from './ingress/http-rule';
import { checkRewrite, HttpRuleIntent } from './ingress/http-rules';
import { HttpRouteTable, RouteParent } from './ingress/route-table';
import { checkDns1123Label } from './mesh/checks';
import { AppRuntime } from './app/runtime';
import { DataplaneMode } from './mesh/dataplane';
import { MeshError } from './mesh/errors';
import { checkDnsName } from './mesh/hosts';
import { chartNamespace, resolveService, ServiceReference } from './mesh/service-target';
import { TrafficApi } from './mesh/traffic-api';

/**
 * What an `HttpRouter` routes: a Service's in-mesh traffic (`{ service }`), or hostnames at an
 * `IngressGateway` (`{ gateway, hostnames }`). A gateway route serves gateway traffic only; add a
 * second router with `{ service }` for the in-mesh traffic.
 */
export interface HttpRouterHost {
  /**
   * The Service whose in-mesh traffic is routed (the VirtualService host, or the HTTPRoute's Service parent).
   *
   * @default - none: set `gateway` and `hostnames`
   */
  readonly service?: ServiceReference;
  /**
   * The gateway whose traffic is routed.
   *
   * @default - none: set `service`
   */
  readonly gateway?: IngressGateway;
  /**
   * Hostnames at the gateway (1..16; an HTTP or HTTPS listener must serve each).
   *
   * @default - none; required with `gateway`
   */
  readonly hostnames?: string[];
}

/** Props of an `HttpRouter`. */
export interface HttpRouterProps {
  /** The Service or gateway hostnames routed. */
  readonly host: HttpRouterHost;
  /**
   * The API to emit.
   *
   * @default - the gateway's api; for a Service, TrafficApi.GATEWAY_API in a namespace declared
   *   ambient before the router and TrafficApi.ISTIO otherwise
   */
  readonly api?: TrafficApi;
  /**
   * Namespace of the route object (a gateway must admit it in `allowRoutesFrom`).
   *
   * @default - the Service's namespace; for a gateway, the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Name of the route object.
   *
   * @default - the Service's name; for a gateway, the construct id
   */
  readonly name?: string;
  /**
   * The rules. Istio takes the first rule that matches, so the order is kept and the
   * `HttpRule.default()` catch-all always goes last; Gateway API takes the most specific match.
   */
  readonly rules: HttpRule[];
  /**
   * CORS policy on every rule that forwards to a backend.
   *
   * @default - no CORS policy
   */
  readonly cors?: CorsOptions;
}

/**
 * General HTTP routing for one Service or for hostnames at an ingress gateway: path and header
 * matches, rewrites, redirects, direct responses, request headers and CORS, emitted as one
 * VirtualService (Istio) or one HTTPRoute (Gateway API) per parent. Routers and
 * `IngressGateway.expose()` on the same hostnames merge into one object; a `CanaryRoute` or
 * `ResilientService` routing the same host fails synth naming both.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export class HttpRouter extends Construct {
  /** The emitted API. */
  public readonly api: TrafficApi;
  /** Namespace of the route object. */
  public readonly namespace: string;
  /** Hostnames at the gateway (empty for a Service). */
  public readonly hostnames: string[];
  /** The VirtualService or HTTPRoute that carries the rules (shared with routers merged into it). */
  public readonly route: ApiObject;

  public constructor(scope: Construct, id: string, props: HttpRouterProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') throw MeshError.invalid(this, 'props', props, 'an HttpRouterProps object');
    const host = props.host;
    if (host === null || typeof host !== 'object' || (host.service === undefined) === (host.gateway === undefined)) {
      throw MeshError.invalid(this, 'host', host, '{ service } or { gateway, hostnames } (exactly one of service and gateway)');
    }
    if (props.api !== undefined && !Object.values(TrafficApi).includes(props.api)) {
      throw MeshError.invalid(this, 'api', props.api, 'TrafficApi.ISTIO or TrafficApi.GATEWAY_API');
    }
    let parent: RouteParent;
    let name: string;
    if (host.gateway !== undefined) {
      const gw = host.gateway;
      if (!(gw instanceof IngressGateway)) throw MeshError.invalid(this, 'host.gateway', gw, 'an IngressGateway');
      if (props.api !== undefined && props.api !== gw.api) {
        throw MeshError.invalid(this, 'api', props.api, `the api of gateway ${gw.namespace}/${gw.name} (TrafficApi.${gw.api}), or unset`);
      }
      this.api = gw.api;
      const ns = props.namespace ?? chartNamespace(this);
      if (ns === undefined) throw MeshError.invalid(this, 'namespace', ns, 'set, because the chart has no namespace');
      this.namespace = checkDns1123Label(this, 'namespace', ns);
      const hostnames = host.hostnames;
      if (!Array.isArray(hostnames) || hostnames.length === 0 || hostnames.length > 16) {
        throw MeshError.invalid(this, 'host.hostnames', hostnames, 'a list of 1..16 hostnames');
      }
      this.hostnames = hostnames.map((h, i) => checkDnsName(this, `host.hostnames[${i}]`, h, { wildcard: true }));
      const sections = gw._httpSections(this, 'host.hostnames', this.hostnames);
      parent = { kind: 'Gateway', name: gw.name, namespace: gw.namespace, sectionNames: sections };
      name = checkDns1123Label(this, 'name', props.name ?? id);
    } else {
      if (host.hostnames !== undefined) throw MeshError.invalid(this, 'host.hostnames', host.hostnames, 'unset with host.service (hostnames are for a gateway)');
      const service = resolveService(this, 'host.service', host.service!);
      const ns = props.namespace ?? service.namespace;
      if (ns !== service.namespace) {
        throw MeshError.invalid(this, 'namespace', ns, `the service's namespace "${service.namespace}" (a route for in-mesh traffic lives with its Service), or unset`);
      }
      this.namespace = service.namespace;
      this.hostnames = [];
      const info = AppRuntime.of(this).namespace(service.namespace);
      this.api = props.api ?? (info?.mode === DataplaneMode.AMBIENT ? TrafficApi.GATEWAY_API : TrafficApi.ISTIO);
      parent = { kind: 'Service', name: service.name, namespace: service.namespace, port: service.port, host: service.host };
      name = checkDns1123Label(this, 'name', props.name ?? service.name);
    }
    if (!Array.isArray(props.rules) || props.rules.length === 0 || props.rules.length > 64) {
      throw MeshError.invalid(this, 'rules', props.rules, 'a list of 1..64 HttpRule');
    }
    const rules: HttpRuleIntent[] = props.rules.map((r, i) => {
      if (!(r instanceof HttpRule)) throw MeshError.invalid(this, `rules[${i}]`, r, 'an HttpRule (HttpRule.match(...) or HttpRule.default())');
      const intent = r._intent(this, `rules[${i}]`, this.namespace);
      checkRewrite(intent);
      return intent;
    });
    const cors = props.cors === undefined ? undefined : checkCors(this, props.cors);
    const table = HttpRouteTable.of(this);
    this.route = table.add({
      owner: this, id: this.api === TrafficApi.ISTIO ? 'VirtualService' : 'HTTPRoute', api: this.api,
      namespace: this.namespace, name, parent, hostnames: this.hostnames, rules, cors,
    });
    const explicitApi = props.api !== undefined || host.gateway !== undefined;
    AppRuntime.of(this).addSynthCheck(this, () => checkForeignRoutes(this, parent, this.api, this.hostnames, table.objects(), explicitApi));
  }
}
