import { hostMatches } from './hosts';
import { NormalizedRequest } from './request';
import { Routed } from './route-common';
import { GatewayInfo } from './routing';

// Istio Gateway servers with `tls.httpsRedirect: true`: every virtual host of the server requires
// TLS (Envoy `require_tls: ALL`), so a plain HTTP request to one of its hosts is answered with a
// 301 to `https://` whatever the VirtualServices bound to the gateway say, and even when there is
// none (pilot/pkg/networking/core/gateway.go, 1.30.3: "check all hostname in vHostDedupMap and if
// is not exist with HttpsRedirect set to true create VirtualHost to redirect").
// https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings

/** The redirect of an Istio Gateway server with `httpsRedirect` for the request, or undefined. */
export function httpsRedirectOf(req: NormalizedRequest, gw: GatewayInfo, gateway: string): Routed | undefined {
  if (gw.gatewayApi) return undefined;
  const server = ((gw.object.object.spec?.servers ?? []) as any[]).find(s => Number(s?.port?.number) === req.port
    && s?.tls?.httpsRedirect === true && ((s.hosts ?? []) as string[]).some(h => hostMatches(h.includes('/') ? h.split('/')[1] : h, req.host)));
  if (!server) return undefined;
  return {
    route: { resource: `Gateway ${gateway}`, backends: [], retries: { attempts: 0 }, redirect: { scheme: 'https', statusCode: 301 } },
    backends: [],
    trace: [`route: at gateway ${gateway}: server ${server.port?.name ?? server.port.number} sets tls.httpsRedirect: 301 to https (no VirtualService rule is used)`],
  };
}
