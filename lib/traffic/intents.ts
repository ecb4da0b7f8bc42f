import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RetryPolicy } from '../mesh/resilience';
import { TrafficApi } from '../mesh/traffic-api';
import { RequestMatch } from '../request-match';
import { RouteProtocol } from './protocol';

// What each traffic construct contributes to the per-service model (internal, not exported from
// lib/index.ts). Everything here has been validated by the construct; target-specific checks
// (header case for Istio, names of per-version Services for Gateway API) run at render.

/** A construct that contributes to a service's traffic model. */
export interface Participant {
  /** The construct (named in conflicts). */
  readonly construct: IConstruct;
  /** The API the user asked for; undefined = follow the dataplane. */
  readonly api?: TrafficApi;
  /** The user accepts VirtualService (alpha) in an ambient namespace. */
  readonly allowVirtualServiceInAmbient: boolean;
}

/** An ingress gateway binding of a route, resolved. */
export interface IngressIntent {
  /** Gateway name. */
  readonly name: string;
  /** Gateway namespace. */
  readonly namespace: string;
  /** Gateway API listener name. */
  readonly sectionName?: string;
  /** Hostnames the route serves at the gateway. */
  readonly hostnames: readonly string[];
  /** Hostnames the gateway serves, if the user said so. */
  readonly gatewayHostnames?: readonly string[];
}

/** CanaryRoute's contribution. */
export interface RoutingIntent extends Participant {
  readonly stableVersion: string;
  readonly canaryVersion: string;
  readonly versionLabel: string;
  /** Integer percent 0..100 of unmatched traffic sent to the canary. */
  readonly canaryWeight: number;
  readonly canaryMatches: readonly RequestMatch[];
  /** Percent (fractions allowed) of the stable traffic mirrored; undefined or 0 = none. */
  readonly mirrorPercent?: number;
  readonly ingress?: IngressIntent;
  /** Keep a route for in-mesh (east-west) traffic. */
  readonly meshTraffic: boolean;
  /** Names of existing per-version Services (Gateway API); undefined = create them. */
  readonly backendServices?: { readonly stable: string; readonly canary: string };
  /**
   * Selector of the service's pods, to which the version label is added for per-version Services;
   * undefined = the selector of the Service the App declares, else `app: <service>`.
   */
  readonly selector?: Readonly<Record<string, string>>;
  /** Target port of created per-version Services; undefined = the App's Service's, else the service port. */
  readonly targetPort?: number | string;
  /** What is split (HTTP unless set). */
  readonly protocol?: RouteProtocol;
  /** SNI hosts of a TLS route for in-mesh traffic; undefined = the service host. */
  readonly sniHosts?: readonly string[];
}

/** A fault to inject, rendered for Istio. */
export interface FaultIntent {
  /** Istio `HTTPFaultInjection`. */
  readonly istio: Record<string, unknown>;
  /** Requests that get the fault; empty = all traffic. */
  readonly when: readonly RequestMatch[];
}

/** ResilientService's contribution. */
export interface ResilienceIntent extends Participant {
  readonly timeout?: Duration;
  readonly retries?: RetryPolicy;
  /** Rendered Istio retries. */
  readonly istioRetries?: Record<string, unknown>;
  /** Methods retries are limited to; undefined = all. */
  readonly retryMethods?: readonly string[];
  readonly connectionPool?: Record<string, unknown>;
  readonly outlierDetection?: Record<string, unknown>;
  readonly loadBalancer?: Record<string, unknown>;
  readonly fault?: FaultIntent;
}

/** True when a resilience intent needs L7 processing of requests (a route, not only a DestinationRule). */
export function resilienceNeedsRoute(r: ResilienceIntent): boolean {
  return r.timeout !== undefined || r.retries !== undefined || r.fault !== undefined;
}

/** The DestinationRule `trafficPolicy` of a resilience intent, undefined when empty. */
export function trafficPolicy(r: ResilienceIntent | undefined): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const out: Record<string, unknown> = {};
  if (r.connectionPool) out.connectionPool = r.connectionPool;
  if (r.loadBalancer) out.loadBalancer = r.loadBalancer;
  if (r.outlierDetection) out.outlierDetection = r.outlierDetection;
  return Object.keys(out).length > 0 ? out : undefined;
}
