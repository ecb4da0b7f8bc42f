import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  DestinationRuleSpec,
  DestinationRuleSpecTrafficPolicy,
  DestinationRuleSpecTrafficPolicyPortLevelSettingsTls,
  ServiceEntrySpec,
  ServiceEntrySpecLocation,
  ServiceEntrySpecPorts,
  ServiceEntrySpecResolution,
} from '../../imports/networking.istio.io';
import { EgressGatewayOptions, EgressWaypointRef } from '../egress';
import { RetryPolicy, CircuitBreaker } from '../mesh/resilience';
import { clientTls, ClientTlsMode, connectionPool } from '../render';
import { ExternalProtocol, ExternalResolution } from './types';

// Internal: the intent of one ExternalApi (its props, checked and defaulted, in their own types:
// nothing rendered), and the pure renderers of the objects every egress mode shares.

/** The checked, defaulted props of an ExternalApi: what the renderers turn into objects at synth. */
export interface ExternalIntent {
  /** Base name of the emitted objects. */
  readonly name: string;
  /** The external DNS name. */
  readonly host: string;
  /** Namespace of the ServiceEntry, DestinationRules, routes (the client namespace). */
  readonly namespace: string;
  /** Port of the external server. */
  readonly port: number;
  /** What the app sends. */
  readonly protocol: ExternalProtocol;
  /** The mesh originates TLS to `port`. */
  readonly tlsOrigination: boolean;
  /** Port the app calls: `appPort` with TLS origination, else `port`. */
  readonly appPort: number;
  /** ServiceEntry resolution. */
  readonly resolution: ExternalResolution;
  /** exportTo of every namespaced Istio object. */
  readonly exportTo: string[];
  /** The egress gateway traffic leaves through (`Egress.gateway()`), if any. */
  readonly egressGateway?: EgressGatewayOptions;
  /** The egress waypoint traffic leaves through (`Egress.waypoint()`), if any. */
  readonly egressWaypoint?: EgressWaypointRef;
  /** Request timeout (checked for the target API). */
  readonly timeout?: Duration;
  /** Retries (checked for the target API: Istio HTTPRetry, or Gateway API `retry` at a waypoint). */
  readonly retries?: RetryPolicy;
  /** Connection limits (checked). */
  readonly circuitBreaker?: CircuitBreaker;
  /** SNI of the originated TLS. */
  readonly sni?: string;
  /** TLS origination by a Gateway API BackendTLSPolicy instead of the DestinationRule. */
  readonly backendTls?: { readonly sni: string; readonly caConfigMap?: string };
}

/** True when the intent asks for a route: a timeout or retries. */
export function wantsRoute(m: ExternalIntent): boolean {
  return m.timeout !== undefined || m.retries !== undefined;
}

/** A ServiceEntry port. */
export function sePort(number: number, protocol: ExternalProtocol, targetPort?: number): ServiceEntrySpecPorts {
  return { number, name: protocol.toLowerCase(), protocol, ...(targetPort !== undefined ? { targetPort } : {}) };
}

/**
 * The ServiceEntry ports when the client proxy (sidecar or waypoint) calls the host itself:
 * with TLS origination the app's port (80) maps to `targetPort` = the server's TLS port.
 */
export function clientSidePorts(m: ExternalIntent): ServiceEntrySpecPorts[] {
  return m.tlsOrigination
    ? [sePort(m.appPort, ExternalProtocol.HTTP, m.port)]
    : [sePort(m.port, m.protocol)];
}

/** The ServiceEntry spec of the host: `MESH_EXTERNAL`, explicit resolution and ports. */
export function serviceEntrySpec(m: ExternalIntent, ports: ServiceEntrySpecPorts[]): ServiceEntrySpec {
  return {
    hosts: [m.host],
    exportTo: m.exportTo,
    location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
    resolution: m.resolution === ExternalResolution.DNS ? ServiceEntrySpecResolution.DNS : ServiceEntrySpecResolution.NONE,
    ports,
  };
}

/**
 * True when the host needs a DestinationRule: TLS origination by a DestinationRule (not a
 * BackendTLSPolicy) or connection limits.
 */
export function hasHostDestinationRule(m: ExternalIntent): boolean {
  return (m.tlsOrigination && !m.backendTls) || m.circuitBreaker !== undefined;
}

/**
 * The DestinationRule spec of the external host: TLS origination (`SIMPLE` with `sni`, keyed on
 * `tlsPort`, the SERVICE port that carries the clear HTTP) and connection limits. Call it only
 * when `hasHostDestinationRule`.
 */
export function hostDestinationRuleSpec(scope: IConstruct, m: ExternalIntent, tlsPort: number): DestinationRuleSpec {
  // Port-level settings do not inherit the destination-level ones: with TLS origination the
  // ServiceEntry's only port is the TLS port, so the connection limits go into its entry too
  // (https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy).
  const connectionLimits = m.circuitBreaker !== undefined
    ? { connectionPool: connectionPool(scope, 'circuitBreaker', m.circuitBreaker) as any } : {};
  const trafficPolicy: DestinationRuleSpecTrafficPolicy = m.tlsOrigination
    ? {
      portLevelSettings: [{
        port: { number: tlsPort },
        ...connectionLimits,
        tls: clientTls(ClientTlsMode.SIMPLE, m.sni ?? m.host) as unknown as DestinationRuleSpecTrafficPolicyPortLevelSettingsTls,
      }],
    }
    : connectionLimits;
  return { host: m.host, exportTo: m.exportTo, trafficPolicy };
}
