import { ap, deploy, ns, principal, svc } from './builders';
import { SimCase } from './cases';

// Cases for the bullets of "Semantics to model" (issue #14) that the other corpus files did not
// cover: ingress through Gateway API listeners (sectionName, hostnames, allowedRoutes) and Istio
// Gateways, VirtualService host resolution, uri exact/regex, port matches, and unknown hosts.
const VS = 'https://istio.io/latest/docs/reference/config/networking/virtual-service/';
const HR_PARENT = 'https://gateway-api.sigs.k8s.io/reference/spec/#parentreference';
const LISTENER = 'https://gateway-api.sigs.k8s.io/reference/spec/#listener';
const ALLOWED = 'https://gateway-api.sigs.k8s.io/reference/spec/#allowedroutes';
const ISTIO_GW = 'https://istio.io/latest/docs/reference/config/networking/gateway/';
const FILTER = 'https://gateway-api.sigs.k8s.io/reference/spec/#httproutefilter';
const UNKNOWN = 'https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/';

const FQDN = 'reviews.shop.svc.cluster.local';
const BASE = [ns('shop'), svc('shop', 'reviews', 9080), deploy('shop', 'reviews', { app: 'reviews' })];
const FROM = { namespace: 'shop', serviceAccount: 'productpage' };
const vs = (spec: object, namespace = 'shop', name = 'reviews'): object => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace }, spec });
const gwApi = (listeners: object[]): object => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'istio-ingress' },
  spec: { gatewayClassName: 'istio', listeners },
});
const route = (namespace: string, spec: object, name = 'shop'): object => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace }, spec });
const toReviews = { backendRefs: [{ name: 'reviews', port: 9080 }] };
const INGRESS = [ns('istio-ingress'), ...BASE];
const VIA = { via: { gateway: 'istio-ingress/public' }, to: { host: 'shop.example.com', port: 80 } };

/** Gap cases. */
export const GAPS: SimCase[] = [
  { name: 'ingress: an HTTPRoute attached to a listener by sectionName routes through the Gateway', source: HR_PARENT,
    docs: [...INGRESS, gwApi([{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]),
      route('shop', { parentRefs: [{ name: 'public', namespace: 'istio-ingress', sectionName: 'http' }], hostnames: ['shop.example.com'], rules: [toReviews] })],
    request: VIA, expect: { allowed: true, route: { resource: 'HTTPRoute shop/shop', rule: 0 }, backends: [`${FQDN}||100`] } },
  { name: 'ingress: a sectionName naming another listener does not attach: 404', source: HR_PARENT,
    docs: [...INGRESS, gwApi([{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]),
      route('shop', { parentRefs: [{ name: 'public', namespace: 'istio-ingress', sectionName: 'https' }], rules: [toReviews] })],
    request: VIA, expect: { allowed: false, route: null } },
  { name: 'ingress: allowedRoutes defaults to Same: a route from another namespace is not attached', source: ALLOWED,
    intuition: 'a parentRef is enough to attach; the listener must also admit the route\'s namespace (default Same)',
    docs: [...INGRESS, gwApi([{ name: 'http', port: 80, protocol: 'HTTP' }]),
      route('shop', { parentRefs: [{ name: 'public', namespace: 'istio-ingress' }], rules: [toReviews] })],
    request: VIA, expect: { allowed: false, route: null } },
  { name: 'ingress: a listener hostname that does not match the Host header: 404', source: LISTENER,
    docs: [...INGRESS, gwApi([{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'api.example.com', allowedRoutes: { namespaces: { from: 'All' } } }]),
      route('shop', { parentRefs: [{ name: 'public', namespace: 'istio-ingress' }], rules: [toReviews] })],
    request: VIA, expect: { allowed: false, route: null } },
  { name: 'ingress: an Istio Gateway and a VirtualService bound to it', source: ISTIO_GW,
    docs: [...INGRESS, { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'istio-ingress' },
      spec: { selector: { istio: 'ingress' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/shop.example.com'] }] } },
    vs({ hosts: ['shop.example.com'], gateways: ['istio-ingress/public'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }, 'shop', 'shop')],
    request: VIA, expect: { allowed: true, route: { resource: 'VirtualService shop/shop', rule: 0 }, backends: [`${FQDN}||100`] } },
  { name: 'HTTPRoute: a RequestRedirect filter answers with a redirect (302 by default), no backend is called', source: FILTER,
    docs: [...BASE, route('shop', { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'new.example.com' } }] }] }, 'reviews')],
    request: { from: FROM, to: { host: 'reviews', port: 9080 } },
    expect: { allowed: true, route: { resource: 'HTTPRoute shop/reviews', rule: 0 }, redirect: { authority: 'new.example.com', statusCode: 302 } } },
  { name: 'a short VirtualService host resolves in the VirtualService\'s namespace, not the caller\'s', source: VS,
    intuition: 'a short host means the Service in the caller\'s namespace; it resolves in the VirtualService\'s namespace',
    docs: [...BASE, ns('web'), vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }], timeout: '2s' }] }, 'web')],
    request: { from: FROM, to: { host: 'reviews', port: 9080 } }, expect: { allowed: true, route: { resource: 'Service shop/reviews' } } },
  { name: 'uri exact matches only that path', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ uri: { exact: '/health' } }], directResponse: { status: 200 } }, { route: [{ destination: { host: 'reviews' } }] }] })],
    request: { from: FROM, to: { host: 'reviews', port: 9080 }, path: '/health/x' }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 1 } } },
  { name: 'uri regex is a full match (RE2)', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ uri: { regex: '/v[0-9]+' } }], directResponse: { status: 410 } }, { route: [{ destination: { host: 'reviews' } }] }] })],
    request: { from: FROM, to: { host: 'reviews', port: 9080 }, path: '/v1/items' }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 1 } } },
  { name: 'a port match compares the port the caller addressed', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ port: 9443 }], directResponse: { status: 403 } }, { route: [{ destination: { host: 'reviews' } }] }] })],
    request: { from: FROM, to: { host: 'reviews', port: 9080 } }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 1 } } },
  { name: 'a host with no Service or ServiceEntry in the set is unknown, not a guess', source: UNKNOWN,
    docs: BASE, request: { from: FROM, to: { host: 'ratings', port: 9080 } }, expect: { allowed: false, unknown: 'no Service or ServiceEntry for host "ratings" in the set' } },
  { name: 'mTLS PERMISSIVE (no PeerAuthentication) accepts a plaintext caller', source: 'https://istio.io/latest/docs/reference/config/security/peer_authentication/',
    docs: [...BASE, ns('legacy', 'none'), ap('shop', 'allow-productpage', { selector: { matchLabels: { app: 'reviews' } }, rules: [{ from: [{ source: { principals: [principal('shop', 'productpage')] } }] }] })],
    request: { from: { namespace: 'legacy' }, to: { host: 'reviews.shop', port: 9080 } },
    expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'sidecar' } },
];
