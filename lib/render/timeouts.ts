import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { gatewayApiDuration, istioDuration } from '../mesh/duration';
import { TrafficApi } from '../mesh/traffic-api';

/**
 * The one renderer of a request timeout: Istio VirtualService `timeout` (at least 1ms) or Gateway
 * API HTTPRoute `timeouts.request` (Gateway API duration format, at least 1ms: `0s` would disable
 * the timeout). Every construct renders its `timeout` prop through this function.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutetimeouts
 */
export function renderTimeout(scope: IConstruct, prop: string, value: Duration, api: TrafficApi): string {
  return api === TrafficApi.GATEWAY_API ? gatewayApiDuration(scope, prop, value, { allowZero: false }) : istioDuration(scope, prop, value);
}
