/**
 * What a `CanaryRoute` splits: HTTP requests, gRPC calls, TCP connections or TLS connections (by SNI).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TCPRoute
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#tcproute
 */
export enum RouteProtocol {
  /** HTTP: VirtualService `http`, or HTTPRoute. */
  HTTP = 'HTTP',
  /** gRPC: VirtualService `http` (gRPC is HTTP/2 to Istio), or GRPCRoute. */
  GRPC = 'GRPC',
  /** Opaque TCP: VirtualService `tcp`, or TCPRoute. Only the weighted split. */
  TCP = 'TCP',
  /** TLS routed by SNI without terminating it: VirtualService `tls`, or TLSRoute. Only the weighted split. */
  TLS = 'TLS',
}

/** Kind of the Gateway API route of a protocol. */
export function gatewayRouteKind(p: RouteProtocol): string {
  return p === RouteProtocol.GRPC ? 'GRPCRoute' : p === RouteProtocol.TCP ? 'TCPRoute' : p === RouteProtocol.TLS ? 'TLSRoute' : 'HTTPRoute';
}

/** Port name of a created per-version Service (Istio detects the protocol from it). */
export function portName(p: RouteProtocol): string {
  return p.toLowerCase();
}
