import { Construct } from 'constructs';
import { DestinationRule, ServiceEntry, VirtualService, VirtualServiceSpecHttp } from '../../imports/networking.istio.io';
import { clientSidePorts, ExternalModel, hostDestinationRule, serviceEntry } from './model';

/** The objects of an ExternalApi whose client sidecars call the host directly. */
export interface DirectObjects {
  readonly serviceEntry: ServiceEntry;
  readonly destinationRule?: DestinationRule;
  readonly virtualService?: VirtualService;
}

/**
 * Direct egress (sidecar): ServiceEntry; DestinationRule for TLS origination (port-level, on the
 * service port the app calls) and connection limits; VirtualService for timeout and retries.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-tls-origination/
 */
export function renderDirect(scope: Construct, m: ExternalModel): DirectObjects {
  const se = serviceEntry(scope, m, clientSidePorts(m));
  const dr = hostDestinationRule(scope, m, m.appPort);
  let vs: VirtualService | undefined;
  if (m.timeout !== undefined || m.retries !== undefined) {
    const rule: VirtualServiceSpecHttp = {
      ...(m.timeout !== undefined ? { timeout: m.timeout } : {}),
      ...(m.retries !== undefined ? { retries: m.retries as VirtualServiceSpecHttp['retries'] } : {}),
      route: [{ destination: { host: m.host, port: { number: m.appPort } } }],
    };
    vs = new VirtualService(scope, 'virtual-service', {
      metadata: { name: m.name, namespace: m.namespace },
      spec: { hosts: [m.host], exportTo: m.exportTo, http: [rule] },
    });
  }
  return { serviceEntry: se, destinationRule: dr, virtualService: vs };
}
