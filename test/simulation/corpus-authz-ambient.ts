import { ap, app, deploy, ns, pa, principal, ra, svc, toService, waypoint } from './builders';
import { SimCase } from './cases';

// Authorization in ambient namespaces: ztunnel (L4) and waypoints. Sources:
const L4 = 'https://istio.io/latest/docs/ambient/usage/l4-policy/';
const L7 = 'https://istio.io/latest/docs/ambient/usage/l7-features/';
const CONVERT = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/serviceregistry/ambient/authorization.go';
const RBAC = 'https://github.com/istio/ztunnel/blob/1.30.3/src/rbac.rs';
const ATTACH = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/model/policyattachment.go';
const INGRESS = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/xds/endpoints/endpoint_builder.go';
const WP_PORTS = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/networking/core/listener_waypoint.go';
const WAYPOINT = 'https://istio.io/latest/docs/ambient/usage/waypoint/';

const AMB = [ns('pay', 'ambient'), svc('pay', 'checkout', 8080), deploy('pay', 'checkout', { app: 'checkout' })];
const WP = [ns('pay', 'ambient', { 'istio.io/use-waypoint': 'waypoint' }), waypoint('pay'), svc('pay', 'checkout', 8080), deploy('pay', 'checkout', { app: 'checkout' })];
const AMBIENT_CALLER = { namespace: 'pay', serviceAccount: 'web' };
const TO = { host: 'checkout.pay.svc.cluster.local', port: 8080 };
const allowWaypointAtZtunnel = ap('pay', 'allow-waypoint', { rules: [{ from: [{ source: { principals: [principal('pay', 'waypoint')] } }] }] });

/** Ambient authorization cases. */
export const AMBIENT_AUTHZ: SimCase[] = [
  { name: 'ztunnel enforces an L4 ALLOW on principals', source: L4,
    docs: [...AMB, ap('pay', 'allow', { ...app('checkout'), rules: [{ from: [{ source: { principals: [principal('pay', 'web')] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO }, expect: { allowed: true, action: 'ALLOW', policy: 'pay/allow', enforcedAt: 'ztunnel' } },
  { name: 'ztunnel: a selector ALLOW with methods never matches (deny)', source: CONVERT,
    intuition: 'an ALLOW for GET looks like it allows GET; at ztunnel the HTTP rule is dropped and nothing is allowed',
    docs: [...AMB, ap('pay', 'allow-get', { ...app('checkout'), rules: [{ from: [{ source: { principals: [principal('pay', 'web')] } }], to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO }, expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'ztunnel' } },
  { name: 'ztunnel: an ALLOW on a port with methods is dropped whole, the port part does not survive', source: CONVERT,
    docs: [...AMB, ap('pay', 'allow', { ...app('checkout'), rules: [{ to: [{ operation: { ports: ['8080'], methods: ['GET'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, method: 'GET' }, expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'ztunnel' } },
  { name: 'ztunnel: a DENY with only HTTP fields does nothing', source: RBAC,
    intuition: 'a DENY of POST looks like it blocks POST; ztunnel drops the HTTP fields and the empty match never matches',
    docs: [...AMB, ap('pay', 'deny-post', { ...app('checkout'), action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, method: 'POST' }, expect: { allowed: true, action: 'DEFAULT_ALLOW', enforcedAt: 'ztunnel' } },
  { name: 'ztunnel: a DENY with L4 and HTTP fields is enforced on the L4 part (more restrictive)', source: CONVERT,
    intuition: 'a DENY of POST on port 8080 looks like it only blocks POST; ztunnel blocks every method on 8080',
    docs: [...AMB, ap('pay', 'deny', { ...app('checkout'), action: 'DENY', rules: [{ to: [{ operation: { ports: ['8080'], methods: ['POST'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, method: 'GET' }, expect: { allowed: false, action: 'DENY', policy: 'pay/deny', enforcedAt: 'ztunnel' } },
  { name: 'ztunnel ignores RequestAuthentication: a requestPrincipals ALLOW denies even with a token', source: L7,
    docs: [...AMB, ra('pay', 'jwt', { ...app('checkout'), jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks' }] }),
      ap('pay', 'jwt', { ...app('checkout'), rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, jwt: { issuer: 'https://auth.example.com' } }, expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'ztunnel' } },
  { name: 'ztunnel: a namespace-wide allow-nothing denies', source: L4, docs: [...AMB, ap('pay', 'allow-nothing', {})],
    request: { from: AMBIENT_CALLER, to: TO }, expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'ztunnel' } },
  { name: 'ztunnel ignores CUSTOM policies', source: CONVERT,
    docs: [...AMB, ap('pay', 'ext', { ...app('checkout'), action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] })],
    request: { from: AMBIENT_CALLER, to: TO }, expect: { allowed: true, action: 'DEFAULT_ALLOW', enforcedAt: 'ztunnel' } },
  { name: 'ztunnel: STRICT refuses a plaintext caller', source: 'https://istio.io/latest/docs/reference/config/security/peer_authentication/',
    docs: [...AMB, pa('pay', 'default', { mtls: { mode: 'STRICT' } })], request: { from: { namespace: 'legacy', plaintext: true }, to: TO },
    expect: { allowed: false, action: 'DENY', policy: 'pay/default', enforcedAt: 'ztunnel' } },
  { name: 'waypoint enforces an L7 targetRefs ALLOW', source: L7,
    docs: [...WP, ap('pay', 'get', { ...toService('checkout'), rules: [{ from: [{ source: { principals: [principal('pay', 'web')] } }], to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO }, expect: { allowed: true, action: 'ALLOW', policy: 'pay/get', enforcedAt: 'waypoint' } },
  { name: 'waypoint denies a method its only ALLOW does not list', source: L7,
    docs: [...WP, ap('pay', 'get', { ...toService('checkout'), rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, method: 'DELETE' }, expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'waypoint' } },
  { name: 'behind a waypoint ztunnel sees the waypoint\'s identity: an ALLOW for the original caller denies', source: L7,
    intuition: 'the destination still sees the client; behind a waypoint ztunnel sees the waypoint\'s service account',
    docs: [...WP, ap('pay', 'allow-web', { ...app('checkout'), rules: [{ from: [{ source: { principals: [principal('pay', 'web')] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO }, expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'ztunnel' } },
  { name: 'behind a waypoint an ALLOW for the waypoint\'s identity at ztunnel lets the traffic in', source: L7,
    docs: [...WP, allowWaypointAtZtunnel], request: { from: AMBIENT_CALLER, to: TO }, expect: { allowed: true, action: 'DEFAULT_ALLOW', enforcedAt: 'waypoint' } },
  { name: 'a namespace-wide policy (no targetRefs) does not reach the waypoint', source: ATTACH,
    intuition: 'a namespace-wide DENY of DELETE looks like it applies to all traffic; waypoints never use selector policies',
    docs: [...WP, ap('pay', 'deny-delete', { action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, method: 'DELETE' }, expect: { allowed: true, action: 'DEFAULT_ALLOW', enforcedAt: 'waypoint' } },
  { name: 'a policy targeting the waypoint Gateway applies to all its Services', source: ATTACH,
    docs: [...WP, ap('pay', 'gw-allow-nothing', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }] })],
    request: { from: AMBIENT_CALLER, to: TO }, expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'waypoint' } },
  { name: 'a GatewayClass istio-waypoint policy in the root namespace applies to every waypoint', source: ATTACH,
    docs: [...WP, ap('istio-system', 'all-waypoints', { action: 'DENY', targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: 'istio-waypoint' }], rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, path: '/admin' }, expect: { allowed: false, action: 'DENY', policy: 'istio-system/all-waypoints', enforcedAt: 'waypoint' } },
  { name: 'a sidecar caller skips the waypoint: its L7 policy does not apply to it', source: INGRESS,
    intuition: 'a waypoint looks like it sees every caller of the Service; sidecars connect to the destination ztunnel directly',
    docs: [...WP, ns('shop'), ap('pay', 'deny-all-l7', { ...toService('checkout'), action: 'DENY', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: { namespace: 'shop', serviceAccount: 'productpage' }, to: TO }, expect: { allowed: true, action: 'DEFAULT_ALLOW', enforcedAt: 'ztunnel' } },
  { name: 'an ingress gateway skips the waypoint without istio.io/ingress-use-waypoint', source: INGRESS,
    docs: [...WP, ap('pay', 'get-only', { ...toService('checkout'), rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: { namespace: 'istio-ingress', serviceAccount: 'istio-ingress', gateway: true }, to: TO, method: 'POST' },
    expect: { allowed: true, action: 'DEFAULT_ALLOW', enforcedAt: 'ztunnel' } },
  { name: 'an ingress gateway uses the waypoint with istio.io/ingress-use-waypoint: "true"', source: INGRESS,
    docs: [ns('pay', 'ambient', { 'istio.io/use-waypoint': 'waypoint', 'istio.io/ingress-use-waypoint': 'true' }), waypoint('pay'), svc('pay', 'checkout', 8080),
      ap('pay', 'get-only', { ...toService('checkout'), rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: { namespace: 'istio-ingress', serviceAccount: 'istio-ingress', gateway: true }, to: TO, method: 'POST' },
    expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'waypoint' } },
  { name: 'ports at a waypoint are Service ports', source: WP_PORTS,
    intuition: 'authorization ports are container ports everywhere; a waypoint matches the Service port',
    docs: [ns('pay', 'ambient', { 'istio.io/use-waypoint': 'waypoint' }), waypoint('pay'), svc('pay', 'web', 80, { targetPort: 8080 }),
      ap('pay', 'p80', { ...toService('web'), rules: [{ to: [{ operation: { ports: ['80'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: { host: 'web.pay', port: 80 } }, expect: { allowed: true, action: 'ALLOW', policy: 'pay/p80', enforcedAt: 'waypoint' } },
  { name: 'a Service label istio.io/use-waypoint binds just that Service', source: WAYPOINT,
    docs: [ns('pay', 'ambient'), waypoint('pay'), svc('pay', 'checkout', 8080, { labels: { 'istio.io/use-waypoint': 'waypoint' } }),
      ap('pay', 'get-only', { ...toService('checkout'), rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, method: 'PUT' }, expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'waypoint' } },
  { name: 'istio.io/use-waypoint: none on the Service opts out of the namespace waypoint', source: WAYPOINT,
    docs: [ns('pay', 'ambient', { 'istio.io/use-waypoint': 'waypoint' }), waypoint('pay'), svc('pay', 'checkout', 8080, { labels: { 'istio.io/use-waypoint': 'none' } }),
      ap('pay', 'get-only', { ...toService('checkout'), rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, method: 'PUT' }, expect: { allowed: true, action: 'DEFAULT_ALLOW', enforcedAt: 'ztunnel' } },
  { name: 'a waypoint for workload traffic only does not serve the Service', source: WAYPOINT,
    docs: [ns('pay', 'ambient', { 'istio.io/use-waypoint': 'waypoint' }), waypoint('pay', 'waypoint', 'workload'), svc('pay', 'checkout', 8080),
      ap('pay', 'get-only', { ...toService('checkout'), rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, method: 'PUT' }, expect: { allowed: true, action: 'DEFAULT_ALLOW', enforcedAt: 'ztunnel' } },
  { name: 'the waypoint validates tokens (RequestAuthentication with targetRefs)', source: L7,
    docs: [...WP, allowWaypointAtZtunnel, ra('pay', 'jwt', { ...toService('checkout'), jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks' }] }),
      ap('pay', 'need-jwt', { ...toService('checkout'), rules: [{ from: [{ source: { requestPrincipals: ['https://auth.example.com/*'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO, jwt: { issuer: 'https://auth.example.com', subject: 'u1' } },
    expect: { allowed: true, action: 'ALLOW', policy: 'pay/need-jwt', enforcedAt: 'waypoint' } },
  { name: 'the waypoint denies a request without the token its ALLOW requires', source: L7,
    docs: [...WP, allowWaypointAtZtunnel, ra('pay', 'jwt', { ...toService('checkout'), jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks' }] }),
      ap('pay', 'need-jwt', { ...toService('checkout'), rules: [{ from: [{ source: { requestPrincipals: ['https://auth.example.com/*'] } }] }] })],
    request: { from: AMBIENT_CALLER, to: TO }, expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'waypoint' } },
];
