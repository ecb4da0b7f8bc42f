import { deploy, ns, svc, waypoint } from './builders';
import { SimCase } from './cases';

// Routing: VirtualService and HTTPRoute. Sources:
const VS = 'https://istio.io/latest/docs/reference/config/networking/virtual-service/';
const RETRY = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/networking/core/route/retry/retry.go';
const FAULT = 'https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection';
const HR = 'https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule';
const SORT = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/config/kube/gateway/conversion.go';
const SELECT = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/model/virtualservice.go';
const GAMMA = 'https://gateway-api.sigs.k8s.io/mesh/';
const AMBIENT_L7 = 'https://istio.io/latest/docs/ambient/usage/l7-features/';

const FQDN = 'reviews.shop.svc.cluster.local';
const BASE = [ns('shop'), svc('shop', 'reviews', 9080), deploy('shop', 'reviews-v1', { app: 'reviews', version: 'v1' }), deploy('shop', 'reviews-v2', { app: 'reviews', version: 'v2' }),
  { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'shop' },
    spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } }];
const FROM = { namespace: 'shop', serviceAccount: 'productpage' };
const TO = { host: 'reviews', port: 9080 };
const vs = (spec: object, name = 'reviews', meta: object = {}): object => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'shop', ...meta }, spec });
const dest = (subset?: string, weight?: number): object => ({ destination: { host: 'reviews', ...(subset ? { subset } : {}) }, ...(weight !== undefined ? { weight } : {}) });
const route = (spec: object, name = 'reviews', namespace = 'shop', meta: object = {}): object => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace, ...meta }, spec });
const svcParent = { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }] };
const backend = (name: string, weight?: number): object => ({ name, port: 9080, ...(weight !== undefined ? { weight } : {}) });
const CANARY = [ns('shop'), svc('shop', 'reviews', 9080), svc('shop', 'reviews-v1', 9080, { selector: { app: 'reviews', version: 'v1' } }), svc('shop', 'reviews-v2', 9080, { selector: { app: 'reviews', version: 'v2' } })];

/** Routing cases. */
export const ROUTING: SimCase[] = [
  { name: 'no route object: the Service, with Istio\'s default retries', source: RETRY, intuition: 'no retry policy means no retries; Istio retries twice by default',
    docs: BASE, request: { from: FROM, to: TO },
    expect: { allowed: true, route: { resource: 'Service shop/reviews' }, retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' }, timeoutMs: null } },
  { name: 'a header match sends to its subset', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [dest('v2')] }, { route: [dest('v1')] }] })],
    request: { from: FROM, to: TO, headers: { 'x-canary': 'true' } }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 0 }, backends: [`${FQDN}|v2|100`] } },
  { name: 'first match wins even when a later rule is more specific', source: VS, intuition: 'the most specific rule wins; VirtualService rules are tried in order',
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ uri: { prefix: '/' } }], route: [dest('v1')] }, { match: [{ uri: { exact: '/api' } }], route: [dest('v2')] }] })],
    request: { from: FROM, to: TO, path: '/api' }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 0 }, backends: [`${FQDN}|v1|100`] } },
  { name: 'no catch-all last rule: an unmatched request gets 404', source: VS, intuition: 'unmatched requests fall back to the Service; without a catch-all rule they get 404',
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [dest('v2')] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: false, route: null } },
  { name: 'weights are relative: 1 and 3 are 25% and 75%', source: VS, intuition: 'weights must add up to 100; they are relative',
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ route: [dest('v1', 1), dest('v2', 3)] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, backends: [`${FQDN}|v1|25`, `${FQDN}|v2|75`] } },
  { name: 'regex header match is anchored (RE2 full match)', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ headers: { cookie: { regex: 'canary=1' } } }], route: [dest('v2')] }, { route: [dest('v1')] }] })],
    request: { from: FROM, to: TO, headers: { cookie: 'a=b; canary=1' } }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 1 } } },
  { name: 'queryParams, method and uri prefix are ANDed inside one match', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ uri: { prefix: '/api' }, method: { exact: 'POST' }, queryParams: { debug: { exact: '1' } } }], route: [dest('v2')] }, { route: [dest('v1')] }] })],
    request: { from: FROM, to: TO, path: '/api/x?debug=1', method: 'GET' }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 1 } } },
  { name: 'withoutHeaders matches when the header is absent', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ withoutHeaders: { 'x-user': {} } }], route: [dest('v1')] }, { route: [dest('v2')] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 0 } } },
  { name: 'sourceLabels match the caller\'s pod labels', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ sourceLabels: { app: 'productpage' } }], route: [dest('v2')] }, { route: [dest('v1')] }] })],
    request: { from: { ...FROM, labels: { app: 'productpage' } }, to: TO }, expect: { allowed: true, backends: [`${FQDN}|v2|100`] } },
  { name: 'sourceNamespace', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ match: [{ sourceNamespace: 'other' }], route: [dest('v2')] }, { route: [dest('v1')] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, backends: [`${FQDN}|v1|100`] } },
  { name: 'listing gateways drops the implicit mesh: mesh callers get the Service', source: VS, intuition: 'adding an ingress gateway to a VirtualService keeps its mesh routing',
    docs: [...BASE, vs({ hosts: ['reviews'], gateways: ['public'], http: [{ route: [dest('v2')] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, route: { resource: 'Service shop/reviews' } } },
  { name: 'a wildcard host matches', source: VS,
    docs: [...BASE, vs({ hosts: ['*.shop.svc.cluster.local'], http: [{ route: [dest('v2')] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 0 } } },
  { name: 'retries.attempts counts retries, retryOn defaults to Istio\'s', source: RETRY,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ route: [dest()], retries: { attempts: 3, perTryTimeout: '2s' }, timeout: '5s' }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, retries: { attempts: 3, perTryTimeoutMs: 2000, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' }, timeoutMs: 5000 } },
  { name: 'fault injection turns off the rule\'s retries and timeout', source: FAULT, intuition: 'a fault rule keeps the route\'s retries and timeout; they are disabled',
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ route: [dest()], fault: { abort: { httpStatus: 503, percentage: { value: 10 } } }, retries: { attempts: 3 }, timeout: '1s' }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, retries: { attempts: 0 }, timeoutMs: null } },
  { name: 'mirror with mirrorPercentage', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ route: [dest('v1')], mirror: { host: 'reviews', subset: 'v2' }, mirrorPercentage: { value: 5 } }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, mirror: { host: FQDN, subset: 'v2', percent: 5 } } },
  { name: 'redirect answers without calling a backend (301 by default)', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ redirect: { uri: '/v2' } }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, redirect: { uri: '/v2', statusCode: 301 }, backends: [] } },
  { name: 'directResponse answers without calling a backend', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ directResponse: { status: 418, body: { string: 'teapot' } } }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, directResponse: { status: 418, body: 'teapot' } } },
  { name: 'rewrite is reported', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ rewrite: { uri: '/' }, route: [dest()] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, rewrite: { uri: '/' } } },
  { name: 'an undefined subset is unknown (Istio answers 503)', source: VS,
    docs: [...BASE, vs({ hosts: ['reviews'], http: [{ route: [dest('v3')] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: false, unknown: 'subset "v3"' } },
  { name: 'HTTPRoute: weights default to 1', source: HR, intuition: 'an omitted weight is 0 or 100; in Gateway API it is 1',
    docs: [...CANARY, route({ ...svcParent, rules: [{ backendRefs: [backend('reviews-v1'), backend('reviews-v2')] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, backends: ['reviews-v1.shop.svc.cluster.local||50', 'reviews-v2.shop.svc.cluster.local||50'] } },
  { name: 'HTTPRoute: the more specific match wins regardless of rule order', source: SORT, intuition: 'HTTPRoute rules are tried in order like VirtualService rules; precedence is by specificity',
    docs: [...CANARY, route({ ...svcParent, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [backend('reviews-v1')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [backend('reviews-v2')] }] })],
    request: { from: FROM, to: TO, path: '/api/x' }, expect: { allowed: true, route: { resource: 'HTTPRoute shop/reviews', rule: 1 } } },
  { name: 'HTTPRoute: PathPrefix matches whole path segments', source: HR,
    docs: [...CANARY, route({ ...svcParent, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [backend('reviews-v2')] }] })],
    request: { from: FROM, to: TO, path: '/apix' }, expect: { allowed: false, route: null } },
  { name: 'HTTPRoute: a header match beats a plain rule', source: SORT,
    docs: [...CANARY, route({ ...svcParent, rules: [{ backendRefs: [backend('reviews-v1')] }, { matches: [{ headers: [{ name: 'x-canary', value: 'true' }] }], backendRefs: [backend('reviews-v2')] }] })],
    request: { from: FROM, to: TO, headers: { 'x-canary': 'true' } }, expect: { allowed: true, route: { resource: 'HTTPRoute shop/reviews', rule: 1 } } },
  { name: 'HTTPRoute: timeouts.request and Istio\'s default retries', source: HR,
    docs: [...CANARY, route({ ...svcParent, rules: [{ backendRefs: [backend('reviews-v1')], timeouts: { request: '3s' } }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, timeoutMs: 3000, retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' } } },
  { name: 'HTTPRoute: a consumer route applies only to callers of its namespace', source: GAMMA,
    docs: [...CANARY, ns('web'), route({ parentRefs: [{ group: '', kind: 'Service', name: 'reviews', namespace: 'shop' }], rules: [{ backendRefs: [{ name: 'reviews-v2', namespace: 'shop', port: 9080 }] }] }, 'consumer', 'web')],
    request: { from: FROM, to: TO }, expect: { allowed: true, route: { resource: 'Service shop/reviews' } } },
  { name: 'HTTPRoute and VirtualService for one host: the HTTPRoute wins for callers in its namespace', source: SELECT,
    docs: [...CANARY, vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews-v1' } }] }] }),
      route({ ...svcParent, rules: [{ backendRefs: [backend('reviews-v2')] }] })],
    request: { from: FROM, to: TO }, expect: { allowed: true, route: { resource: 'HTTPRoute shop/reviews', rule: 0 } } },
  { name: 'HTTPRoute and VirtualService for one host: for other namespaces the older wins', source: SELECT,
    docs: [...CANARY, ns('web'), vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews-v1' } }] }] }, 'reviews', { creationTimestamp: '2026-01-01T00:00:00Z' }),
      route({ ...svcParent, rules: [{ backendRefs: [backend('reviews-v2')] }] }, 'reviews', 'shop', { creationTimestamp: '2026-02-01T00:00:00Z' })],
    request: { from: { namespace: 'web' }, to: { host: 'reviews.shop', port: 9080 } }, expect: { allowed: true, route: { resource: 'VirtualService shop/reviews', rule: 0 } } },
  { name: 'HTTPRoute and VirtualService without creation times: unknown for other namespaces', source: SELECT,
    docs: [...CANARY, ns('web'), vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews-v1' } }] }] }), route({ ...svcParent, rules: [{ backendRefs: [backend('reviews-v2')] }] })],
    request: { from: { namespace: 'web' }, to: { host: 'reviews.shop', port: 9080 } }, expect: { allowed: false, unknown: 'the older one wins' } },
  { name: 'ambient without a waypoint: no HTTP routing (ztunnel)', source: AMBIENT_L7, intuition: 'an HTTPRoute routes every caller; in ambient only a waypoint applies it',
    docs: [ns('pay', 'ambient'), svc('pay', 'reviews', 9080), svc('pay', 'reviews-v2', 9080, { selector: { app: 'reviews', version: 'v2' } }),
      route({ parentRefs: [{ group: '', kind: 'Service', name: 'reviews' }], rules: [{ backendRefs: [backend('reviews-v2')] }] }, 'reviews', 'pay')],
    request: { from: { namespace: 'pay' }, to: { host: 'reviews.pay', port: 9080 } }, expect: { allowed: true, route: { resource: 'Service pay/reviews' } } },
  { name: 'ambient with a waypoint: the waypoint applies the HTTPRoute', source: AMBIENT_L7,
    docs: [ns('pay', 'ambient', { 'istio.io/use-waypoint': 'waypoint' }), waypoint('pay'), svc('pay', 'reviews', 9080), svc('pay', 'reviews-v2', 9080, { selector: { app: 'reviews', version: 'v2' } }),
      route({ parentRefs: [{ group: '', kind: 'Service', name: 'reviews' }], rules: [{ backendRefs: [backend('reviews-v2')] }] }, 'reviews', 'pay')],
    request: { from: { namespace: 'pay' }, to: { host: 'reviews.pay', port: 9080 } }, expect: { allowed: true, route: { resource: 'HTTPRoute pay/reviews', rule: 0 }, backends: ['reviews-v2.pay.svc.cluster.local||100'] } },
];
