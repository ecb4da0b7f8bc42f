import { Diagnostic } from '../../lib/validation';
import { validateSemantics } from '../../lib/validation/semantics';

// istiod 1.30.3 rules for Sidecar ingress/egressProxy and ServiceEntry (DYNAMIC_DNS, unix endpoints,
// selector keys) that the upstream table cases of TestValidateSidecar / TestValidateServiceEntries
// exercise (pkg/config/validation/validation.go ValidateSidecar, ValidateServiceEntry,
// ValidateAlphaWorkloadSelector, ValidateUnixAddress). Every message is pinned exactly.

function doc(kind: string, spec: unknown, labels?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'networking.istio.io/v1', kind, metadata: { name: 'x', namespace: 'shop', ...(labels ? { labels } : {}) }, spec };
}

function found(d: unknown): string[] {
  return validateSemantics(d).map((x: Diagnostic) => `${x.severity} ${x.code} ${x.path}: ${x.message}`);
}

const HTTP = [{ number: 80, protocol: 'HTTP', name: 'http' }];

describe('Sidecar ingress', () => {
  test('CI2112 port 0 on an ingress listener (unix sockets are egress-only)', () => {
    expect(found(doc('Sidecar', { ingress: [{ port: { protocol: 'HTTP', number: 0, name: 'uds' }, bind: 'unix:///@foo/bar', defaultEndpoint: '127.0.0.1:9999' }] }))).toEqual([
      'error CI2112 spec.ingress[0].port.number: ingress port number 0 is out of range 1..65535 (unix domain socket listeners are egress-only)',
    ]);
  });

  test('CI2107 a unix defaultEndpoint must be an absolute file path or an abstract name', () => {
    const sc = (ep: string) => doc('Sidecar', { ingress: [{ port: { protocol: 'HTTP', number: 90, name: 'foo' }, defaultEndpoint: ep }] });
    expect(found(sc('unix:///'))).toEqual([
      'error CI2107 spec.ingress[0].defaultEndpoint: defaultEndpoint "unix:///": "/" is not an absolute path to a file; use unix://<absolute path> or unix://@<abstract name>',
    ]);
    expect(found(sc('unix://'))).toEqual([
      'error CI2107 spec.ingress[0].defaultEndpoint: defaultEndpoint "unix://": the unix socket path is empty; use unix://<absolute path> or unix://@<abstract name>',
    ]);
    expect(found(sc('unix:///var/run/app.sock'))).toEqual([]);
    expect(found(sc('unix://@app'))).toEqual([]);
  });

  test('CI2109 TLS on a TCP port, credentialNames and tlsCertificates', () => {
    const tls = { mode: 'SIMPLE', credentialNames: ['secret-name'], tlsCertificates: [{ serverCertificate: '/c.crt', privateKey: '/c.key' }] };
    expect(found(doc('Sidecar', { ingress: [{ port: { protocol: 'tcp', number: 90, name: 'foo' }, defaultEndpoint: '127.0.0.1:9999', tls }] }))).toEqual([
      'error CI2109 spec.ingress[0].tls.credentialNames: credentialNames is not supported in Sidecar ingress TLS',
      'error CI2109 spec.ingress[0].tls.tlsCertificates: tlsCertificates is not supported in Sidecar ingress TLS; use serverCertificate and privateKey',
      'error CI2109 spec.ingress[0].port.protocol: tls is set on a port with protocol "tcp"; TLS settings need protocol HTTPS or TLS',
    ]);
  });

  test('TLS on an HTTPS port with a server certificate is accepted', () => {
    const tls = { mode: 'SIMPLE', serverCertificate: '/c.crt', privateKey: '/c.key' };
    expect(found(doc('Sidecar', { ingress: [{ port: { protocol: 'HTTPS', number: 8443, name: 'https' }, defaultEndpoint: '127.0.0.1:8443', tls }] }))).toEqual([]);
  });
});

describe('Sidecar egressProxy', () => {
  test('CI2108 host must be an FQDN and a port is required', () => {
    const sc = (egressProxy: unknown) => doc('Sidecar', { outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy }, egress: [{ hosts: ['*/*'] }] });
    expect(found(sc({ host: 'foobar*123', port: { number: 5000 } }))).toEqual([
      'error CI2108 spec.outboundTrafficPolicy.egressProxy.host: egressProxy host must be an FQDN (no wildcard): domain name "foobar*123" is invalid: label "foobar*123" is not a DNS label',
    ]);
    expect(found(sc({ host: 'foo.bar', subset: 'shiny' }))).toEqual([
      'error CI2108 spec.outboundTrafficPolicy.egressProxy.port: egressProxy needs a port (the port of the egress proxy service)',
    ]);
    expect(found(sc({ host: 'foo.bar', port: { number: 5000 } }))).toEqual([]);
  });
});

describe('ServiceEntry', () => {
  test('CI2008 a workload selector with the empty key', () => {
    expect(found(doc('ServiceEntry', { hosts: ['google.com'], workloadSelector: { labels: { '': 'bar' } }, ports: HTTP }))).toEqual([
      'warning CI2067 spec.workloadSelector: workloadSelector should not be set when resolution is NONE; use STATIC (or DNS for WorkloadEntries addressed by DNS name)',
      'error CI2008 spec.workloadSelector.labels[""]: a workload selector label needs a name (key), got the empty key with value "bar"',
    ]);
  });

  test('CI2065 a unix endpoint needs exactly one service port (endpoint ports are a CRD rule)', () => {
    const ports = [{ number: 6553, protocol: 'grpc', name: 'grpc' }, { number: 80, protocol: 'http', name: 'http' }];
    expect(found(doc('ServiceEntry', { hosts: ['uds.cluster.local'], ports, resolution: 'STATIC', endpoints: [{ address: 'unix:///path/to/socket' }] }))).toEqual([
      'error CI2065 spec.endpoints[0].address: a unix endpoint needs exactly 1 service port, the ServiceEntry has 2',
    ]);
    expect(found(doc('ServiceEntry', { hosts: ['uds.cluster.local'], ports: HTTP, resolution: 'STATIC', endpoints: [{ address: 'unix:///path/to/socket' }] }))).toEqual([]);
  });

  test('CI2069 DYNAMIC_DNS: wildcard hosts, no addresses or endpoints, HTTP/TLS/GRPC/HTTP2 ports', () => {
    const se = doc('ServiceEntry', {
      hosts: ['google.com', '*.google.com'], addresses: ['10.10.10.10'], resolution: 'DYNAMIC_DNS',
      ports: [{ number: 80, protocol: 'http', name: 'http' }, { number: 81, protocol: 'TCP', name: 'tcp' }, { number: 82, name: 'sniffed' }],
      endpoints: [{ address: 'in.google.com' }],
    });
    expect(found(se)).toEqual([
      'error CI2069 spec.hosts[0]: host "google.com" must be a wildcard (e.g. "*.example.com") for resolution DYNAMIC_DNS; use resolution DNS for a single host',
      'error CI2069 spec.addresses: addresses cannot be set for resolution DYNAMIC_DNS (routes are generated from the hosts); remove them',
      'error CI2069 spec.endpoints: endpoints cannot be set for resolution DYNAMIC_DNS (the destination is resolved from the request host); remove them',
      'error CI2069 spec.ports[1].protocol: protocol "TCP" is not supported for resolution DYNAMIC_DNS; use HTTP, TLS, GRPC or HTTP2',
      'error CI2069 spec.ports[2].protocol: protocol "" is not supported for resolution DYNAMIC_DNS; use HTTP, TLS, GRPC or HTTP2',
      'error CI2063 spec.ports[1]: several hosts with a non-HTTP, non-TLS port (protocol "TCP") need resolution NONE; with resolution DYNAMIC_DNS use one host per ServiceEntry',
    ]);
  });

  test('CI2069 DYNAMIC_DNS MESH_INTERNAL is refused only when bound to a waypoint', () => {
    const spec = { hosts: ['*.google.com'], ports: HTTP, resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' };
    expect(found(doc('ServiceEntry', spec))).toEqual([]);
    expect(found(doc('ServiceEntry', spec, { 'istio.io/use-waypoint': 'none' }))).toEqual([]);
    expect(found(doc('ServiceEntry', spec, { 'istio.io/use-waypoint': 'my-waypoint' }))).toEqual([
      'error CI2069 spec.location: location MESH_INTERNAL with resolution DYNAMIC_DNS is not supported for a ServiceEntry bound to a waypoint (istio.io/use-waypoint "my-waypoint"); use MESH_EXTERNAL or remove the waypoint label',
    ]);
  });

  test('partial wildcard hosts are not warned about with DYNAMIC_DNS', () => {
    expect(found(doc('ServiceEntry', { hosts: ['*google.com'], ports: HTTP, resolution: 'DYNAMIC_DNS' }))).toEqual([]);
  });
});
