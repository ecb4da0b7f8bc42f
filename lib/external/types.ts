/**
 * What the app sends to an external API, as a ServiceEntry port protocol.
 *
 * The mesh can read (and so route, time out, retry and originate TLS for) only what the app
 * sends in clear: with `HTTPS`, `TLS` or `TCP` the proxies see opaque bytes and apply L4
 * handling only.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServicePort
 */
export enum ExternalProtocol {
  /** Plain HTTP/1.1 or HTTP/2 sent by the app (with `tlsOrigination`, the mesh adds TLS). */
  HTTP = 'HTTP',
  /** HTTPS: the app does TLS itself; the mesh sees the SNI only. */
  HTTPS = 'HTTPS',
  /** TLS (any protocol inside): the app does TLS itself; the mesh sees the SNI only. */
  TLS = 'TLS',
  /** Opaque TCP. */
  TCP = 'TCP',
}

/**
 * How the proxies find the addresses of an external host (ServiceEntry `resolution`).
 *
 * Istio's own default is `NONE`, a trap for external APIs: the proxy then forwards to whatever
 * IP the app resolved and cannot change the port, so TLS origination and egress gateways break.
 * `ExternalApi` defaults to `DNS`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-Resolution
 */
export enum ExternalResolution {
  /** The proxy resolves the host by DNS (the `ExternalApi` default). Hosts must not be wildcards. */
  DNS = 'DNS',
  /**
   * The proxy forwards to the IP address the app connected to; the only choice for a wildcard
   * host (`*.example.com`). Direct sidecar egress only.
   */
  NONE = 'NONE',
}
