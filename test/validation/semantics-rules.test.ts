import { Diagnostic } from '../../lib/validation';
import { validateSemantics } from '../../lib/validation/semantics';

// istiod's admission rules, pinned against upstream. Sources (Istio 1.30):
//   VS/DR/SE/Sidecar/Gateway/AP/RA: https://github.com/istio/istio/blob/release-1.30/pkg/config/validation/validation.go
//   HTTP routes:                    https://github.com/istio/istio/blob/release-1.30/pkg/config/validation/virtualservice.go
//   hosts, durations, client TLS:   https://github.com/istio/istio/blob/release-1.30/pkg/config/validation/agent/validation.go
//   AuthorizationPolicy values:     https://github.com/istio/istio/blob/release-1.30/pkg/config/security/security.go
// Error rules each have a corpus case (test/corpus/invalid/semantics-*.yaml); this file pins the
// warnings and the rules istiod does NOT have.

function doc(kind: string, spec: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const group = ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'].includes(kind) ? 'security.istio.io' : 'networking.istio.io';
  return { apiVersion: `${group}/v1`, kind, metadata: { name: 'x', namespace: 'shop', ...extra }, spec };
}

function found(d: unknown): string[] {
  return validateSemantics(d).map((x: Diagnostic) => `${x.severity} ${x.code} ${x.path}: ${x.message}`);
}

const ROUTE = [{ destination: { host: 'reviews' } }];

describe('rules istiod does not have (none of these is reported)', () => {
  // Weights are relative; the sum-of-100 rule was dropped in June 2022:
  // https://github.com/istio/istio/pull/39544 and https://github.com/istio/api/pull/2192
  test('weights need not sum to 100, and a single destination needs no weight', () => {
    const vs = doc('VirtualService', { hosts: ['reviews'], http: [
      { route: [{ destination: { host: 'a' }, weight: 1 }, { destination: { host: 'b' }, weight: 2 }] },
      { route: ROUTE },
    ] });
    expect(found(vs)).toEqual([]);
  });

  // validateHTTPRetry rejects retry fields only when attempts is 0, not attempts: 0 itself.
  test('attempts: 0 alone disables retries and is accepted', () => {
    expect(found(doc('VirtualService', { hosts: ['reviews'], http: [{ retries: { attempts: 0 }, route: ROUTE }] }))).toEqual([]);
  });

  // ValidateWildcardDomain + isGateway(): "*" is refused only when the VirtualService applies to the mesh.
  test('"*" host on a gateway-only VirtualService', () => {
    expect(found(doc('VirtualService', { hosts: ['*'], gateways: ['istio-ingress/public'], http: [{ route: ROUTE }] }))).toEqual([]);
  });

  // A RequestAuthentication rule needs an issuer OR a jwksUri (validateJwtRule).
  test('jwksUri without issuer', () => {
    expect(found(doc('RequestAuthentication', { jwtRules: [{ jwksUri: 'https://idp.example.com/jwks.json' }] }))).toEqual([]);
  });
});

describe('warnings (istiod accepts the object and warns)', () => {
  // validateWorkloadSelector: "workload selector specified without labels"
  test('CI2003 selector without labels', () => {
    expect(found(doc('PeerAuthentication', { selector: {}, mtls: { mode: 'STRICT' } }))).toEqual([
      'warning CI2003 spec.selector: workload selector specified without matchLabels; it applies to every workload in the namespace',
    ]);
  });

  // validateHTTPFaultInjectionAbort: "abort configured, but error type not set"
  test('CI2024 abort without error type', () => {
    expect(found(doc('VirtualService', { hosts: ['r'], http: [{ fault: { abort: { percentage: { value: 1 } } }, route: ROUTE }] }))).toEqual([
      'warning CI2024 spec.http[0].fault.abort: abort fault is configured without an error type (httpStatus or grpcStatus); it does nothing',
    ]);
  });

  // ValidateServiceEntry: WrapWarning(ValidatePartialWildCard(host))
  test('CI2061 partial wildcard ServiceEntry host', () => {
    expect(found(doc('ServiceEntry', { hosts: ['*api.example.com'], resolution: 'NONE' }))).toEqual([
      'warning CI2061 spec.hosts[0]: partial wildcard host "*api.example.com" is not supported; use a "*." prefix (e.g. "*.example.com")',
    ]);
  });

  // ValidateServiceEntry (istio 1.30.3): "workloadSelector should not be set when resolution mode is NONE";
  // the DNS case has no such warning (WorkloadEntries addressed by DNS name need DNS resolution).
  test('CI2067 workloadSelector with resolution NONE; none with DNS', () => {
    expect(found(doc('ServiceEntry', { hosts: ['db.example.com'], resolution: 'NONE', workloadSelector: { labels: { app: 'db' } } }))).toEqual([
      'warning CI2067 spec.workloadSelector: workloadSelector should not be set when resolution is NONE; use STATIC (or DNS for WorkloadEntries addressed by DNS name)',
    ]);
    expect(found(doc('ServiceEntry', { hosts: ['db.example.com'], resolution: 'DNS', workloadSelector: { labels: { app: 'db' } } }))).toEqual([]);
  });

  // ValidateServiceEntry: "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled"
  test('CI2068 TCP port without addresses when auto-allocation is switched off by label', () => {
    const se = doc('ServiceEntry', { hosts: ['db.example.com'], resolution: 'DNS', ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }] },
      { labels: { 'networking.istio.io/enable-autoallocate-ip': 'false' } });
    expect(found(se)).toEqual([
      'warning CI2068 spec.ports[0]: addresses are required for ports serving TCP (or unset) protocol when IP auto-allocation is disabled for this ServiceEntry',
    ]);
    const allocated = doc('ServiceEntry', { hosts: ['db.example.com'], resolution: 'DNS', ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }] });
    expect(found(allocated)).toEqual([]);
  });

  // https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy:
  // "settings specified at the destination-level will not be inherited when overridden by port-level settings".
  test('CI2056 port-level settings that would silently drop destination-level connection limits', () => {
    const dr = doc('DestinationRule', {
      host: 'api.example.com',
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 50 } },
        portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE', sni: 'api.example.com' } }],
      },
    });
    expect(found(dr)).toEqual(['warning CI2056 spec.trafficPolicy.portLevelSettings[0]: this entry replaces the destination-level policy for port 80, '
      + 'so the destination-level connectionPool does not apply to that port (it gets the defaults); if it should, repeat it in this entry']);
    const fixed = doc('DestinationRule', {
      host: 'api.example.com',
      trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, connectionPool: { tcp: { maxConnections: 50 } }, tls: { mode: 'SIMPLE' } }] },
    });
    expect(found(fixed)).toEqual([]);
  });

  test('CI2056 is silent where nothing is lost: a destination-level tls of only ISTIO_MUTUAL is what auto mTLS gives the port', () => {
    const dr = doc('DestinationRule', {
      host: 'reviews',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, portLevelSettings: [{ port: { number: 9080 }, loadBalancer: { simple: 'ROUND_ROBIN' } }] },
    });
    expect(found(dr)).toEqual([]);
    const withSni = doc('DestinationRule', {
      host: 'reviews',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', sni: 'x' }, outlierDetection: { consecutive5xxErrors: 3 }, portLevelSettings: [{ port: { number: 9080 }, loadBalancer: { simple: 'ROUND_ROBIN' } }] },
    });
    expect(found(withSni)).toEqual(['warning CI2056 spec.trafficPolicy.portLevelSettings[0]: this entry replaces the destination-level policy for port 9080, '
      + 'so the destination-level outlierDetection, tls do not apply to that port (it gets the defaults); if they should, repeat them in this entry']);
  });

  // ValidateLocalityLbSetting: "outlier detection policy must be provided for failover"
  test('CI2055 locality failover without outlier detection', () => {
    const dr = doc('DestinationRule', { host: 'r', trafficPolicy: { loadBalancer: { localityLbSetting: { failover: [{ from: 'us-east', to: 'us-west' }] } } } });
    expect(found(dr)).toEqual(['warning CI2055 spec.trafficPolicy.loadBalancer.localityLbSetting: locality failover needs an outlierDetection policy to take effect']);
  });

  // ValidateAuthorizationPolicy: "configured AuthorizationPolicy will deny all traffic to TCP ports ..."
  test('CI2086 a spiffe:// principal never matches (principals, notPrincipals, source.principal)', () => {
    const ap = doc('AuthorizationPolicy', { rules: [{
      from: [{ source: { principals: ['spiffe://cluster.local/ns/shop/sa/web', 'cluster.local/ns/shop/sa/api'], notPrincipals: ['SPIFFE://x/ns/a/sa/b'] } }],
      when: [{ key: 'source.principal', values: ['spiffe://cluster.local/ns/shop/sa/web'] }],
    }] });
    expect(found(ap)).toEqual([
      'warning CI2086 spec.rules[0].from[0].source.principals[0]: principal "spiffe://cluster.local/ns/shop/sa/web" never matches: Istio compares principals without the "spiffe://" prefix; use "cluster.local/ns/shop/sa/web"',
      'warning CI2086 spec.rules[0].from[0].source.notPrincipals[0]: principal "SPIFFE://x/ns/a/sa/b" never matches: Istio compares principals without the "spiffe://" prefix; use "x/ns/a/sa/b"',
      'warning CI2086 spec.rules[0].when[0].values[0]: principal "spiffe://cluster.local/ns/shop/sa/web" never matches: Istio compares principals without the "spiffe://" prefix; use "cluster.local/ns/shop/sa/web"',
    ]);
  });

  test('CI2085 DENY rule with only HTTP attributes; adding ports silences it', () => {
    const rules = (to: Record<string, unknown>) => doc('AuthorizationPolicy', { action: 'DENY', rules: [{ to: [{ operation: to }] }] });
    expect(found(rules({ paths: ['/admin'] }))).toEqual([
      'warning CI2085 spec.rules[0]: this DENY rule uses only HTTP attributes: on a workload in its scope that serves a TCP (non-HTTP) port it denies all traffic to that port; if any does, add `ports` with the HTTP ports to the operation (no effect where every port is HTTP)',
    ]);
    expect(found(rules({ paths: ['/admin'], ports: ['8080'] }))).toEqual([]);
  });

  // ValidateSidecar: "duplicated egress host" and "`*/*` host select all resources"
  test('CI2104 duplicated egress hosts', () => {
    expect(found(doc('Sidecar', { egress: [{ hosts: ['shop/*', 'shop/reviews.shop.svc.cluster.local', '*/*'] }] }))).toEqual([
      'warning CI2104 spec.egress[0].hosts[1]: duplicated egress host "shop/reviews.shop.svc.cluster.local": an earlier entry already covers it',
      'warning CI2104 spec.egress[0].hosts: "*/*" selects every host; no other hosts are needed',
    ]);
  });

  // validateTLSOptions: "%v mode does not use certificates, they will be ignored"
  test('CI2128 PASSTHROUGH server with certificates', () => {
    const gw = doc('Gateway', { servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['*.example.com'], tls: { mode: 'PASSTHROUGH', credentialName: 'c' } }] });
    expect(found(gw)).toEqual(['warning CI2128 spec.servers[0].tls: tls mode PASSTHROUGH does not use certificates; they are ignored']);
  });

  // ValidateGateway: "tls.httpsRedirect should only be used with http servers"
  test('CI2132 httpsRedirect on an HTTPS server', () => {
    const gw = doc('Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'c', httpsRedirect: true } }] });
    expect(found(gw)).toEqual(['warning CI2132 spec.servers[0].tls.httpsRedirect: tls.httpsRedirect should only be used with HTTP servers']);
  });
});

describe('rule details worth pinning', () => {
  // validateHTTPRouteDestinations: several destinations, total weight 0 (negative weights count).
  test('weights -1 and 1 sum to 0: both the negative weight and the zero total are reported', () => {
    const vs = doc('VirtualService', { hosts: ['r'], http: [{ route: [{ destination: { host: 'a' }, weight: -1 }, { destination: { host: 'b' }, weight: 1 }] }] });
    expect(found(vs).map(l => l.split(':')[0])).toEqual(['error CI2019 spec.http[0].route[0].weight', 'error CI2018 spec.http[0].route']);
  });

  // ValidateWildcardDomain on VirtualService hosts; IP addresses are accepted.
  test('an IP address is a valid VirtualService host', () => {
    expect(found(doc('VirtualService', { hosts: ['10.0.0.1'], http: [{ route: ROUTE }] }))).toEqual([]);
  });

  // validateHTTPRouteMatchRequest: withoutHeaders regex "*" means "present" and is not a regex.
  test('withoutHeaders regex "*" is allowed, an empty header regex is not', () => {
    const vs = doc('VirtualService', { hosts: ['r'], http: [{ match: [{ withoutHeaders: { 'x-debug': { regex: '*' } }, headers: { 'x-user': { regex: '' } } }], route: ROUTE }] });
    expect(found(vs)).toEqual(['error CI2032 spec.http[0].match[0].headers.x-user.regex: an empty regex string match is not allowed; give a regular expression (RE2 syntax)']);
  });

  // checkDryRunAnnotation: boolean values only, ALLOW/DENY only.
  test('CI2007 dry-run value must be a boolean', () => {
    const ap = doc('AuthorizationPolicy', { action: 'DENY', rules: [{}] }, { annotations: { 'istio.io/dry-run': 'maybe' } });
    expect(found(ap)).toEqual(['error CI2007 metadata.annotations["istio.io/dry-run"]: annotation istio.io/dry-run has invalid value "maybe"; expected "true" or "false"']);
  });

  // ValidateSidecar: at most one port-less (catch-all) egress listener.
  test('CI2102 two catch-all egress listeners', () => {
    expect(found(doc('Sidecar', { egress: [{ hosts: ['./*'] }, { hosts: ['istio-system/*'] }] }))).toEqual([
      'error CI2102 spec.egress[0]: the egress listener without a port (the catch-all) must be the last listener',
    ]);
  });

  // ValidateWildcardDomainForVirtualServiceBoundToGateway: AUTO_PASSTHROUGH SNI names on gateways.
  test('the auto-generated SNI host form outbound_.<port>_._.<host> is accepted on a gateway-bound TLS VirtualService', () => {
    const host = 'outbound_.443_._.api.shop.svc.cluster.local';
    const vs = doc('VirtualService', { hosts: [host], gateways: ['istio-system/eastwest'], tls: [{ match: [{ sniHosts: [host] }], route: ROUTE }] });
    expect(found(vs)).toEqual([]);
    const mesh = doc('VirtualService', { hosts: [host], tls: [{ match: [{ sniHosts: [host] }], route: ROUTE }] });
    expect(found(mesh)).toEqual([`error CI2010 spec.hosts[0]: invalid host: domain name "${host}" is invalid: label "outbound_" is not a DNS label (a wildcard is allowed only as the whole first label or its prefix)`]);
  });

  // validateSniHost: SNI hosts of a tls route must be covered by the VirtualService hosts.
  test('a TLS SNI host covered by a wildcard VirtualService host is fine', () => {
    const vs = doc('VirtualService', { hosts: ['*.example.com'], gateways: ['istio-ingress/public'], tls: [{ match: [{ sniHosts: ['api.example.com'] }], route: ROUTE }] });
    expect(found(vs)).toEqual([]);
  });
});
