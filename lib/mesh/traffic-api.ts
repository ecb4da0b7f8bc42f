/**
 * Which API a traffic construct emits.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export enum TrafficApi {
  /** Istio's VirtualService and DestinationRule (`networking.istio.io/v1`). */
  ISTIO = 'ISTIO',
  /** Gateway API HTTPRoute (`gateway.networking.k8s.io/v1`), with a DestinationRule for connection policies. */
  GATEWAY_API = 'GATEWAY_API',
}
