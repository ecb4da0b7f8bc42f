import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { LoadBalancer } from './load-balancer';
import { checkInteger, checkPercent } from './mesh/checks';
import { AppRuntime } from './app/runtime';
import { formatMillis, istioDuration, millisOf } from './mesh/duration';
import { MeshError } from './mesh/errors';
import {
  CircuitBreaker, OutlierDetection, RetryPolicy,
} from './mesh/resilience';
import { ResolvedService, resolveService } from './mesh/service-target';
import { TrafficApi } from './mesh/traffic-api';
import { checkRequestMatch, HttpMethod, RequestMatch, renderMatches } from './request-match';
import { FaultIntent, ResilienceIntent } from './traffic/intents';
import { TrafficModel, ITrafficObjectsHook, TrafficObjects } from './traffic/model';
import { checkApi, TrafficTargetOptions } from './traffic/options';
import * as render from './render';

/** A delay injected into a share of requests. */
export interface FaultDelay {
  /** Percent of requests delayed, 0..100 (fractions down to 0.0001). */
  readonly percent: number;
  /** The delay (whole milliseconds, at least 1ms). */
  readonly duration: Duration;
}

/** An error response injected instead of forwarding a share of requests. */
export interface FaultAbort {
  /** Percent of requests aborted, 0..100 (fractions down to 0.0001). */
  readonly percent: number;
  /** HTTP status returned, 200..599. */
  readonly httpStatus: number;
}

/**
 * Fault injection (Istio only). Trap: Istio disables retries and timeouts on a route that injects
 * faults, so by default give `when`: the fault then gets its own rule ahead of the normal routes,
 * which keep their retries and timeout.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export interface FaultInjection {
  /**
   * Delay a share of requests.
   *
   * @default - no delay
   */
  readonly delay?: FaultDelay;
  /**
   * Abort a share of requests.
   *
   * @default - no abort
   */
  readonly abort?: FaultAbort;
  /**
   * Only requests matching one of these get the fault (e.g. `RequestMatch.header('x-chaos', 'on')`).
   *
   * @default - all traffic; then `timeout` and `retries` must be unset (Istio would ignore them)
   */
  readonly when?: RequestMatch[];
}

/** Props of a `ResilientService`. */
export interface ResilientServiceProps extends TrafficTargetOptions {
  /**
   * Total time budget of a request, retries included (Istio `timeout`, Gateway API `timeouts.request`).
   *
   * @default - no route timeout (Istio's default: disabled)
   */
  readonly timeout?: Duration;
  /**
   * Retry policy. Trap: `attempts` counts retries after the first try (total tries = 1 + attempts),
   * and Istio retries twice by default when this is unset; `Retries.none()` turns that off.
   *
   * @default - Istio's default policy (2 retries on connect-failure, refused-stream, unavailable, cancelled)
   */
  readonly retries?: RetryPolicy;
  /**
   * Limit retries to requests with these methods; other methods keep only the retries safe for
   * any method (`connect-failure`, `refused-stream`, `reset-before-request` among `retryOn`: the
   * request never reached the application), or none. Non-idempotent methods (POST, PATCH,
   * CONNECT) in the list raise a warning.
   *
   * @default - retries apply to every method
   */
  readonly retryMethods?: HttpMethod[];
  /**
   * Connection limits (DestinationRule `connectionPool`).
   *
   * @default - Envoy's defaults (practically unlimited)
   */
  readonly circuitBreaker?: CircuitBreaker;
  /**
   * Ejection of failing endpoints (DestinationRule `outlierDetection`); also enables locality failover.
   *
   * @default - no outlier detection
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * Load-balancing algorithm (DestinationRule `loadBalancer`).
   *
   * @default - Istio's default (LEAST_REQUEST)
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Fault injection for chaos testing (Istio only).
   *
   * @default - no faults
   */
  readonly faults?: FaultInjection;
}

const NON_IDEMPOTENT = ['POST', 'PATCH', 'CONNECT'];

/**
 * Timeouts, retries, circuit breaking, outlier detection, load balancing and fault injection for
 * one service, with the numbers meaning what they say: `retries.attempts` is the number of
 * retries (total tries = 1 + attempts), `timeout` bounds all tries together.
 *
 * Istio target: route `timeout`/`retries`/`fault` in the service's VirtualService and
 * `trafficPolicy` in its DestinationRule. Gateway API target: `timeouts` on the HTTPRoute and the
 * same DestinationRule (Istio applies it to the Service host). Merges with a `CanaryRoute`.
 *
 * @see https://istio.io/latest/docs/concepts/traffic-management/#network-resilience-and-testing
 */
export class ResilientService extends Construct {
  /** The service. */
  public readonly service: ResolvedService;
  /** Route timeout, if set. */
  public readonly timeout?: Duration;
  /** Retry policy, if set. */
  public readonly retries?: RetryPolicy;
  /**
   * Maximum number of tries per request (1 + retries.attempts); undefined when `retries` is unset
   * (then Istio's default applies: up to 3 tries).
   */
  public readonly maxTries?: number;

  private readonly model: TrafficModel;

  public constructor(scope: Construct, id: string, props: ResilientServiceProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') throw MeshError.invalid(this, 'props', props, 'a ResilientServiceProps object');
    this.service = resolveService(this, 'service', props.service);
    const api = checkApi(this, props);
    const ctx = AppRuntime.of(this);
    // Checked now, for the explicit api (without one, by Istio's rules, which Gateway API's include
    // but for its format; the renderer checks that at synth once the API is known).
    if (props.timeout !== undefined) render.renderTimeout(this, 'timeout', props.timeout, api ?? TrafficApi.ISTIO);
    const timeoutText = props.timeout === undefined ? undefined : formatMillis(millisOf(props.timeout));
    this.timeout = props.timeout;
    const istioRetries = props.retries === undefined ? undefined : render.istioRetries(this, 'retries', props.retries);
    this.retries = props.retries;
    this.maxTries = props.retries === undefined ? undefined : 1 + props.retries.attempts;
    const retryMethods = this.checkRetryMethods(props, ctx);
    const connectionPool = props.circuitBreaker === undefined ? undefined : render.connectionPool(this, 'circuitBreaker', props.circuitBreaker);
    const outlierDetection = props.outlierDetection === undefined ? undefined : render.outlierDetection(this, 'outlierDetection', props.outlierDetection);
    if (props.loadBalancer !== undefined && !(props.loadBalancer instanceof LoadBalancer)) {
      throw MeshError.invalid(this, 'loadBalancer', props.loadBalancer, 'a LoadBalancer (LoadBalancer.leastRequest(), ...)');
    }
    const loadBalancer = props.loadBalancer?.render(this, 'loadBalancer');
    const fault = props.faults === undefined ? undefined : this.checkFaults(props);
    if (!timeoutText && !istioRetries && !connectionPool && !outlierDetection && !loadBalancer && !fault) {
      throw new MeshError(this, 'set at least one of timeout, retries, circuitBreaker, outlierDetection, loadBalancer or faults');
    }

    // Warnings about what the numbers mean.
    const perTry = props.retries?.perTryTimeout;
    if (props.timeout !== undefined && perTry !== undefined && props.retries!.attempts > 0) {
      const budget = millisOf(perTry) * (1 + props.retries!.attempts);
      if (budget > millisOf(props.timeout)) {
        ctx.warn(this, `retries: perTryTimeout ${formatMillis(millisOf(perTry))} x ${1 + props.retries!.attempts} tries (1 + attempts) = `
          + `${formatMillis(budget)} exceeds timeout ${timeoutText}: the timeout ends the request before the last retries can run`);
      }
    }
    if (outlierDetection) {
      ctx.info(this, 'outlierDetection also enables locality failover for this host (Istio turns it on with outlier detection)');
    }

    const intent: ResilienceIntent = {
      construct: this, api, allowVirtualServiceInAmbient: props.allowVirtualServiceInAmbient ?? false,
      timeout: props.timeout, retries: props.retries, istioRetries, retryMethods,
      connectionPool, outlierDetection, loadBalancer, fault,
    };
    if (api === TrafficApi.GATEWAY_API && fault) {
      throw new MeshError(this, 'faults cannot be expressed with TrafficApi.GATEWAY_API: HTTPRoute has no fault-injection field; use TrafficApi.ISTIO');
    }
    this.model = TrafficModel.of(this, this.service);
    this.model.addResilience(intent, this.service.port);
    AppRuntime.of(this).addSynthCheck(this, () => this.model.errorsFor(this));
  }

  /**
   * The API this construct emits: the `api` prop if set, otherwise `TrafficApi.GATEWAY_API` when the
   * service's namespace is declared ambient and `TrafficApi.ISTIO` otherwise. Resolved when read,
   * from the namespaces declared so far; fixed at synth.
   */
  public get api(): TrafficApi {
    return this.model.api;
  }

  /**
   * The objects emitted for the service (shared with a `CanaryRoute` on it). With an explicit `api`
   * they exist from the constructor: each construct on the service adds what it needs (so a later
   * one can add objects, or drop a route it turns off), specs rendered at synth. Without `api` the
   * target follows the namespace's dataplane, known only once the App is complete: the objects are
   * created at synth and this is empty before. For JSON patches in both cases use `onObjects`.
   */
  public get objects(): TrafficObjects {
    return this.model.objects;
  }

  /**
   * The escape hatch: calls `hook` with the objects emitted for the service once their set is final
   * (at synth, once every construct and the namespace's dataplane are known, before they are
   * rendered and validated; at once after synth),
   * e.g. to add a JSON patch: `route.onObjects({ visit: o => o.virtualServices[0].addJsonPatch(...) })`.
   * The objects are shared with a `CanaryRoute` on the same service.
   */
  public onObjects(hook: ITrafficObjectsHook): void {
    this.model.onObjects(hook);
  }

  private checkRetryMethods(props: ResilientServiceProps, ctx: AppRuntime): string[] | undefined {
    if (props.retryMethods === undefined) return undefined;
    if (!Array.isArray(props.retryMethods) || props.retryMethods.length === 0) {
      throw MeshError.invalid(this, 'retryMethods', props.retryMethods, 'a non-empty list of HTTP methods');
    }
    if (props.retries === undefined || props.retries.attempts === 0) {
      throw MeshError.invalid(this, 'retryMethods', props.retryMethods, 'unset unless retries has attempts >= 1');
    }
    props.retryMethods.forEach((m, i) => checkRequestMatch(this, `retryMethods[${i}]`, RequestMatch.method(m)));
    const methods = [...new Set(props.retryMethods)];
    const unsafe = methods.filter(m => NON_IDEMPOTENT.includes(m));
    if (unsafe.length > 0) {
      ctx.warn(this, `retryMethods includes ${unsafe.join(', ')}, which are not idempotent: a retry can repeat a side effect (e.g. a double charge)`);
    }
    return methods;
  }

  private checkFaults(props: ResilientServiceProps): FaultIntent {
    const f = props.faults!;
    if (f === null || typeof f !== 'object' || (f.delay === undefined && f.abort === undefined)) {
      throw MeshError.invalid(this, 'faults', f, 'a FaultInjection with a delay, an abort or both');
    }
    const istio: Record<string, unknown> = {};
    if (f.delay !== undefined) {
      istio.delay = {
        percentage: { value: checkPercent(this, 'faults.delay.percent', f.delay?.percent, { fractions: true }) },
        fixedDelay: istioDuration(this, 'faults.delay.duration', f.delay?.duration),
      };
    }
    if (f.abort !== undefined) {
      istio.abort = {
        percentage: { value: checkPercent(this, 'faults.abort.percent', f.abort?.percent, { fractions: true }) },
        httpStatus: checkInteger(this, 'faults.abort.httpStatus', f.abort?.httpStatus, 200, 599),
      };
    }
    if (f.when !== undefined && (!Array.isArray(f.when) || f.when.length === 0)) {
      throw MeshError.invalid(this, 'faults.when', f.when, 'a non-empty list of RequestMatch (or unset for all traffic)');
    }
    const when = [...(f.when ?? [])];
    when.forEach((m, i) => checkRequestMatch(this, `faults.when[${i}]`, m));
    if (when.length > 0) renderMatches(this, 'faults.when', when, TrafficApi.ISTIO);
    if (when.length === 0 && (props.timeout !== undefined || props.retries !== undefined)) {
      throw new MeshError(this, 'faults on all traffic cannot be combined with timeout or retries: Istio disables timeouts and retries '
        + 'on a route that injects faults; gate the fault with faults.when (e.g. RequestMatch.header(\'x-chaos\', \'on\')) or drop timeout/retries');
    }
    return { istio, when };
  }
}
