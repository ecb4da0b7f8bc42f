import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { lazy } from '../mesh/lazy';
import { AppRuntime, experimentalChannelProblem } from '../app/runtime';
import { GatewayApiChannel } from '../validation/options';
import { DataplaneMode, WaypointFor } from '../mesh/dataplane';
import { describeConstruct, MeshError, MeshErrors } from '../mesh/errors';
import { ResolvedService } from '../mesh/service-target';
import { TrafficApi } from '../mesh/traffic-api';
import { Participant, ResilienceIntent, resilienceNeedsRoute, RoutingIntent, trafficPolicy } from './intents';
import { markGenerated } from '../mesh/generated';
import { backendNames, checkBackendNames, ingressHttpRouteSpec, meshHttpRouteSpec, versionServiceSpec } from './render-gateway';
import { destinationRuleSpec, ingressVirtualServiceSpec, meshVirtualServiceSpec, ServiceTraffic } from './render-istio';
import { checkIngressHosts } from './ingress';
import { gatewayRouteKind, RouteProtocol } from './protocol';
import { gatewayL4Spec, isL4, istioL4Spec } from './render-l4';

/**
 * Receives the objects of a `CanaryRoute` or `ResilientService` once they exist (aws-cdk's
 * `IAspect` shape: an interface with one method, not a callback, so it works from every jsii
 * language): `route.onObjects({ visit: o => o.virtualServices[0].addJsonPatch(...) })`.
 */
export interface ITrafficObjectsHook {
  /** Called once with the emitted objects, before they are rendered and validated. */
  visit(objects: TrafficObjects): void;
}

/** The objects the model created for one service (from the constructors with an explicit api, else at synth). */
export interface TrafficObjects {
  /** VirtualServices (Istio target): the mesh one, then the ingress one. */
  readonly virtualServices: ApiObject[];
  /** DestinationRules: the service host's, then per-version hosts' (Gateway API). */
  readonly destinationRules: ApiObject[];
  /** HTTPRoutes (Gateway API target): the mesh one (Service parent), then the ingress one. */
  readonly httpRoutes: ApiObject[];
  /** GRPCRoutes, TCPRoutes and TLSRoutes (Gateway API target, `CanaryRoute` protocol GRPC, TCP or TLS). */
  readonly otherRoutes: ApiObject[];
  /** Per-version Services created for Gateway API backends. */
  readonly services: ApiObject[];
}

interface Resolution {
  readonly api: TrafficApi;
  readonly errors: ReadonlyArray<{ construct: IConstruct; message: string }>;
}

const EMPTY: TrafficObjects = { virtualServices: [], destinationRules: [], httpRoutes: [], otherRoutes: [], services: [] };

/**
 * Everything the App says about traffic to one service host: at most one routing intent
 * (CanaryRoute) and one resilience intent (ResilientService), merged into one VirtualService per
 * gateway set, one DestinationRule per host and one HTTPRoute per parent. Shared through
 * `AppRuntime.shared`; resolved and materialized once, at synth, when every namespace construct
 * of the App is known.
 */
export class TrafficModel {
  /** The model of `service`'s host in the App of `scope`. */
  public static of(scope: IConstruct, service: ResolvedService): TrafficModel {
    const ctx = AppRuntime.of(scope);
    return ctx.shared(`cdk8s-istio/traffic/${service.host}`, () => new TrafficModel(ctx, service));
  }

  private readonly participants: Array<{ intent: Participant; port: number; kind: 'routing' | 'resilience' }> = [];
  private resolution?: Resolution;
  /** The objects, by spec id, in creation order. */
  private readonly created = new Map<string, ApiObject>();
  /** Specs rendered by this synth's check, each handed to its object's first render (once per synth). */
  private readonly checkedSpecs = new Map<string, Record<string, unknown>>();
  private hooksRun = false;
  private synthesized = false;
  private readonly objectHooks: ITrafficObjectsHook[] = [];

  private constructor(private readonly ctx: AppRuntime, public readonly service: ResolvedService) {
    ctx.onSynth(() => this.materialize());
  }

  /** Adds a CanaryRoute's intent; with an explicit `api` on the first intent, creates its objects now. */
  public addRouting(intent: RoutingIntent, port: number): void {
    this.participants.push({ intent, port, kind: 'routing' });
    this.createEager();
  }

  /** Adds a ResilientService's intent; with an explicit `api` on the first intent, creates its objects now. */
  public addResilience(intent: ResilienceIntent, port: number): void {
    this.participants.push({ intent, port, kind: 'resilience' });
    this.createEager();
  }

  /** The API the service's objects use, resolved from explicit props and the namespace's dataplane. */
  public get api(): TrafficApi {
    return this.resolve().api;
  }

  /**
   * The objects of the service. With an explicit `api` on the first construct that targets the
   * service they exist from the constructors (each construct adds what it needs); otherwise the
   * API follows the namespace's dataplane, known only once the App is complete, and they are
   * created at synth (empty before, and when synth found errors).
   */
  public get objects(): TrafficObjects {
    if (this.created.size === 0) return EMPTY;
    const objects: Record<keyof TrafficObjects, ApiObject[]> = { virtualServices: [], destinationRules: [], httpRoutes: [], otherRoutes: [], services: [] };
    for (const obj of this.created.values()) {
      const bucket = obj.kind === 'VirtualService' ? 'virtualServices' : obj.kind === 'DestinationRule' ? 'destinationRules'
        : obj.kind === 'HTTPRoute' ? 'httpRoutes' : obj.kind === 'Service' ? 'services' : 'otherRoutes';
      objects[bucket].push(obj);
    }
    return objects;
  }

  /**
   * Calls `hook` with the objects once the App's set of them is final (at synth, before they are
   * rendered and validated), or at once if synth already ran: the place for JSON patches.
   */
  public onObjects(hook: ITrafficObjectsHook): void {
    if (this.hooksRun) hook.visit(this.objects);
    else this.objectHooks.push(hook);
  }

  /** Synth errors that `construct` reports (conflicts, dataplane rules, target limits). */
  public errorsFor(construct: IConstruct): string[] {
    return this.resolve().errors.filter(e => e.construct === construct).map(e => e.message);
  }

  private get routing(): RoutingIntent | undefined {
    return this.participants.find(p => p.kind === 'routing')?.intent as RoutingIntent | undefined;
  }

  private get resilience(): ResilienceIntent | undefined {
    return this.participants.find(p => p.kind === 'resilience')?.intent as ResilienceIntent | undefined;
  }

  private get traffic(): ServiceTraffic {
    return { service: this.service, routing: this.routing, resilience: this.resilience };
  }

  private resolve(): Resolution {
    if (this.resolution) return this.resolution;
    const errors: Array<{ construct: IConstruct; message: string }> = [];
    const fail = (construct: IConstruct, detail: string) => errors.push({ construct, message: new MeshError(construct, detail).message });
    const ns = this.ctx.namespace(this.service.namespace);
    const ambient = ns?.mode === DataplaneMode.AMBIENT;
    const defaultApi = ambient ? TrafficApi.GATEWAY_API : TrafficApi.ISTIO;
    const first = this.participants[0];
    const api = first?.intent.api ?? defaultApi;
    const host = this.service.host;

    for (const [i, p] of this.participants.entries()) {
      const c = p.intent.construct;
      const same = this.participants.slice(0, i).find(q => q.kind === p.kind);
      if (same) {
        fail(c, `conflicts with ${describeConstruct(same.intent.construct)}: both set ${p.kind} for ${host}; `
          + `one ${p.kind === 'routing' ? 'CanaryRoute' : 'ResilientService'} per service (merge them into one)`);
      }
      if (p.port !== first.port) {
        fail(c, `conflicts with ${describeConstruct(first.intent.construct)}: service port ${p.port} differs from ${first.port} for ${host}`);
      }
      const mine = p.intent.api ?? defaultApi;
      if (mine !== api) {
        fail(c, `conflicts with ${describeConstruct(first.intent.construct)}: api resolves to TrafficApi.${mine} here and TrafficApi.${api} there `
          + `for ${host}; one service must not be routed by both a VirtualService and an HTTPRoute (set the same api on both)`);
      }
    }

    const needsRoute = this.routing !== undefined || (this.resilience !== undefined && resilienceNeedsRoute(this.resilience));
    if (ambient && ns) {
      const wp = ns.waypointFor(this.service.name);
      for (const p of this.participants) {
        const c = p.intent.construct;
        const l7 = p.kind === 'routing' || resilienceNeedsRoute(p.intent as ResilienceIntent);
        if (l7 && api === TrafficApi.ISTIO) {
          if (!p.intent.allowVirtualServiceInAmbient) {
            fail(c, `api is TrafficApi.ISTIO but namespace "${ns.name}" is ambient, where VirtualService (served by a waypoint) is alpha; `
              + 'use TrafficApi.GATEWAY_API (the default there) or set allowVirtualServiceInAmbient: true');
          } else {
            this.ctx.warn(c, `VirtualService in ambient namespace "${ns.name}" is alpha (served by the waypoint); prefer TrafficApi.GATEWAY_API`);
          }
        }
        const bound = ns.waypointBoundTo(this.service.name);
        if (l7 && !wp && bound?.for === WaypointFor.WORKLOAD) {
          fail(c, `waypoint ${bound.namespace}/${bound.name} serves workload traffic only (istio.io/waypoint-for: workload), `
            + `so it does not route traffic addressed to service "${this.service.name}"; use a waypoint for service or all`);
        } else if (l7 && !wp) {
          fail(c, `L7 traffic management (routing, timeouts, retries, faults) in ambient namespace "${ns.name}" needs a waypoint, `
            + `and no waypoint serves service "${this.service.name}"; add a waypoint to the namespace (AmbientNamespace waypoint) or bind one to the service`);
        } else if (!l7 && !wp) {
          this.ctx.warn(c, `namespace "${ns.name}" is ambient and no waypoint serves service "${this.service.name}": `
            + 'the DestinationRule policies apply only to sidecar clients and waypoints, ambient clients (ztunnel) ignore them');
        }
      }
    }

    const { routing, resilience } = this;
    if (routing && resilience && resilienceNeedsRoute(resilience)
      && (isL4(routing) || (routing.protocol === RouteProtocol.GRPC && api === TrafficApi.GATEWAY_API))) {
      fail(resilience.construct, `timeouts, retries and faults cannot be carried by ${describeConstruct(routing.construct)}'s RouteProtocol.${routing.protocol} route`
        + `${isL4(routing) ? ' (TCP and TLS routes have no requests)' : ' with TrafficApi.GATEWAY_API (GRPCRoute has no timeouts, retries or faults)'}; keep only connection policies`);
    }
    if (api === TrafficApi.GATEWAY_API && resilience) {
      if (resilience.fault) {
        fail(resilience.construct, 'faults cannot be expressed with TrafficApi.GATEWAY_API: HTTPRoute has no fault-injection field; use TrafficApi.ISTIO');
      }
      if (resilience.retries && this.ctx.settings.gatewayApiChannel !== GatewayApiChannel.EXPERIMENTAL) {
        fail(resilience.construct, experimentalChannelProblem('retries need HTTPRoute rules[].retry', 'use TrafficApi.ISTIO'));
      }
      if (resilience.retryMethods) {
        fail(resilience.construct, 'retryMethods cannot be expressed with TrafficApi.GATEWAY_API; use TrafficApi.ISTIO');
      }
    }

    if (errors.length === 0) {
      this.renderCheck(api, needsRoute, fail);
    }
    if (routing?.ingress && errors.length === 0) {
      for (const message of checkIngressHosts(routing.construct, routing.ingress)) {
        errors.push({ construct: routing.construct, message });
      }
    }
    const resolution = { api, errors };
    if (this.synthesized) this.resolution = resolution;
    return resolution;
  }

  /**
   * Renders every spec so that target-specific MeshErrors surface as synth errors, not in toJson.
   * At synth the renderings are kept and handed to the objects' first render: each spec is
   * rendered once per synth.
   */
  private renderCheck(api: TrafficApi, needsRoute: boolean, fail: (c: IConstruct, d: string) => void): void {
    const t = this.traffic;
    this.checkedSpecs.clear();
    try {
      if (t.routing && api === TrafficApi.GATEWAY_API) checkBackendNames(t);
      const rendered = this.specs(api, needsRoute).map(spec => [spec.id, spec.render()] as const);
      if (this.synthesized) rendered.forEach(([id, spec]) => this.checkedSpecs.set(id, spec));
    } catch (e) {
      this.checkedSpecs.clear();
      if (!MeshErrors.isMeshError(e)) throw e;
      const owner = this.participants.find(p => p.intent.construct.node.path === e.constructPath)?.intent.construct
        ?? t.routing?.construct ?? t.resilience!.construct;
      errors(owner, e.message, fail);
    }
  }

  private specs(api: TrafficApi, needsRoute: boolean): Array<{ id: string; apiVersion: string; kind: string; name: string; render: () => Record<string, unknown> }> {
    const t = this.traffic;
    const name = this.service.name;
    const out: Array<{ id: string; apiVersion: string; kind: string; name: string; render: () => Record<string, unknown> }> = [];
    const mesh = t.routing ? t.routing.meshTraffic : needsRoute;
    if (api === TrafficApi.ISTIO) {
      const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' };
      const l4 = isL4(t.routing);
      if (mesh) out.push({ id: 'VirtualService', ...vs, name, render: () => (l4 ? istioL4Spec(t, false) : meshVirtualServiceSpec(t)) });
      if (t.routing?.ingress) {
        out.push({ id: 'IngressVirtualService', ...vs, name: `${name}-ingress`, render: () => (l4 ? istioL4Spec(t, true) : ingressVirtualServiceSpec(t)) });
      }
      if (t.routing || trafficPolicy(t.resilience)) {
        out.push({ id: 'DestinationRule', apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', name, render: () => destinationRuleSpec(t) });
      }
      return out;
    }
    const kind = gatewayRouteKind(t.routing?.protocol ?? RouteProtocol.HTTP);
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind };
    const http = kind === 'HTTPRoute';
    if (mesh) out.push({ id: kind, ...route, name, render: () => (http ? meshHttpRouteSpec(t) : gatewayL4Spec(t, false)) });
    if (t.routing?.ingress) {
      out.push({ id: `Ingress${kind}`, ...route, name: `${name}-ingress`, render: () => (http ? ingressHttpRouteSpec(t) : gatewayL4Spec(t, true)) });
    }
    const policy = trafficPolicy(t.resilience);
    if (t.routing && !t.routing.backendServices) {
      const names = backendNames(t);
      const svc = { apiVersion: 'v1', kind: 'Service' };
      out.push({ id: 'StableService', ...svc, name: names.stable, render: () => versionServiceSpec(t, t.routing!.stableVersion) });
      out.push({ id: 'CanaryService', ...svc, name: names.canary, render: () => versionServiceSpec(t, t.routing!.canaryVersion) });
    }
    if (policy) {
      const dr = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' };
      const hostOf = (n: string) => this.service.host.replace(`${name}.`, `${n}.`);
      out.push({ id: 'DestinationRule', ...dr, name, render: () => ({ host: this.service.host, trafficPolicy: policy }) });
      if (t.routing) {
        const names = backendNames(t);
        out.push({ id: 'StableDestinationRule', ...dr, name: names.stable, render: () => ({ host: hostOf(names.stable), trafficPolicy: policy }) });
        out.push({ id: 'CanaryDestinationRule', ...dr, name: names.canary, render: () => ({ host: hostOf(names.canary), trafficPolicy: policy }) });
      }
    }
    return out;
  }

  /** Creates the objects of the intents so far when the first one names its API (then the API is known before synth). */
  private createEager(): void {
    const api = this.participants[0].intent.api;
    if (api === undefined) return;
    try {
      this.ensureObjects(api);
    } catch (e) {
      // Target-specific problems are reported at synth, with the construct that causes them.
      if (!MeshErrors.isMeshError(e)) throw e;
    }
  }

  /**
   * Makes the objects match the specs of `api`: creates the missing ones under the first construct
   * that targets the service (specs lazy) and drops those no longer needed (a route a later
   * construct turned off).
   */
  private ensureObjects(api: TrafficApi): void {
    const owner = this.participants[0].intent.construct;
    const t = this.traffic;
    const needsRoute = t.routing !== undefined || (t.resilience !== undefined && resilienceNeedsRoute(t.resilience));
    const specs = this.specs(api, needsRoute);
    for (const [id, obj] of [...this.created]) {
      if (!specs.some(s => s.id === id)) {
        owner.node.tryRemoveChild(obj.node.id);
        this.created.delete(id);
      }
    }
    for (const s of specs) {
      if (this.created.has(s.id)) continue;
      this.created.set(s.id, markGenerated(new ApiObject(owner, s.id, {
        apiVersion: s.apiVersion,
        kind: s.kind,
        metadata: { name: s.name, namespace: this.service.namespace },
        spec: lazy(() => this.takeSpec(s.id)),
      })));
    }
  }

  /** The spec of object `id`: this synth's checked rendering the first time, else rendered now. */
  private takeSpec(id: string): Record<string, unknown> {
    const checked = this.checkedSpecs.get(id);
    if (checked !== undefined) {
      this.checkedSpecs.delete(id);
      return checked;
    }
    const { api } = this.resolve();
    const t = this.traffic;
    const needsRoute = t.routing !== undefined || (t.resilience !== undefined && resilienceNeedsRoute(t.resilience));
    const spec = this.specs(api, needsRoute).find(s => s.id === id);
    if (!spec) throw new MeshError(this.participants[0].intent.construct, `internal: no spec ${id} for ${this.service.host}`);
    return spec.render();
  }

  /** At synth: completes the objects (now that the namespaces are known) and calls the hooks. */
  private materialize(): void {
    this.synthesized = true;
    if (this.participants.length === 0) return;
    const { api, errors: problems } = this.resolve();
    if (problems.length > 0) return;
    this.ensureObjects(api);
    if (this.hooksRun) return;
    this.hooksRun = true;
    const objects = this.objects;
    for (const hook of this.objectHooks) hook.visit(objects);
  }
}

function errors(owner: IConstruct, message: string, fail: (c: IConstruct, d: string) => void): void {
  // MeshError messages already start with the construct; strip it so `fail` does not repeat it.
  const prefix = `${describeConstruct(owner)}: `;
  fail(owner, message.startsWith(prefix) ? message.slice(prefix.length) : message);
}
