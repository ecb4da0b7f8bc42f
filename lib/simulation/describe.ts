import { SimulationResult } from './result';
import { Decision, RouteResult, SimulationRequest } from './types';

// One-line descriptions of requests, decisions and routes (jest matcher messages, the simulate CLI).

/** `GET /x from shop/productpage to reviews.shop:9080 via istio-ingress/public, headers {...}, token of iss`. */
export function describeRequest(req: SimulationRequest): string {
  const from = req.from === undefined ? 'an external client'
    : `${req.from.namespace ?? '?'}/${('serviceAccount' in req.from ? req.from.serviceAccount : undefined) ?? ('serviceAccountName' in req.from ? req.from.serviceAccountName : undefined) ?? 'default'}`;
  const parts = [`${req.method ?? 'GET'} ${req.path ?? '/'} from ${from} to ${req.to?.host}:${req.to?.port}`];
  if (req.via) parts.push(`via gateway ${req.via.gateway}`);
  if (req.headers && Object.keys(req.headers).length) parts.push(`headers ${JSON.stringify(req.headers)}`);
  if (req.jwt) parts.push(`${req.jwt.valid === false ? 'an invalid' : 'a'} token of ${req.jwt.issuer}`);
  return parts.join(', ');
}

/** `denied: DENY shop/deny-admin rule 0 at sidecar (reason)`, or `unknown: reason`. */
export function describeVerdict(r: SimulationResult): string {
  if (r.unknown !== undefined) return `unknown: ${r.unknown}`;
  return `${r.allowed ? 'allowed' : 'denied'}: ${describeDecision(r.decision)}`;
}

/** `ALLOW shop/x rule 0 at sidecar (reason)`. */
export function describeDecision(d: Decision): string {
  return `${d.action}${d.policy ? ` ${d.policy}` : ''}${d.rule !== undefined ? ` rule ${d.rule}` : ''} at ${d.enforcedAt} (${d.reason})`;
}

/** `VirtualService shop/reviews rule 1 -> reviews.shop.svc.cluster.local subset v2 100%`, or `no route (404)`. */
export function describeRoute(route: RouteResult | undefined): string {
  if (!route) return 'no route (404)';
  const head = `${route.resource}${route.rule !== undefined ? ` rule ${route.rule}` : ''}`;
  if (route.redirect) return `${head} -> redirect ${route.redirect.statusCode}`;
  if (route.directResponse) return `${head} -> direct response ${route.directResponse.status}`;
  return `${head} -> ${describeBackends(route.backends)}`;
}

/** `host:port subset v1 90%, ...`, or `(no backends)`. */
export function describeBackends(backends: ReadonlyArray<{ host: string; subset?: string; percent: number; port?: number }>): string {
  if (backends.length === 0) return '(no backends)';
  return backends.map(b => `${b.host}${b.port !== undefined ? `:${b.port}` : ''}${b.subset !== undefined ? ` subset ${b.subset}` : ''} ${b.percent}%`).join(', ');
}

