import { IConstruct } from 'constructs';
import { VirtualServiceSpec, VirtualServiceSpecHttp } from '../../imports/networking.istio.io';
import { TrafficApi } from '../mesh/traffic-api';
import { istioRetries, renderTimeout } from '../render';
import { ExternalIntent } from './model';

/**
 * Direct egress (sidecar): the ServiceEntry (client-side ports) and the host's DestinationRule
 * (TLS origination, port-level on the service port the app calls, and connection limits) come
 * from model.ts; this is the VirtualService spec for timeout and retries. Pure: called at synth.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-tls-origination/
 */
export function directVirtualServiceSpec(scope: IConstruct, m: ExternalIntent): VirtualServiceSpec {
  const rule: VirtualServiceSpecHttp = {
    ...istioRouteSettings(scope, m),
    route: [{ destination: { host: m.host, port: { number: m.appPort } } }],
  };
  return { hosts: [m.host], exportTo: m.exportTo, http: [rule] };
}

/** The Istio `timeout` and `retries` of the intent's route, as a VirtualService `http[]` rule carries them. */
export function istioRouteSettings(scope: IConstruct, m: ExternalIntent): Pick<VirtualServiceSpecHttp, 'timeout' | 'retries'> {
  return {
    ...(m.timeout !== undefined ? { timeout: renderTimeout(scope, 'timeout', m.timeout, TrafficApi.ISTIO) } : {}),
    ...(m.retries !== undefined ? { retries: istioRetries(scope, 'retries', m.retries) as VirtualServiceSpecHttp['retries'] } : {}),
  };
}
