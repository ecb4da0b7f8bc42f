import { ApiObject, Duration } from 'cdk8s';
import { CanaryRoute, Identity, MeshError, MeshSimulation, RequestMatch, ResilientService, VmWorkload, ZeroTrustNamespace } from '../lib';
import { validateManifests } from '../lib/tools';
import { findAll, findOne, synthValid, testChart } from './util';

// VMs in the mesh: https://istio.io/latest/docs/setup/install/virtual-machine/ and
// https://istio.io/latest/docs/reference/config/networking/workload-entry/ (a ServiceEntry with
// workloadSelector selects WorkloadEntries of its namespace; MESH_INTERNAL keeps mTLS and identity).

const BASE = { name: 'legacy-db', namespace: 'db', serviceAccount: 'legacy-db', ports: [{ name: 'tcp-postgres', port: 5432 }] };

describe('VmWorkload: static instances', () => {
  test('one WorkloadEntry per instance and a MESH_INTERNAL STATIC ServiceEntry selecting them', () => {
    const { chart } = testChart();
    const vm = new VmWorkload(chart, 'legacy-db', { ...BASE, labels: { app: 'legacy-db' }, instances: [{ address: '10.0.0.12', network: 'vm-net' }, { address: '10.0.0.13' }] });
    const docs = synthValid(chart);
    expect(findAll(docs, 'WorkloadEntry')).toEqual([
      { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'legacy-db-1', namespace: 'db' },
        spec: { address: '10.0.0.12', labels: { app: 'legacy-db' }, serviceAccount: 'legacy-db', network: 'vm-net' } },
      { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'legacy-db-2', namespace: 'db' },
        spec: { address: '10.0.0.13', labels: { app: 'legacy-db' }, serviceAccount: 'legacy-db' } },
    ]);
    expect(findOne(docs, 'ServiceEntry')).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'legacy-db', namespace: 'db' },
      spec: {
        hosts: ['legacy-db.db.svc.cluster.local'],
        location: 'MESH_INTERNAL',
        ports: [{ number: 5432, name: 'tcp-postgres', protocol: 'TCP' }],
        resolution: 'STATIC',
        workloadSelector: { labels: { app: 'legacy-db' } },
      },
    });
    expect(findAll(docs, 'WorkloadGroup')).toEqual([]);
    expect([vm.host, vm.port, vm.identity.toPrincipal()]).toEqual(['legacy-db.db.svc.cluster.local', 5432, 'cluster.local/ns/db/sa/legacy-db']);
  });

  test('a DNS-named instance makes the ServiceEntry resolve by DNS; targetPort and instance labels', () => {
    const { chart } = testChart();
    new VmWorkload(chart, 'vm', { ...BASE, ports: [{ name: 'postgres', appProtocol: 'tcp', port: 5432, targetPort: 15432 }],
      instances: [{ address: 'db1.vm.example.com', labels: { version: 'v1' }, locality: 'eu-west1/zone-a', weight: 2 }] });
    const docs = synthValid(chart);
    expect(findOne(docs, 'WorkloadEntry')).toEqual({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'legacy-db', namespace: 'db' },
      spec: { address: 'db1.vm.example.com', labels: { app: 'legacy-db', version: 'v1' }, serviceAccount: 'legacy-db', locality: 'eu-west1/zone-a', weight: 2 } });
    expect(findOne(docs, 'ServiceEntry').spec).toEqual({
      hosts: ['legacy-db.db.svc.cluster.local'], location: 'MESH_INTERNAL',
      ports: [{ number: 5432, name: 'postgres', protocol: 'TCP', targetPort: 15432 }],
      resolution: 'DNS', workloadSelector: { labels: { app: 'legacy-db' } },
    });
    // istiod accepts DNS resolution with a workloadSelector without a warning (validation.go ValidateServiceEntry).
    expect(validateManifests(docs).filter(d => d.severity !== 'info').map(d => d.code)).toEqual([]);
  });
});

describe('VmWorkload: auto-registration', () => {
  test('without instances: a WorkloadGroup whose template carries the identity and network', () => {
    const { chart } = testChart();
    const vm = new VmWorkload(chart, 'legacy-db', { ...BASE, network: 'vm-net' });
    const docs = synthValid(chart);
    expect(findOne(docs, 'WorkloadGroup')).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', metadata: { name: 'legacy-db', namespace: 'db' },
      spec: { metadata: { labels: { app: 'legacy-db' } }, template: { serviceAccount: 'legacy-db', network: 'vm-net' } },
    });
    expect(findAll(docs, 'WorkloadEntry')).toEqual([]);
    expect(findOne(docs, 'ServiceEntry').spec.resolution).toEqual('STATIC');
    expect(vm.workloadGroup).toBeDefined();
  });

  test('service: false emits no ServiceEntry', () => {
    const { chart } = testChart();
    new VmWorkload(chart, 'legacy-db', { ...BASE, service: false });
    expect(findAll(synthValid(chart), 'ServiceEntry')).toEqual([]);
  });
});

describe('VmWorkload with other constructs', () => {
  test('allow({ from: [vm.identity], to: vm }): the VM calls and is called by principal and app label', () => {
    const { chart } = testChart();
    const vm = new VmWorkload(chart, 'legacy-db', { ...BASE, instances: [{ address: '10.0.0.12' }] });
    const db = new ZeroTrustNamespace(chart, 'db', { name: 'db' });
    const policy = db.allow({ from: [Identity.serviceAccount('shop', 'ratings')], to: vm });
    const shop = new ZeroTrustNamespace(chart, 'shop', { name: 'shop' });
    shop.allow({ from: [vm.identity], to: { name: 'reviews', port: 9080 } });
    const docs = synthValid(chart);
    expect(findOne(docs, 'AuthorizationPolicy', policy.name).spec).toEqual({
      selector: { matchLabels: { app: 'legacy-db' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/ratings'] } }] }],
    });
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-reviews').spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/db/sa/legacy-db'] } }] }]);
  });

  test('a CanaryRoute on a VM service splits by the instances\' version labels', () => {
    const { chart } = testChart();
    const vm = new VmWorkload(chart, 'billing', { name: 'billing', namespace: 'shop', serviceAccount: 'billing', ports: [{ name: 'http-api', port: 8080 }],
      instances: [{ address: '10.0.1.1', labels: { version: 'v1' } }, { address: '10.0.1.2', labels: { version: 'v2' } }] });
    new CanaryRoute(chart, 'billing-canary', { service: vm, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
    const docs = synthValid(chart);
    const dest = (subset: string) => ({ host: 'billing.shop.svc.cluster.local', port: { number: 8080 }, subset });
    expect(findOne(docs, 'VirtualService').spec).toEqual({
      hosts: ['billing.shop.svc.cluster.local'],
      http: [{ name: 'weighted', route: [{ destination: dest('stable'), weight: 90 }, { destination: dest('canary'), weight: 10 }] }],
    });
    expect(findOne(docs, 'DestinationRule').spec).toEqual({
      host: 'billing.shop.svc.cluster.local',
      subsets: [{ name: 'stable', labels: { version: 'v1' } }, { name: 'canary', labels: { version: 'v2' } }],
    });
  });
});

test('a ResilientService on a VM service: timeout on the VM host', () => {
  const { chart } = testChart();
  const vm = new VmWorkload(chart, 'billing', { name: 'billing', namespace: 'shop', serviceAccount: 'billing', ports: [{ name: 'http-api', port: 8080 }],
    instances: [{ address: '10.0.1.1' }] });
  new ResilientService(chart, 'billing-resilience', { service: vm, timeout: Duration.seconds(2) });
  expect(findOne(synthValid(chart), 'VirtualService').spec).toEqual({
    hosts: ['billing.shop.svc.cluster.local'],
    http: [{ name: 'default', route: [{ destination: { host: 'billing.shop.svc.cluster.local', port: { number: 8080 } } }], timeout: '2s' }],
  });
});

describe('VmWorkload: bad input', () => {
  const make = (props: Partial<typeof BASE> & Record<string, unknown>) => () => new VmWorkload(testChart().chart, 'vm', { ...BASE, ...props } as any);
  test('an address that is neither an IP nor a DNS name', () => {
    expect(make({ instances: [{ address: '10.0.0.300' }] })).toThrow(MeshError);
    expect(make({ instances: [{ address: '10.0.0.300' }] })).toThrow('VmWorkload test/vm: instances[0].address must be an IPv4 or IPv6 address, or a DNS name (e.g. "db1.vm.example.com"), got "10.0.0.300"');
    expect(make({ instances: [{ address: 'db_1' }] })).toThrow('instances[0].address must be an IPv4 or IPv6 address, or a DNS name (e.g. "db1.vm.example.com"), got "db_1"');
  });
  test('a port without protocol prefix or appProtocol', () => {
    expect(make({ ports: [{ name: 'postgres', port: 5432 }] })).toThrow('VmWorkload test/vm: ports[0].name must be a name "<protocol>[-<suffix>]" with protocol http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp (e.g. "tcp-postgres"), or an appProtocol: Istio selects the protocol from them; without one it sniffs, which fails for server-first protocols such as Postgres or MySQL, got "postgres"');
    expect(make({ ports: [{ name: 'db', port: 5432, appProtocol: 'postgres' }] as any })).toThrow('ports[0].appProtocol must be a name "<protocol>[-<suffix>]"');
  });
  test('labels.app other than the name', () => {
    expect(make({ labels: { app: 'db' } } as any)).toThrow('VmWorkload test/vm: labels.app must be "legacy-db" (the name): ZeroTrustNamespace.allow({ to }) and CanaryRoute select a service\'s workloads by app = its name, got "db"');
  });
  test('empty instances, duplicate ports, unknown target port', () => {
    expect(make({ instances: [] } as any)).toThrow('instances must be a non-empty list of { address, network?, labels? } (omit it for auto-registration), got []');
    expect(make({ ports: [{ name: 'tcp-a', port: 1 }, { name: 'tcp-b', port: 1 }] })).toThrow('ports[1].port must be unique among the ports, got 1');
    const vm = new VmWorkload(testChart().chart, 'vm', BASE);
    expect(() => vm.target('http')).toThrow('target() must be one of the port names "tcp-postgres", got "http"');
    expect(vm.target('tcp-postgres')).toEqual({ name: 'legacy-db', namespace: 'db', port: 5432 });
  });
});

describe('VmWorkload through the simulator (#20)', () => {
  const RATINGS = { namespace: 'shop', serviceAccount: 'ratings' };

  test('static instances: the VM service is reachable by its host (FQDN and short), at the WorkloadEntry\'s sidecar', () => {
    const { chart } = testChart();
    new VmWorkload(chart, 'legacy-db', { ...BASE, instances: [{ address: '10.0.0.12' }] });
    const mesh = MeshSimulation.fromManifests(synthValid(chart));
    for (const host of ['legacy-db.db.svc.cluster.local', 'legacy-db.db']) {
      const r = mesh.request({ from: RATINGS, to: { host, port: 5432 } });
      expect([r.allowed, r.unknown, r.route?.resource, r.route?.protocol, r.route?.backends, r.decision.enforcedAt]).toEqual([
        true, undefined, 'ServiceEntry db/legacy-db', 'TCP', [{ host: 'legacy-db.db.svc.cluster.local', port: 5432, percent: 100 }], 'sidecar',
      ]);
    }
  });

  test('auto-registration: reachable by its host; the endpoints are taken from the WorkloadGroup template (stated)', () => {
    const { chart } = testChart();
    new VmWorkload(chart, 'legacy-db', BASE);
    const r = MeshSimulation.fromManifests(synthValid(chart)).request({ from: RATINGS, to: { host: 'legacy-db.db.svc.cluster.local', port: 5432 } });
    expect([r.allowed, r.route?.resource]).toEqual([true, 'ServiceEntry db/legacy-db']);
    expect(r.assumptions).toContain('WorkloadGroup db/legacy-db registers the endpoints of ServiceEntry db/legacy-db at run time: they are taken to carry its template (service account legacy-db)');
  });

  test('allow({ to: vm }): ratings may call the VM, reviews may not; the VM may call reviews by its identity', () => {
    const { chart } = testChart();
    const vm = new VmWorkload(chart, 'legacy-db', { ...BASE, instances: [{ address: '10.0.0.12' }] });
    const db = new ZeroTrustNamespace(chart, 'db', { name: 'db' });
    const policy = db.allow({ from: [Identity.serviceAccount('shop', 'ratings')], to: vm });
    const shop = new ZeroTrustNamespace(chart, 'shop', { name: 'shop' });
    shop.allow({ from: [vm.identity], to: { name: 'reviews', port: 9080 } });
    new ApiObject(chart, 'reviews-svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } });
    const mesh = MeshSimulation.fromManifests(synthValid(chart));
    const to = { host: 'legacy-db.db', port: 5432 };
    const ratings = mesh.request({ from: RATINGS, to });
    const reviews = mesh.request({ from: { namespace: 'shop', serviceAccount: 'reviews' }, to });
    const fromVm = mesh.request({ from: { namespace: 'db', serviceAccount: 'legacy-db' }, to: { host: 'reviews.shop', port: 9080 } });
    expect([ratings.allowed, ratings.decision.action, ratings.decision.policy, ratings.decision.enforcedAt]).toEqual([true, 'ALLOW', `db/${policy.name}`, 'sidecar']);
    expect([reviews.allowed, reviews.decision.action, reviews.decision.enforcedAt]).toEqual([false, 'DEFAULT_DENY', 'sidecar']);
    expect([fromVm.allowed, fromVm.decision.policy]).toEqual([true, 'shop/allow-reviews']);
  });

  test('a CanaryRoute on a VM service: 90/10 between the instances\' version subsets, each reached at its WorkloadEntry', () => {
    const { chart } = testChart();
    const vm = new VmWorkload(chart, 'billing', { name: 'billing', namespace: 'shop', serviceAccount: 'billing', ports: [{ name: 'http-api', port: 8080 }],
      instances: [{ address: '10.0.1.1', labels: { version: 'v1' } }, { address: '10.0.1.2', labels: { version: 'v2' } }] });
    new CanaryRoute(chart, 'billing-canary', { service: vm, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, canaryMatches: [RequestMatch.header('x-canary', 'true')] });
    const mesh = MeshSimulation.fromManifests(synthValid(chart));
    const to = { host: 'billing.shop', port: 8080 };
    const host = 'billing.shop.svc.cluster.local';
    const split = mesh.request({ from: RATINGS, to });
    const canaryHit = mesh.request({ from: RATINGS, to, headers: { 'x-canary': 'true' } });
    expect([split.allowed, split.route?.resource, split.route?.backends]).toEqual([true, 'VirtualService shop/billing',
      [{ host, port: 8080, subset: 'stable', percent: 90 }, { host, port: 8080, subset: 'canary', percent: 10 }]]);
    expect([canaryHit.allowed, canaryHit.route?.backends]).toEqual([true, [{ host, port: 8080, subset: 'canary', percent: 100 }]]);
    expect(canaryHit.explain()).toContain('sidecar: sidecar of shop/billing-2 (port 8080)');
  });
});
