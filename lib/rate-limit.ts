import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AppRuntime } from './app/runtime';
import { checkDns1123Subdomain, checkInteger } from './mesh/checks';
import { DataplaneMode } from './mesh/dataplane';
import { isDuration, MeshError } from './mesh/errors';
import { lazy } from './mesh/lazy';
import { resolveService, ServiceReference } from './mesh/service-target';
import { TrafficApi } from './mesh/traffic-api';
import { Bucket, DescriptorIntent, GlobalIntent, globalRateLimitSpec, LocalIntent, localRateLimitSpec, Placement } from './ratelimit/render';
import { checkBucket } from './ratelimit/validate';
import { checkLabelKey, checkLabelValue } from './traffic/options';
import { re2SyntaxError } from './validation/semantics/re2-syntax';

/** A gateway to rate-limit at, e.g. an `IngressGateway`. */
export interface RateLimitGateway {
  /** Name of the Gateway. */
  readonly name: string;
  /** Namespace of the Gateway (and of its pods). */
  readonly namespace: string;
  /**
   * Which API declares it: a Gateway API Gateway's pods carry `gateway.networking.k8s.io/gateway-name`.
   *
   * @default TrafficApi.GATEWAY_API
   */
  readonly api?: TrafficApi;
  /**
   * Labels of the gateway pods.
   *
   * @default - `gateway.networking.k8s.io/gateway-name: <name>` (Gateway API), `istio: ingress` (Istio API, the Helm gateway)
   */
  readonly selector?: Record<string, string>;
}

/** Rate-limit at a gateway. */
export interface GatewayRateLimitTarget {
  /** The gateway. */
  readonly gateway: RateLimitGateway;
}

/** An exact path with its own local limit. */
export interface PathRateLimit {
  /** The exact request path (`/api/login`). */
  readonly path: string;
  /** Requests allowed per `per`. */
  readonly requests: number;
  /**
   * The interval.
   *
   * @default - the limit's `per`
   */
  readonly per?: Duration;
  /**
   * Bucket size (at least `requests`).
   *
   * @default - `requests`
   */
  readonly burst?: number;
}

/** A local limit: each proxy counts on its own (N replicas allow N times the rate). */
export interface LocalRateLimitOptions {
  /** Requests allowed per `per` (an integer >= 1): Envoy's `tokens_per_fill`. */
  readonly requests: number;
  /** The interval (at least 50ms, whole milliseconds): Envoy's `fill_interval`. */
  readonly per: Duration;
  /**
   * How many requests may arrive at once: Envoy's `max_tokens`. Trap: Envoy's bucket never holds
   * more than it, so it must be at least `requests`.
   *
   * @default - `requests`
   */
  readonly burst?: number;
  /**
   * Exact paths with their own limits (the default limit then no longer applies to them).
   *
   * @default - none
   */
  readonly perPath?: PathRateLimit[];
  /**
   * HTTP status of a limited request.
   *
   * @default 429
   */
  readonly statusCode?: number;
  /**
   * Sidecar only: the container port the service's pods listen on. Trap: inbound listeners match the
   * pod port, not the Service port.
   *
   * @default - the target's port
   */
  readonly targetPort?: number;
}

/** One entry of a global rate-limit descriptor (the key the rate-limit service counts by). */
export class RateLimitDescriptor {
  /** The value of request header `header` (`:path` for the path), under `key`. */
  public static header(header: string, key: string): RateLimitDescriptor {
    return new RateLimitDescriptor({ kind: 'header', header, key });
  }

  /** The client address (`remote_address`). */
  public static remoteAddress(): RateLimitDescriptor {
    return new RateLimitDescriptor({ kind: 'remoteAddress' });
  }

  /** A constant `key: value` (limits everything matched by the filter together). */
  public static genericKey(key: string, value: string): RateLimitDescriptor {
    return new RateLimitDescriptor({ kind: 'generic', key, value });
  }

  /** @internal */
  public readonly _intent: DescriptorIntent;

  private constructor(intent: DescriptorIntent) {
    this._intent = intent;
  }
}

/** A global limit: every proxy asks one rate-limit service (envoyproxy/ratelimit) before serving. */
export interface GlobalRateLimitOptions {
  /** The rate-limit service's gRPC port, e.g. `{ name: 'ratelimit', namespace: 'rate-limit', port: 8081 }`. */
  readonly service: ServiceReference;
  /** The `domain` of the rate-limit service's configuration. */
  readonly domain: string;
  /** The descriptor entries sent for each request (at least one). */
  readonly descriptors: RateLimitDescriptor[];
  /**
   * Refuse requests when the rate-limit service does not answer.
   *
   * @default true (as the istio.io task; false lets traffic through while the service is down)
   */
  readonly failureModeDeny?: boolean;
  /**
   * How long to wait for the rate-limit service.
   *
   * @default Duration.millis(20) (Envoy's default)
   */
  readonly timeout?: Duration;
}

/** Props of a `RateLimit`. */
export interface RateLimitProps {
  /** A service (`{ name, namespace, port }`, limited at its sidecars) or `{ gateway }` (limited at the gateway). */
  readonly target: ServiceReference | GatewayRateLimitTarget;
  /**
   * A local limit (each proxy on its own).
   *
   * @default - none; one of `local` and `global` is required
   */
  readonly local?: LocalRateLimitOptions;
  /**
   * A global limit through a rate-limit service.
   *
   * @default - none; one of `local` and `global` is required
   */
  readonly global?: GlobalRateLimitOptions;
  /**
   * Name of the EnvoyFilter.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Sidecar only: labels of the service's pods.
   *
   * @default { app: <service name> }
   */
  readonly selector?: Record<string, string>;
  /**
   * Regex on the proxy version the patch targets (`match.proxy.proxyVersion`): EnvoyFilter patches
   * depend on Envoy internals, so they apply only to the versions they were written for. Proxies
   * outside the range are not limited; revisit the range on upgrade.
   *
   * @default '^1\\.30\\.' (Istio 1.30 proxies)
   */
  readonly proxyVersion?: string;
}

function isGatewayTarget(t: unknown): t is GatewayRateLimitTarget {
  return t !== null && typeof t === 'object' && 'gateway' in t;
}

/**
 * An Envoy rate limit as Istio 1.30 documents it: an EnvoyFilter that inserts the local
 * (`envoy.filters.http.local_ratelimit`) or global (`envoy.filters.http.ratelimit`) filter into
 * the HTTP filter chain of the service's sidecars (SIDECAR_INBOUND) or of a gateway (GATEWAY).
 * Synth fails where EnvoyFilter does not apply (ambient workloads, with or without a waypoint).
 *
 * @see https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/
 */
export class RateLimit extends Construct {
  /** Name of the EnvoyFilter. */
  public readonly name: string;
  /** Namespace of the EnvoyFilter (the service's or the gateway's). */
  public readonly namespace: string;
  /** The emitted EnvoyFilter. */
  public readonly envoyFilter: ApiObject;

  public constructor(scope: Construct, id: string, props: RateLimitProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') throw MeshError.invalid(this, 'props', props, 'an object { target, local | global }');
    this.name = checkDns1123Subdomain(this, 'name', props.name ?? id);
    if (props.local === undefined && props.global === undefined) {
      throw MeshError.invalid(this, 'local', undefined, 'set, or global (a RateLimit without a limit limits nothing)');
    }
    if (props.local !== undefined && props.global !== undefined) {
      throw MeshError.invalid(this, 'global', props.global.domain, 'unset when local is set (one RateLimit per kind; create two RateLimits to combine them)');
    }
    const proxyVersion = props.proxyVersion ?? '^1\\.30\\.';
    if (typeof proxyVersion !== 'string' || re2SyntaxError(proxyVersion) !== undefined) {
      throw MeshError.invalid(this, 'proxyVersion', proxyVersion, 'a regular expression on the proxy version (e.g. "^1\\\\.30\\\\.")');
    }
    const target = props.target;
    let placement: Placement;
    let serviceNs: string | undefined;
    if (isGatewayTarget(target)) {
      placement = this.gatewayPlacement(target.gateway, proxyVersion, props);
      this.namespace = target.gateway.namespace;
    } else {
      const svc = resolveService(this, 'target', target as ServiceReference);
      const port = props.local?.targetPort === undefined ? svc.port : checkInteger(this, 'local.targetPort', props.local.targetPort, 1, 65535);
      placement = { context: 'SIDECAR_INBOUND', workloadLabels: this.labels('selector', props.selector ?? { app: svc.name }), port, proxyVersion };
      this.namespace = svc.namespace;
      serviceNs = svc.namespace;
    }
    const spec = props.local ? () => localRateLimitSpec(placement, this.checkLocal(props.local!))
      : () => globalRateLimitSpec(placement, this.checkGlobal(props.global!));
    spec(); // check the props now; the spec is rendered at synth
    this.envoyFilter = new ApiObject(this, 'Resource', {
      apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter',
      metadata: { name: this.name, namespace: this.namespace },
      spec: lazy(spec),
    });
    if (serviceNs !== undefined) {
      const ns = serviceNs;
      const runtime = AppRuntime.of(this);
      runtime.addSynthCheck(this, () => {
        const info = runtime.namespace(ns);
        if (info?.mode !== DataplaneMode.AMBIENT) return;
        const why = info.waypointFor() || info.waypointFor((target as { name: string }).name)
          ? 'its waypoint does not apply EnvoyFilter patches (WAYPOINT context is unvalidated in Istio 1.30)'
          : 'ztunnel does not process HTTP, and EnvoyFilter does not apply to ambient workloads';
        throw new MeshError(this, `cannot rate-limit a service of ambient namespace "${ns}": ${why}; rate-limit at the ingress gateway instead (target: { gateway })`);
      });
    }
  }

  private labels(prop: string, value: unknown): Record<string, string> {
    if (value === null || typeof value !== 'object' || Object.keys(value).length === 0) throw MeshError.invalid(this, prop, value, 'a non-empty map of pod labels');
    for (const [k, v] of Object.entries(value)) {
      checkLabelKey(this, `${prop} key`, k);
      checkLabelValue(this, `${prop}.${k}`, v);
    }
    return { ...(value as Record<string, string>) };
  }

  private gatewayPlacement(gw: RateLimitGateway, proxyVersion: string, props: RateLimitProps): Placement {
    if (gw === null || typeof gw !== 'object' || typeof gw.name !== 'string' || typeof gw.namespace !== 'string') {
      throw MeshError.invalid(this, 'target.gateway', gw, 'a gateway { name, namespace, api? } such as an IngressGateway');
    }
    if (props.selector !== undefined) throw MeshError.invalid(this, 'selector', props.selector, 'unset with a gateway target (set target.gateway.selector)');
    if (props.local?.targetPort !== undefined) throw MeshError.invalid(this, 'local.targetPort', props.local.targetPort, 'unset with a gateway target');
    const labels = gw.selector ?? (gw.api === TrafficApi.ISTIO ? { istio: 'ingress' } : { 'gateway.networking.k8s.io/gateway-name': gw.name });
    return { context: 'GATEWAY', workloadLabels: this.labels('target.gateway.selector', labels), proxyVersion };
  }

  private checkLocal(l: LocalRateLimitOptions): LocalIntent {
    const bucket: Bucket = checkBucket(this, 'local', l.requests, l.per, l.burst);
    const status = l.statusCode === undefined ? 429 : checkInteger(this, 'local.statusCode', l.statusCode, 400, 599);
    const seen = new Set<string>();
    const perPath = (l.perPath ?? []).map((p, i) => {
      const at = `local.perPath[${i}]`;
      if (typeof p?.path !== 'string' || !p.path.startsWith('/')) throw MeshError.invalid(this, `${at}.path`, p?.path, 'an exact path starting with "/"');
      if (seen.has(p.path)) throw MeshError.invalid(this, `${at}.path`, p.path, 'unique among perPath');
      seen.add(p.path);
      return { path: p.path, bucket: checkBucket(this, at, p.requests, p.per ?? l.per, p.burst) };
    });
    return { bucket, statusCode: status, perPath };
  }

  private checkGlobal(g: GlobalRateLimitOptions): GlobalIntent {
    const svc = resolveService(this, 'global.service', g.service);
    if (typeof g.domain !== 'string' || g.domain.length === 0) throw MeshError.invalid(this, 'global.domain', g.domain, 'the non-empty domain of the rate-limit service configuration');
    if (!Array.isArray(g.descriptors) || g.descriptors.length === 0 || g.descriptors.some(d => !(d instanceof RateLimitDescriptor))) {
      throw MeshError.invalid(this, 'global.descriptors', g.descriptors, 'a non-empty list of RateLimitDescriptor (header, remoteAddress, genericKey)');
    }
    if (g.failureModeDeny !== undefined && typeof g.failureModeDeny !== 'boolean') throw MeshError.invalid(this, 'global.failureModeDeny', g.failureModeDeny, 'true or false');
    let timeoutMillis = 20;
    if (g.timeout !== undefined) {
      const ms = isDuration(g.timeout) ? g.timeout.toMilliseconds({ integral: false }) : NaN;
      if (!Number.isInteger(ms) || ms < 1) throw MeshError.invalid(this, 'global.timeout', g.timeout, 'a Duration of whole milliseconds, at least 1ms');
      timeoutMillis = ms;
    }
    return {
      cluster: `outbound|${svc.port}||${svc.host}`,
      domain: g.domain,
      timeoutMillis,
      failureModeDeny: g.failureModeDeny ?? true,
      descriptors: g.descriptors.map(d => d._intent),
    };
  }
}
