import { Construct, IConstruct } from 'constructs';
import {
  DestinationRule,
  DestinationRuleSpecSubsets,
  DestinationRuleSpecSubsetsTrafficPolicyPortLevelSettingsTls,
  GatewaySpec,
  GatewaySpecServers,
  GatewaySpecServersTlsMode,
  ServiceEntrySpecPorts,
  VirtualServiceSpec,
  VirtualServiceSpecHttp,
  VirtualServiceSpecTls,
} from '../../imports/networking.istio.io';
import { EgressGatewayOptions } from '../egress';
import { clientTls, ClientTlsMode } from '../render';
import { AppRuntime } from '../app/runtime';
import { describeConstruct, MeshError } from '../mesh/errors';
import { serviceFqdn } from '../mesh/hosts';
import { lazy } from '../mesh/lazy';
import { istioRouteSettings } from './direct';
import { ExternalIntent, sePort } from './model';
import { ExternalProtocol } from './types';

/** The default Service of an Istio egress gateway install. */
export const DEFAULT_EGRESS_GATEWAY_SERVICE = 'istio-egressgateway';

// Istio egress gateway (sidecar clients). The ServiceEntry, DestinationRules and VirtualService
// live in the client namespace (exported to the gateway's namespace); only the Gateway lives in
// the gateway's namespace.
// - HTTP from the app (with or without TLS origination): the sidecar sends it to the gateway
//   over ISTIO_MUTUAL (port `appPort`, SNI = host); the gateway routes it to the host, applies
//   timeout and retries, and originates TLS to `port` when asked.
// - HTTPS/TLS from the app: SNI passthrough through the gateway on `port`.
// https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
// https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway-tls-origination/

/** The port the egress gateway listens on for this host: the app's port for HTTP, the server's otherwise. */
function listenPort(m: ExternalIntent): number {
  return m.protocol === ExternalProtocol.HTTP ? m.appPort : m.port;
}

/** `<gateway namespace>/<name>`: how the VirtualService names the egress Gateway. */
export function gatewayRef(m: ExternalIntent, gw: EgressGatewayOptions): string {
  return `${gw.namespace}/${m.name}`;
}

/** The ServiceEntry ports with an egress gateway: the gateway, not the client, originates TLS. */
export function gatewayServiceEntryPorts(m: ExternalIntent): ServiceEntrySpecPorts[] {
  if (m.protocol !== ExternalProtocol.HTTP) return [sePort(m.port, m.protocol)];
  if (m.tlsOrigination) return [sePort(m.appPort, ExternalProtocol.HTTP), sePort(m.port, ExternalProtocol.HTTPS)];
  return [sePort(m.port, ExternalProtocol.HTTP)];
}

/** The `networking.istio.io` Gateway spec on the egress gateway. Pure: called at synth. */
export function egressGatewaySpec(m: ExternalIntent, gw: EgressGatewayOptions): GatewaySpec {
  const server: GatewaySpecServers = m.protocol === ExternalProtocol.HTTP
    ? {
      port: { number: listenPort(m), name: 'https', protocol: 'HTTPS' },
      hosts: [`${m.namespace}/${m.host}`],
      tls: { mode: GatewaySpecServersTlsMode.ISTIO_UNDERSCORE_MUTUAL },
    }
    : {
      port: { number: listenPort(m), name: 'tls', protocol: 'TLS' },
      hosts: [`${m.namespace}/${m.host}`],
      tls: { mode: GatewaySpecServersTlsMode.PASSTHROUGH },
    };
  return { selector: { ...gw.selector }, servers: [server] };
}

/** The VirtualService spec: mesh -> egress gateway -> host (timeout and retries at the gateway). Pure: called at synth. */
export function gatewayVirtualServiceSpec(scope: IConstruct, m: ExternalIntent, gw: EgressGatewayOptions): VirtualServiceSpec {
  const gatewayHost = serviceFqdn(gw.service ?? DEFAULT_EGRESS_GATEWAY_SERVICE, gw.namespace);
  const ref = gatewayRef(m, gw);
  const port = listenPort(m);
  const toGateway = { destination: { host: gatewayHost, subset: m.name, port: { number: port } } };
  const toHost = { destination: { host: m.host, port: { number: m.port } } };
  const spec = m.protocol === ExternalProtocol.HTTP
    ? {
      http: [
        { match: [{ gateways: ['mesh'], port }], route: [toGateway] },
        { match: [{ gateways: [ref], port }], ...istioRouteSettings(scope, m), route: [toHost] },
      ] as VirtualServiceSpecHttp[],
    }
    : {
      tls: [
        { match: [{ gateways: ['mesh'], port, sniHosts: [m.host] }], route: [toGateway] },
        { match: [{ gateways: [ref], port, sniHosts: [m.host] }], route: [toHost] },
      ] as VirtualServiceSpecTls[],
    };
  return { hosts: [m.host], gateways: [ref, 'mesh'], exportTo: m.exportTo, ...spec };
}

/**
 * The egress gateway Service's DestinationRule of the client namespace, with this host's subset
 * added (ISTIO_MUTUAL to the gateway for HTTP).
 */
export function gatewayDestinationRule(scope: Construct, m: ExternalIntent, gw: EgressGatewayOptions): DestinationRule {
  const service = gw.service ?? DEFAULT_EGRESS_GATEWAY_SERVICE;
  const subset: DestinationRuleSpecSubsets = m.protocol === ExternalProtocol.HTTP
    ? {
      name: m.name,
      trafficPolicy: {
        portLevelSettings: [{
          port: { number: listenPort(m) },
          tls: clientTls(ClientTlsMode.ISTIO_MUTUAL, m.host) as unknown as DestinationRuleSpecSubsetsTrafficPolicyPortLevelSettingsTls,
        }],
      },
    }
    : { name: m.name };
  return sharedGatewayDestinationRule(scope, m, service, gw.namespace, serviceFqdn(service, gw.namespace), subset);
}

/** The Gateway object `<gateway namespace>/<name>` is emitted once. */
export function claimGatewayName(scope: Construct, ref: string): void {
  const owners = AppRuntime.of(scope).shared<Map<string, Construct>>('external-api:egress-gateways', () => new Map());
  const existing = owners.get(ref);
  if (existing && existing !== scope) {
    throw new MeshError(scope, `the egress Gateway ${ref} is already emitted by ${describeConstruct(existing)}; `
      + 'declare the host once and share it with other namespaces through exportTo, or set name');
  }
  owners.set(ref, scope);
}

interface SharedGatewayRule {
  readonly rule: DestinationRule;
  readonly subsets: DestinationRuleSpecSubsets[];
  readonly exportTo: Set<string>;
}

/**
 * One DestinationRule per client namespace for the egress gateway's Service (istiod uses one
 * DestinationRule per host and namespace): every ExternalApi of the namespace that goes
 * through that gateway adds its subset. It lives in the client namespace, because a subset DR
 * must be visible from the client proxies, and is exported where the APIs are.
 */
function sharedGatewayDestinationRule(scope: Construct, m: ExternalIntent, service: string, gatewayNs: string,
  gatewayHost: string, subset: DestinationRuleSpecSubsets): DestinationRule {
  const key = `external-api:egress-gateway-rule:${m.namespace}:${gatewayHost}`;
  const shared = AppRuntime.of(scope).shared<SharedGatewayRule>(key, () => {
    const subsets: DestinationRuleSpecSubsets[] = [];
    const exportTo = new Set<string>();
    const rule = new DestinationRule(scope, 'egress-gateway-destination-rule', {
      metadata: { name: `${service}-${gatewayNs}`, namespace: m.namespace },
      spec: lazy(() => ({
        host: gatewayHost,
        exportTo: exportTo.has('*') ? ['*'] : [...exportTo].sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a.localeCompare(b))),
        subsets: [...subsets].sort((a, b) => a.name.localeCompare(b.name)),
      })),
    });
    return { rule, subsets, exportTo };
  });
  shared.subsets.push(subset);
  for (const e of m.exportTo) shared.exportTo.add(e === m.namespace ? '.' : e);
  return shared.rule;
}
