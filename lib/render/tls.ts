// The one renderer of client-side TLS (DestinationRule `trafficPolicy.tls` / port-level `tls`):
// TLS origination to an external host (SIMPLE with SNI) and Istio mTLS to a gateway
// (ISTIO_MUTUAL with SNI). Every construct that originates TLS renders it here.

/** Client TLS modes the constructs emit. */
export enum ClientTlsMode {
  /** Plain TLS origination (the sidecar or waypoint opens TLS to the host). */
  SIMPLE = 'SIMPLE',
  /** Istio mutual TLS with workload certificates (e.g. sidecar to egress gateway). */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** DestinationRule `ClientTLSSettings` as JSON. */
export interface ClientTls {
  readonly mode: ClientTlsMode;
  readonly sni?: string;
}

/**
 * Client TLS settings: `mode` and the SNI to present (the external host, so that the server's
 * certificate for it is selected).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 */
export function clientTls(mode: ClientTlsMode, sni?: string): ClientTls {
  return sni === undefined ? { mode } : { mode, sni };
}
