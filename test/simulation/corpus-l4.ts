import { ap, deploy, ns, principal, svc } from './builders';
import { SimCase } from './cases';

// TCP and TLS routes, TCP authorization, and ServiceEntry/WorkloadEntry endpoints. Sources:
const VS_TCP = 'https://istio.io/latest/docs/reference/config/networking/virtual-service/#TCPRoute';
const VS_TLS = 'https://istio.io/latest/docs/reference/config/networking/virtual-service/#TLSRoute';
const TLS_GO = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/networking/core/tls.go';
const CONV = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/config/kube/gateway/conversion.go';
const TCPROUTE = 'https://gateway-api.sigs.k8s.io/reference/spec/#tcproute';
const TLSROUTE = 'https://gateway-api.sigs.k8s.io/guides/tls/#tls-passthrough';
const PASSTHROUGH = 'https://istio.io/latest/docs/tasks/traffic-management/ingress/ingress-sni-passthrough/';
const TCP_AUTHZ = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/security/authz/model/model.go';
const TCP_TASK = 'https://istio.io/latest/docs/tasks/security/authorization/authz-tcp/';
const SE = 'https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-workload_selector';
const SE_CONV = 'https://github.com/istio/istio/blob/1.30.3/pilot/pkg/serviceregistry/serviceentry/conversion.go';
const PROTO = 'https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/';

const DB = 'db.shop.svc.cluster.local';
const FROM = { namespace: 'shop', serviceAccount: 'app' };
const db = (portName: string) => [ns('shop'), svc('shop', 'db', 5432, { portName }), deploy('shop', 'db-v1', { app: 'db', version: 'v1' }, { ports: [{ containerPort: 5432 }] }),
  deploy('shop', 'db-v2', { app: 'db', version: 'v2' }, { ports: [{ containerPort: 5432 }] }),
  { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'db', namespace: 'shop' },
    spec: { host: 'db', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } }];
const vs = (spec: object, name = 'db', namespace = 'shop'): object => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace }, spec });
const split = [{ destination: { host: 'db', subset: 'v1' }, weight: 80 }, { destination: { host: 'db', subset: 'v2' }, weight: 20 }];
const versionSvcs = [svc('shop', 'db-v1', 5432, { portName: 'tcp', selector: { app: 'db', version: 'v1' } }), svc('shop', 'db-v2', 5432, { portName: 'tcp', selector: { app: 'db', version: 'v2' } })];
const gwRoute = (kind: string, spec: object, name = 'db'): object => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name, namespace: 'shop' }, spec });
const apiGateway = (listeners: object[]): object => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'shop' }, spec: { gatewayClassName: 'istio', listeners } });
const istioGateway = (servers: object[]): object => ({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'shop' }, spec: { selector: { istio: 'ingressgateway' }, servers } });

const VM_BASE = [ns('db'), ns('shop'),
  { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'legacy-db', namespace: 'db' },
    spec: { hosts: ['legacy-db.db.svc.cluster.local'], location: 'MESH_INTERNAL', ports: [{ number: 5432, name: 'tcp-postgres', protocol: 'TCP' }], resolution: 'STATIC', workloadSelector: { labels: { app: 'legacy-db' } } } },
  { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'legacy-db-1', namespace: 'db' },
    spec: { address: '10.0.0.12', labels: { app: 'legacy-db' }, serviceAccount: 'legacy-db', ports: { 'tcp-postgres': 15432 } } }];
const VM_ONLY_RATINGS = ap('db', 'allow-ratings', { selector: { matchLabels: { app: 'legacy-db' } }, rules: [{ from: [{ source: { principals: [principal('shop', 'ratings')] } }] }] });

const GRANT = 'https://gateway-api.sigs.k8s.io/api-types/referencegrant/';
const XNS = [ns('edge'), ns('shop'), svc('shop', 'web', 80),
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'edge' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'edge' }, spec: { parentRefs: [{ name: 'public' }], rules: [{ backendRefs: [{ name: 'web', namespace: 'shop', port: 80 }] }] } }];
const grant = { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'from-edge', namespace: 'shop' },
  spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'edge' }], to: [{ group: '', kind: 'Service' }] } };

/** TCP/TLS and ServiceEntry endpoint cases. */
export const L4: SimCase[] = [
  { name: 'a cross-namespace backendRef with a ReferenceGrant in the backend namespace is used', source: GRANT,
    docs: [...XNS, grant], request: { via: { gateway: 'edge/public' }, to: { host: 'www.example.com', port: 80 } },
    expect: { allowed: true, route: { resource: 'HTTPRoute edge/web', rule: 0 }, backends: ['web.shop.svc.cluster.local||100'] } },
  { name: 'a cross-namespace backendRef without a ReferenceGrant is dropped (500)', source: CONV,
    intuition: 'a route may name any Service by namespace; without a ReferenceGrant istiod drops the backend',
    docs: XNS, request: { via: { gateway: 'edge/public' }, to: { host: 'www.example.com', port: 80 } },
    expect: { allowed: false, action: 'DEFAULT_DENY', route: null } },
  { name: 'TCP port: the VirtualService tcp rule splits 80/20 between subsets', source: VS_TCP,
    docs: [...db('tcp'), vs({ hosts: ['db'], tcp: [{ route: split }] })],
    request: { from: FROM, to: { host: 'db', port: 5432 } },
    expect: { allowed: true, route: { resource: 'VirtualService shop/db', rule: 0 }, backends: [`${DB}|v1|80`, `${DB}|v2|20`], retries: { attempts: 0 } } },
  { name: 'TCP port: http rules of the VirtualService do not apply; without a tcp rule the Service is the destination', source: TLS_GO,
    intuition: 'the VirtualService routes every connection to its host; on a TCP port only its tcp rules apply',
    docs: [...db('tcp-postgres'), vs({ hosts: ['db'], http: [{ route: [{ destination: { host: 'db', subset: 'v2' } }] }] })],
    request: { from: FROM, to: { host: 'db', port: 5432 } },
    expect: { allowed: true, route: { resource: 'Service shop/db' }, backends: [`${DB}||100`], retries: { attempts: 0 } } },
  { name: 'TCP: a tcp match on another port is skipped, the next rule applies', source: VS_TCP,
    docs: [...db('mysql'), vs({ hosts: ['db'], tcp: [{ match: [{ port: 3306 }], route: [{ destination: { host: 'db', subset: 'v2' } }] }, { route: [{ destination: { host: 'db', subset: 'v1' } }] }] })],
    request: { from: FROM, to: { host: 'db', port: 5432 } },
    expect: { allowed: true, route: { resource: 'VirtualService shop/db', rule: 1 }, backends: [`${DB}|v1|100`] } },
  { name: 'TLS port: the tls rule whose sniHosts list the SNI routes the connection', source: VS_TLS,
    docs: [...db('tls'), vs({ hosts: ['db'], tls: [{ match: [{ sniHosts: [DB] }], route: split }] })],
    request: { from: FROM, to: { host: DB, port: 5432 } },
    expect: { allowed: true, route: { resource: 'VirtualService shop/db', rule: 0 }, backends: [`${DB}|v1|80`, `${DB}|v2|20`] } },
  { name: 'TLS port: with tls rules and none for this SNI, no filter chain matches (the connection is closed)', source: TLS_GO,
    intuition: 'an SNI no rule lists falls back to the Service; once tls rules exist, Istio builds no default filter chain',
    docs: [...db('https'), vs({ hosts: ['db', 'db.example.com'], tls: [{ match: [{ sniHosts: ['db.example.com'] }], route: split }] })],
    request: { from: FROM, to: { host: DB, port: 5432 } },
    expect: { allowed: false, action: 'DEFAULT_DENY', route: null } },
  { name: 'appProtocol tcp makes an http-named port TCP', source: PROTO,
    docs: [ns('shop'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { selector: { app: 'db' }, ports: [{ name: 'http', appProtocol: 'tcp', port: 5432 }] } },
      deploy('shop', 'db', { app: 'db' }), vs({ hosts: ['db'], tcp: [{ route: [{ destination: { host: 'db' } }] }] })],
    request: { from: FROM, to: { host: 'db', port: 5432 } },
    expect: { allowed: true, route: { resource: 'VirtualService shop/db', rule: 0 } } },
  { name: 'TCPRoute with a Service parent: weights default to 1 (50/50) to per-version Services', source: CONV,
    docs: [...db('tcp'), ...versionSvcs, gwRoute('TCPRoute', { parentRefs: [{ group: '', kind: 'Service', name: 'db', port: 5432 }], rules: [{ backendRefs: [{ name: 'db-v1', port: 5432 }, { name: 'db-v2', port: 5432 }] }] })],
    request: { from: FROM, to: { host: 'db', port: 5432 } },
    expect: { allowed: true, route: { resource: 'TCPRoute shop/db', rule: 0 }, backends: ['db-v1.shop.svc.cluster.local||50', 'db-v2.shop.svc.cluster.local||50'] } },
  { name: 'TCPRoute whose backends all have weight 0 rejects the connection', source: TCPROUTE,
    docs: [...db('tcp'), ...versionSvcs, gwRoute('TCPRoute', { parentRefs: [{ group: '', kind: 'Service', name: 'db', port: 5432 }], rules: [{ backendRefs: [{ name: 'db-v1', port: 5432, weight: 0 }] }] })],
    request: { from: FROM, to: { host: 'db', port: 5432 } },
    expect: { allowed: false, action: 'DEFAULT_DENY', route: null } },
  { name: 'Gateway API TLS passthrough: the TLSRoute whose hostnames cover the SNI', source: TLSROUTE,
    docs: [...db('tls'), ...versionSvcs, apiGateway([{ name: 'tls', port: 443, protocol: 'TLS', hostname: 'db.example.com', tls: { mode: 'Passthrough' } }]),
      gwRoute('TLSRoute', { parentRefs: [{ name: 'edge' }], hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: 'db-v1', port: 5432, weight: 9 }, { name: 'db-v2', port: 5432, weight: 1 }] }] })],
    request: { via: { gateway: 'shop/edge' }, to: { host: 'db.example.com', port: 443 } },
    expect: { allowed: true, route: { resource: 'TLSRoute shop/db', rule: 0 }, backends: ['db-v1.shop.svc.cluster.local||90', 'db-v2.shop.svc.cluster.local||10'] } },
  { name: 'Gateway API TCP listener: the attached TCPRoute', source: TCPROUTE,
    docs: [...db('tcp'), apiGateway([{ name: 'tcp', port: 9000, protocol: 'TCP' }]),
      gwRoute('TCPRoute', { parentRefs: [{ name: 'edge', sectionName: 'tcp' }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] })],
    request: { via: { gateway: 'shop/edge' }, to: { host: 'anything.example.com', port: 9000 } },
    expect: { allowed: true, route: { resource: 'TCPRoute shop/db', rule: 0 }, backends: [`${DB}||100`] } },
  { name: 'Istio Gateway PASSTHROUGH server: the bound VirtualService tls rule for the SNI', source: PASSTHROUGH,
    docs: [...db('tls'), istioGateway([{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['db.example.com'], tls: { mode: 'PASSTHROUGH' } }]),
      vs({ hosts: ['db.example.com'], gateways: ['edge'], tls: [{ match: [{ sniHosts: ['db.example.com'] }], route: [{ destination: { host: 'db', port: { number: 5432 } } }] }] }, 'db-ingress')],
    request: { via: { gateway: 'shop/edge' }, to: { host: 'db.example.com', port: 443 } },
    expect: { allowed: true, route: { resource: 'VirtualService shop/db-ingress', rule: 0 }, backends: [`${DB}||100`] } },
  { name: 'Istio Gateway TCP server: the bound VirtualService tcp rule', source: 'https://istio.io/latest/docs/tasks/traffic-management/tcp-traffic-shifting/',
    docs: [...db('tcp'), istioGateway([{ port: { number: 31400, name: 'tcp', protocol: 'TCP' }, hosts: ['*'] }]),
      vs({ hosts: ['*'], gateways: ['edge'], tcp: [{ match: [{ port: 31400 }], route: split }] }, 'db-ingress')],
    request: { via: { gateway: 'shop/edge' }, to: { host: 'db.example.com', port: 31400 } },
    expect: { allowed: true, route: { resource: 'VirtualService shop/db-ingress', rule: 0 }, backends: [`${DB}|v1|80`, `${DB}|v2|20`] } },
  { name: 'TCP at a sidecar: an ALLOW rule with methods is dropped, so nothing is allowed', source: TCP_TASK,
    intuition: 'methods cannot apply to TCP, so the rule allows every connection; Istio drops the whole ALLOW rule',
    docs: [...db('tcp'), ap('shop', 'allow-get', { selector: { matchLabels: { app: 'db' } }, rules: [{ from: [{ source: { namespaces: ['shop'] } }], to: [{ operation: { methods: ['GET'] } }] }] })],
    request: { from: FROM, to: { host: 'db', port: 5432 } },
    expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'sidecar' } },
  { name: 'TCP at a sidecar: a DENY rule with only methods denies every connection (the HTTP field is ignored)', source: TCP_AUTHZ,
    intuition: 'a DENY of POST leaves other connections alone; on TCP the HTTP field is ignored and the DENY gets wider',
    docs: [...db('tcp'), ap('shop', 'deny-post', { selector: { matchLabels: { app: 'db' } }, action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] })],
    request: { from: FROM, to: { host: 'db', port: 5432 } },
    expect: { allowed: false, action: 'DENY', policy: 'shop/deny-post', rule: 0, enforcedAt: 'sidecar' } },
  { name: 'TCP at a sidecar: an ALLOW on principals and ports works', source: TCP_TASK,
    docs: [...db('tcp'), ap('shop', 'allow-app', { selector: { matchLabels: { app: 'db' } }, rules: [{ from: [{ source: { principals: [principal('shop', 'app')] } }], to: [{ operation: { ports: ['5432'] } }] }] })],
    request: { from: FROM, to: { host: 'db', port: 5432 } },
    expect: { allowed: true, action: 'ALLOW', policy: 'shop/allow-app', rule: 0, enforcedAt: 'sidecar' } },
  { name: 'MESH_INTERNAL ServiceEntry with a workloadSelector: the VM\'s sidecar enforces the policy selecting its WorkloadEntry labels', source: SE,
    docs: [...VM_BASE, VM_ONLY_RATINGS],
    request: { from: { namespace: 'shop', serviceAccount: 'ratings' }, to: { host: 'legacy-db.db.svc.cluster.local', port: 5432 } },
    expect: { allowed: true, action: 'ALLOW', policy: 'db/allow-ratings', enforcedAt: 'sidecar', route: { resource: 'ServiceEntry db/legacy-db' }, backends: ['legacy-db.db.svc.cluster.local||100'] } },
  { name: 'MESH_INTERNAL ServiceEntry: another caller is denied at the VM', source: SE,
    intuition: 'a ServiceEntry is outside the mesh, so no policy applies; MESH_INTERNAL endpoints run a sidecar that enforces them',
    docs: [...VM_BASE, VM_ONLY_RATINGS],
    request: { from: { namespace: 'shop', serviceAccount: 'reviews' }, to: { host: 'legacy-db.db', port: 5432 } },
    expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'sidecar' } },
  { name: 'WorkloadEntry ports map the ServiceEntry port name to the endpoint port (policies see 15432)', source: SE_CONV,
    docs: [...VM_BASE, ap('db', 'allow-5432', { selector: { matchLabels: { app: 'legacy-db' } }, rules: [{ to: [{ operation: { ports: ['5432'] } }] }] })],
    request: { from: { namespace: 'shop', serviceAccount: 'ratings' }, to: { host: 'legacy-db.db.svc.cluster.local', port: 5432 } },
    expect: { allowed: false, action: 'DEFAULT_DENY', enforcedAt: 'sidecar' } },
];
