import { Construct } from 'constructs';
import {
  DestinationRule,
  DestinationRuleSpecSubsets,
  DestinationRuleSpecSubsetsTrafficPolicyPortLevelSettingsTls,
  Gateway,
  GatewaySpecServers,
  GatewaySpecServersTlsMode,
  ServiceEntry,
  ServiceEntrySpecPorts,
  VirtualService,
  VirtualServiceSpecHttp,
  VirtualServiceSpecTls,
} from '../../imports/networking.istio.io';
import { EgressGatewayOptions } from '../egress';
import { clientTls, ClientTlsMode } from '../render';
import { AppRuntime } from '../app/runtime';
import { describeConstruct, MeshError } from '../mesh/errors';
import { serviceFqdn } from '../mesh/hosts';
import { lazy } from '../mesh/lazy';
import { ExternalModel, hostDestinationRule, sePort, serviceEntry } from './model';
import { ExternalProtocol } from './types';

/** The objects of an ExternalApi routed through an Istio egress gateway. */
export interface GatewayObjects {
  readonly serviceEntry: ServiceEntry;
  readonly destinationRule?: DestinationRule;
  readonly virtualService: VirtualService;
  readonly gateway: Gateway;
  readonly gatewayDestinationRule: DestinationRule;
}

/** The default Service of an Istio egress gateway install. */
export const DEFAULT_EGRESS_GATEWAY_SERVICE = 'istio-egressgateway';

/**
 * Istio egress gateway (sidecar clients). The ServiceEntry, DestinationRules and VirtualService
 * live in the client namespace (exported to the gateway's namespace); only the Gateway lives in
 * the gateway's namespace.
 *
 * - HTTP from the app (with or without TLS origination): the sidecar sends it to the gateway
 *   over ISTIO_MUTUAL (port `appPort`, SNI = host); the gateway routes it to the host, applies
 *   timeout and retries, and originates TLS to `port` when asked.
 * - HTTPS/TLS from the app: SNI passthrough through the gateway on `port`.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway-tls-origination/
 */
export function renderGateway(scope: Construct, m: ExternalModel, gw: EgressGatewayOptions): GatewayObjects {
  const service = gw.service ?? DEFAULT_EGRESS_GATEWAY_SERVICE;
  const gatewayHost = serviceFqdn(service, gw.namespace);
  const gatewayRef = `${gw.namespace}/${m.name}`;
  const http = m.protocol === ExternalProtocol.HTTP;
  claimGatewayName(scope, gatewayRef);

  let ports: ServiceEntrySpecPorts[];
  if (!http) ports = [sePort(m.port, m.protocol)];
  else if (m.tlsOrigination) ports = [sePort(m.appPort, ExternalProtocol.HTTP), sePort(m.port, ExternalProtocol.HTTPS)];
  else ports = [sePort(m.port, ExternalProtocol.HTTP)];
  const se = serviceEntry(scope, m, ports);

  const listenPort = http ? m.appPort : m.port;
  const server: GatewaySpecServers = http
    ? {
      port: { number: listenPort, name: 'https', protocol: 'HTTPS' },
      hosts: [`${m.namespace}/${m.host}`],
      tls: { mode: GatewaySpecServersTlsMode.ISTIO_UNDERSCORE_MUTUAL },
    }
    : {
      port: { number: listenPort, name: 'tls', protocol: 'TLS' },
      hosts: [`${m.namespace}/${m.host}`],
      tls: { mode: GatewaySpecServersTlsMode.PASSTHROUGH },
    };
  const gateway = new Gateway(scope, 'egress-gateway', {
    metadata: { name: m.name, namespace: gw.namespace },
    spec: { selector: { ...gw.selector }, servers: [server] },
  });

  const subset: DestinationRuleSpecSubsets = http
    ? {
      name: m.name,
      trafficPolicy: {
        portLevelSettings: [{
          port: { number: listenPort },
          tls: clientTls(ClientTlsMode.ISTIO_MUTUAL, m.host) as unknown as DestinationRuleSpecSubsetsTrafficPolicyPortLevelSettingsTls,
        }],
      },
    }
    : { name: m.name };
  const gatewayDestinationRule = sharedGatewayDestinationRule(scope, m, service, gw.namespace, gatewayHost, subset);

  const toGateway = { destination: { host: gatewayHost, subset: m.name, port: { number: listenPort } } };
  const toHost = { destination: { host: m.host, port: { number: m.port } } };
  const spec = http
    ? {
      http: [
        { match: [{ gateways: ['mesh'], port: listenPort }], route: [toGateway] },
        {
          match: [{ gateways: [gatewayRef], port: listenPort }],
          ...(m.timeout !== undefined ? { timeout: m.timeout } : {}),
          ...(m.retries !== undefined ? { retries: m.retries as VirtualServiceSpecHttp['retries'] } : {}),
          route: [toHost],
        },
      ] as VirtualServiceSpecHttp[],
    }
    : {
      tls: [
        { match: [{ gateways: ['mesh'], port: listenPort, sniHosts: [m.host] }], route: [toGateway] },
        { match: [{ gateways: [gatewayRef], port: listenPort, sniHosts: [m.host] }], route: [toHost] },
      ] as VirtualServiceSpecTls[],
    };
  const virtualService = new VirtualService(scope, 'virtual-service', {
    metadata: { name: m.name, namespace: m.namespace },
    spec: { hosts: [m.host], gateways: [gatewayRef, 'mesh'], exportTo: m.exportTo, ...spec },
  });

  const destinationRule = hostDestinationRule(scope, m, m.port);
  return { serviceEntry: se, destinationRule, virtualService, gateway, gatewayDestinationRule };
}

/** The Gateway object `<gateway namespace>/<name>` is emitted once. */
function claimGatewayName(scope: Construct, ref: string): void {
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
function sharedGatewayDestinationRule(scope: Construct, m: ExternalModel, service: string, gatewayNs: string,
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
