import { MeshSimulation } from '../../lib';
import { AMBIENT_AUTHZ } from './corpus-authz-ambient';
import { SIDECAR_AUTHZ } from './corpus-authz-sidecar';
import { GAPS } from './corpus-gaps';
import { L4 } from './corpus-l4';
import { ROUTING } from './corpus-routing';
import { SimCase } from './cases';

// The simulator corpus: (manifests, request, expected decision/route) cases written from the Istio
// and Gateway API docs and sources; each case names its source, and the ones where the tutorial
// intuition is wrong say which intuition.

const CORPUS: Array<[string, SimCase[]]> = [
  ['authorization (sidecar)', SIDECAR_AUTHZ],
  ['authorization (ambient)', AMBIENT_AUTHZ],
  ['routing', ROUTING],
  ['semantics gaps (ingress, hosts, matches, unknowns)', GAPS],
  ['TCP/TLS and ServiceEntry endpoints', L4],
];

describe.each(CORPUS)('simulator corpus: %s', (_title, cases) => {
  test.each(cases.map(c => [c.name, c] as const))('%s', (_name, c) => {
    // GIVEN
    const mesh = MeshSimulation.fromManifests(c.docs);
    // WHEN
    const r = mesh.request(c.request);
    // THEN
    const e = c.expect;
    const got: Record<string, unknown> = { allowed: r.allowed };
    const want: Record<string, unknown> = { allowed: e.allowed };
    for (const k of ['action', 'policy', 'rule', 'enforcedAt'] as const) {
      if (e[k] !== undefined) {
        got[k] = (r.decision as any)[k];
        want[k] = e[k];
      }
    }
    if (e.unknown !== undefined) {
      got.unknown = r.unknown?.includes(e.unknown) ? e.unknown : r.unknown;
      want.unknown = e.unknown;
    }
    if (e.route !== undefined) {
      got.route = r.route ? { resource: r.route.resource, ...(e.route?.rule !== undefined ? { rule: r.route.rule } : {}) } : null;
      want.route = e.route;
    }
    if (e.backends !== undefined) {
      got.backends = (r.route?.backends ?? []).map(b => `${b.host}|${b.subset ?? ''}|${b.percent}`);
      want.backends = e.backends;
    }
    for (const k of ['retries', 'timeoutMs', 'mirror', 'redirect', 'rewrite', 'directResponse'] as const) {
      if (e[k] !== undefined) {
        // A case writes `timeoutMs: null` for "no timeout" (RouteResult leaves timeoutMs out).
        got[k] = k === 'timeoutMs' ? r.route?.timeoutMs ?? null : (r.route as any)?.[k];
        want[k] = e[k];
      }
    }
    expect(got).toEqual(want);
  });
});

test('the corpus has at least 60 cases, each with a source, and at least 10 where the intuition is wrong', () => {
  const all = CORPUS.flatMap(([, cases]) => cases);
  expect(all.filter(c => !/^https:\/\//.test(c.source))).toEqual([]);
  expect(all.length).toBeGreaterThanOrEqual(60);
  expect(all.filter(c => c.intuition).length).toBeGreaterThanOrEqual(10);
  expect(new Set(all.map(c => c.name)).size).toBe(all.length);
});

// Every bullet of "Semantics to model" (issue #14), item by item, and the corpus cases that pin it.
// A case name that does not exist, or an item without a case, fails the test below.
const SEMANTICS: Record<string, string[]> = {
  'authorization: PeerAuthentication STRICT / PERMISSIVE / DISABLE per workload and port, namespace and mesh-wide (root namespace)': [
    'PeerAuthentication STRICT refuses a plaintext caller', 'mTLS PERMISSIVE (no PeerAuthentication) accepts a plaintext caller',
    'DISABLE: a mesh caller sends plaintext, so a principal ALLOW no longer matches', 'a workload PeerAuthentication overrides the namespace one',
    'portLevelMtls applies to the container port', 'mesh-wide STRICT in the root namespace', 'ztunnel: STRICT refuses a plaintext caller'],
  'authorization: CUSTOM -> DENY -> ALLOW; no ALLOW policy = allow; any ALLOW policy = allow only on match': [
    'CUSTOM is evaluated first and its answer is unknown offline', 'DENY wins over a matching ALLOW', 'no policy: allowed by default',
    'a principal not named by the only ALLOW is denied', 'ALLOW policies are ORed: a second ALLOW admits more callers'],
  'authorization: `spec: {}` allows nothing, `rules: [{}]` allows everything': ['allow-nothing `spec: {}` denies everything', '`rules: [{}]` allows everything'],
  'authorization: from/to/when ANDed across, ORed within, not* fields': [
    'fields inside one source are ANDed', 'entries of `from` are ORed', '`from` and `to` are ANDed: the right caller with the wrong method is denied',
    'notNamespaces excludes a namespace', 'notPaths: everything but /admin', 'when: source.namespace notValues', 'when: request.headers'],
  'authorization: principals, namespaces, requestPrincipals, methods, paths (exact, prefix, suffix), ports, hosts': [
    'prefix principal `cluster.local/ns/shop/*`', 'suffix principal `*/sa/productpage`', 'namespaces: a caller of the named namespace',
    'a valid token gives the request principal `<iss>/<sub>`', 'paths: exact does not match a sub-path', 'paths: prefix `/api/*` matches `/api/x` (query string ignored)',
    'paths: suffix `*.html`', 'ports are container ports at a sidecar: the Service port 80 does not match', 'hosts match the Host header case-insensitively',
    'waypoint denies a method its only ALLOW does not list'],
  'authorization: root-namespace policies apply mesh-wide': ['a root-namespace policy without selector applies to every namespace', 'a GatewayClass istio-waypoint policy in the root namespace applies to every waypoint'],
  'authorization: selector vs targetRefs': ['a selector that does not select the workload does not apply', 'targetRefs policies are ignored by sidecars', 'a namespace-wide policy (no targetRefs) does not reach the waypoint'],
  'authorization: RequestAuthentication rejects an invalid token, not a missing one': [
    'RequestAuthentication rejects an invalid token', 'RequestAuthentication alone does not require a token', 'requestPrincipals with a DENY on notRequestPrincipals requires a token',
    'a token of the wrong audience is rejected'],
  'ambient: ztunnel is L4 only (selector ALLOW with L7 attributes denies; DENY with only L7 fields does nothing)': [
    'ztunnel: a selector ALLOW with methods never matches (deny)', 'ztunnel: a DENY with only HTTP fields does nothing', 'ztunnel enforces an L4 ALLOW on principals'],
  'ambient: waypoint-bound services (Namespace or Service istio.io/use-waypoint) get L7 policies with targetRefs': [
    'waypoint enforces an L7 targetRefs ALLOW', 'a Service label istio.io/use-waypoint binds just that Service', 'istio.io/use-waypoint: none on the Service opts out of the namespace waypoint',
    'the waypoint validates tokens (RequestAuthentication with targetRefs)'],
  'ambient: the source identity at the workload is the waypoint\'s service account': [
    'behind a waypoint ztunnel sees the waypoint\'s identity: an ALLOW for the original caller denies', 'behind a waypoint an ALLOW for the waypoint\'s identity at ztunnel lets the traffic in'],
  'ambient: which callers traverse the waypoint (1.30)': [
    'a sidecar caller skips the waypoint: its L7 policy does not apply to it', 'an ingress gateway skips the waypoint without istio.io/ingress-use-waypoint',
    'an ingress gateway uses the waypoint with istio.io/ingress-use-waypoint: "true"'],
  'routing: VirtualService hosts (FQDN, short names in the VirtualService namespace, wildcards)': [
    'a header match sends to its subset', 'a short VirtualService host resolves in the VirtualService\'s namespace, not the caller\'s', 'a wildcard host matches'],
  'routing: gateways (listing gateways drops mesh)': ['listing gateways drops the implicit mesh: mesh callers get the Service', 'ingress: an Istio Gateway and a VirtualService bound to it'],
  'routing: match conditions (uri exact/prefix/regex, headers, queryParams, method, port, sourceLabels, sourceNamespace, withoutHeaders)': [
    'uri exact matches only that path', 'queryParams, method and uri prefix are ANDed inside one match', 'uri regex is a full match (RE2)', 'regex header match is anchored (RE2 full match)',
    'a port match compares the port the caller addressed', 'sourceLabels match the caller\'s pod labels', 'sourceNamespace', 'withoutHeaders matches when the header is absent'],
  'routing: rule order, first match wins, no match = 404': ['first match wins even when a later rule is more specific', 'no catch-all last rule: an unmatched request gets 404'],
  'routing: weights relative -> percent; subsets from DestinationRule': ['weights are relative: 1 and 3 are 25% and 75%', 'a header match sends to its subset', 'an undefined subset is unknown (Istio answers 503)'],
  'routing: mirror + mirrorPercentage; rewrite, redirect, directResponse': [
    'mirror with mirrorPercentage', 'rewrite is reported', 'redirect answers without calling a backend (301 by default)', 'directResponse answers without calling a backend'],
  'routing: timeout (default none), retries (Istio default, attempts counts retries), fault disables retries and timeout': [
    'no route object: the Service, with Istio\'s default retries', 'retries.attempts counts retries, retryOn defaults to Istio\'s', 'fault injection turns off the rule\'s retries and timeout'],
  'routing: HTTPRoute parentRefs (Service / GAMMA; Gateway listener sectionName, hostnames, allowedRoutes)': [
    'HTTPRoute: a consumer route applies only to callers of its namespace', 'ingress: an HTTPRoute attached to a listener by sectionName routes through the Gateway',
    'ingress: a sectionName naming another listener does not attach: 404', 'ingress: a listener hostname that does not match the Host header: 404',
    'ingress: allowedRoutes defaults to Same: a route from another namespace is not attached'],
  'routing: HTTPRoute precedence by specificity, weights default 1, filters': [
    'HTTPRoute: the more specific match wins regardless of rule order', 'HTTPRoute: a header match beats a plain rule', 'HTTPRoute: weights default to 1',
    'HTTPRoute: a RequestRedirect filter answers with a redirect (302 by default), no backend is called'],
  'routing: a VirtualService and an HTTPRoute for one host: which wins': [
    'HTTPRoute and VirtualService for one host: the HTTPRoute wins for callers in its namespace', 'HTTPRoute and VirtualService for one host: for other namespaces the older wins'],
  'unknowns are explicit (no Service for the host, a CUSTOM provider, undecidable precedence)': [
    'a host with no Service or ServiceEntry in the set is unknown, not a guess', 'CUSTOM is evaluated first and its answer is unknown offline',
    'HTTPRoute and VirtualService without creation times: unknown for other namespaces', 'when: a source.ip condition is unknown offline'],
};

test('every item of "Semantics to model" is pinned by corpus cases that exist; sidecar and ambient both covered', () => {
  const all = CORPUS.flatMap(([, cases]) => cases);
  const names = new Set(all.map(c => c.name));
  const missing = Object.entries(SEMANTICS).flatMap(([item, cases]) => cases.filter(n => !names.has(n)).map(n => `${item}: no case "${n}"`));
  expect(missing).toEqual([]);
  expect(Object.entries(SEMANTICS).filter(([, cases]) => cases.length === 0).map(([item]) => item)).toEqual([]);
  expect(Object.keys(SEMANTICS)).toHaveLength(23);
  const ambient = CORPUS.find(([title]) => title === 'authorization (ambient)')![1];
  expect(ambient.length).toBeGreaterThanOrEqual(20);
});

test('corpus figures: cases, sources, and cases where the tutorial intuition is wrong', () => {
  const all = CORPUS.flatMap(([, cases]) => cases);
  expect({ cases: all.length, wrongIntuition: all.filter(c => c.intuition).length }).toEqual({ cases: 134, wrongIntuition: 33 });
});
