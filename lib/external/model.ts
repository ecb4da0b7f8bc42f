import { Construct } from 'constructs';
import {
  DestinationRule,
  DestinationRuleSpecTrafficPolicy,
  DestinationRuleSpecTrafficPolicyPortLevelSettingsTls,
  ServiceEntry,
  ServiceEntrySpecLocation,
  ServiceEntrySpecPorts,
  ServiceEntrySpecResolution,
} from '../../imports/networking.istio.io';
import { clientTls, ClientTlsMode } from '../render';
import { ExternalProtocol, ExternalResolution } from './types';

// Internal: the resolved state of one ExternalApi, and the objects every egress mode shares.

/** The checked, defaulted props of an ExternalApi that the renderers work from. */
export interface ExternalModel {
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
  /** Rendered route timeout (Istio or Gateway API syntax, by mode). */
  readonly timeout?: string;
  /** Rendered retries (Istio `HTTPRetry` or Gateway API `retry`, by mode). */
  readonly retries?: Record<string, unknown>;
  /** Rendered Gateway API `timeouts.backendRequest` (waypoint mode, from `retries.perTryTimeout`). */
  readonly backendRequestTimeout?: string;
  /** Rendered Istio `connectionPool`. */
  readonly connectionPool?: Record<string, unknown>;
  /** SNI of the originated TLS. */
  readonly sni?: string;
  /** TLS origination by a Gateway API BackendTLSPolicy instead of the DestinationRule. */
  readonly backendTls?: { readonly sni: string; readonly caConfigMap?: string };
}

/** A ServiceEntry port. */
export function sePort(number: number, protocol: ExternalProtocol, targetPort?: number): ServiceEntrySpecPorts {
  return { number, name: protocol.toLowerCase(), protocol, ...(targetPort !== undefined ? { targetPort } : {}) };
}

/**
 * The ServiceEntry ports when the client proxy (sidecar or waypoint) calls the host itself:
 * with TLS origination the app's port (80) maps to `targetPort` = the server's TLS port.
 */
export function clientSidePorts(m: ExternalModel): ServiceEntrySpecPorts[] {
  return m.tlsOrigination
    ? [sePort(m.appPort, ExternalProtocol.HTTP, m.port)]
    : [sePort(m.port, m.protocol)];
}

/** The ServiceEntry of the host: `MESH_EXTERNAL`, explicit resolution and ports. */
export function serviceEntry(scope: Construct, m: ExternalModel, ports: ServiceEntrySpecPorts[], labels?: Record<string, string>): ServiceEntry {
  return new ServiceEntry(scope, 'service-entry', {
    metadata: { name: m.name, namespace: m.namespace, ...(labels ? { labels } : {}) },
    spec: {
      hosts: [m.host],
      exportTo: m.exportTo,
      location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
      resolution: m.resolution === ExternalResolution.DNS ? ServiceEntrySpecResolution.DNS : ServiceEntrySpecResolution.NONE,
      ports,
    },
  });
}

/**
 * The DestinationRule of the external host, when there is something to say: TLS origination
 * (`SIMPLE` with `sni`, keyed on `tlsPort`, the SERVICE port that carries the clear HTTP) and
 * connection limits. Undefined when neither is asked.
 */
export function hostDestinationRule(scope: Construct, m: ExternalModel, tlsPort: number): DestinationRule | undefined {
  if ((!m.tlsOrigination || m.backendTls) && m.connectionPool === undefined) {
    return undefined;
  }
  // Port-level settings do not inherit the destination-level ones: with TLS origination the
  // ServiceEntry's only port is the TLS port, so the connection limits go into its entry too
  // (https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy).
  const connectionPool = m.connectionPool ? { connectionPool: m.connectionPool as any } : {};
  const trafficPolicy: DestinationRuleSpecTrafficPolicy = m.tlsOrigination
    ? {
      portLevelSettings: [{
        port: { number: tlsPort },
        ...connectionPool,
        tls: clientTls(ClientTlsMode.SIMPLE, m.sni ?? m.host) as unknown as DestinationRuleSpecTrafficPolicyPortLevelSettingsTls,
      }],
    }
    : connectionPool;
  return new DestinationRule(scope, 'destination-rule', {
    metadata: { name: m.name, namespace: m.namespace },
    spec: { host: m.host, exportTo: m.exportTo, trafficPolicy },
  });
}
