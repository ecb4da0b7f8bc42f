import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateSemantics } from '../../lib/validation/semantics';
import { parseDurationNanos } from '../../lib/validation/semantics/durations';
import { fqdnProblem, hostsOverlap, hostSubsetOf, isIpOrCidr, wildcardDomainProblem } from '../../lib/validation/semantics/names';

// Tier 2 plumbing: which documents are checked, the duration and host helpers, and the code table.
// Rules themselves are pinned by test/corpus (one file per rule) and semantics-rules.test.ts.

const EMPTY_SIDECAR = (apiVersion: string) => ({ apiVersion, kind: 'Sidecar', metadata: { name: 'default', namespace: 'shop' }, spec: {} });

describe('dispatch', () => {
  test.each(['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'])(
    'every served version is checked: %s', apiVersion => {
      expect(validateSemantics(EMPTY_SIDECAR(apiVersion)).map(d => `${d.code} ${d.message}`)).toEqual([
        'CI2100 empty Sidecar configuration: set at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool',
      ]);
    });

  test('other groups and kinds get no findings (Gateway API Gateway is not the Istio Gateway)', () => {
    const gwapi = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public.gw' }, spec: { listeners: [] } };
    expect(validateSemantics(gwapi)).toEqual([]);
    expect(validateSemantics({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } })).toEqual([]);
    expect(validateSemantics(null)).toEqual([]);
    expect(validateSemantics('text')).toEqual([]);
  });

  test('a diagnostic names the object and the JSON path of the field', () => {
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'shop' },
      spec: { hosts: ['r'], http: [{ route: [{ destination: { host: 'a' }, weight: 1 }, { destination: { host: 'b' }, weight: -1 }] }] } };
    expect(validateSemantics(vs)).toEqual([
      { code: 'CI2019', severity: 'error', apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'shop', name: 'r',
        path: 'spec.http[0].route[1].weight', message: 'weight -1 is negative; weights are relative and must be >= 0' },
      { code: 'CI2018', severity: 'error', apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'shop', name: 'r',
        path: 'spec.http[0].route', message: 'all 2 destinations have weight 0 (total destination weight = 0); give at least one destination a positive weight' },
    ]);
  });
});

describe('durations (Go syntax, as CEL duration() and istiod accept them)', () => {
  test.each([
    ['1h30m', 5_400_000_000_000n],
    ['1.5s', 1_500_000_000n],
    ['250ms', 250_000_000n],
    ['1500us', 1_500_000n],
    ['1m0.5s', 60_500_000_000n],
    ['0', 0n],
    ['-2s', -2_000_000_000n],
  ])('%s parses', (text, nanos) => {
    expect(parseDurationNanos(text)).toBe(nanos);
  });

  test.each(['', '1', 's', '1d', '1.5', 'abc', '1s2'])('%j does not parse (left to the schema tier)', text => {
    expect(parseDurationNanos(text)).toBeUndefined();
  });
});

describe('hosts and addresses', () => {
  test('Istio host syntax: wildcard only as the first label; FQDN without wildcard', () => {
    expect(wildcardDomainProblem('*.example.com')).toBeUndefined();
    expect(wildcardDomainProblem('reviews')).toBeUndefined();
    expect(wildcardDomainProblem('istio.io.')).toBeUndefined();
    expect(wildcardDomainProblem('a.*.com')).toBe('domain name "a.*.com" is invalid: label "*" is not a DNS label');
    expect(wildcardDomainProblem('example.123')).toBe('domain name "example.123" is invalid: the top-level domain "123" cannot be all-numeric');
    expect(wildcardDomainProblem('')).toBe('an empty domain name is not allowed');
    expect(fqdnProblem('*.example.com')).toBe('domain name "*.example.com" is invalid: label "*" is not a DNS label');
  });

  test('overlap and subset follow wildcard suffix matching', () => {
    expect(hostsOverlap('*.example.com', 'api.example.com')).toBe(true);
    expect(hostsOverlap('*.com', '*.example.com')).toBe(true);
    expect(hostsOverlap('api.example.com', 'web.example.com')).toBe(false);
    expect(hostSubsetOf('api.example.com', '*.example.com')).toBe(true);
    expect(hostSubsetOf('example.com', '*.example.com')).toBe(false);
  });

  test('IP and CIDR like Go netip', () => {
    expect(['10.0.0.1', '10.0.0.0/8', '2001:db8::/32', '::1'].map(isIpOrCidr)).toEqual([true, true, true, true]);
    expect(['10.0.0.256', '10.0.0.0/33', '10.0.0.0/', 'host', '2001:db8::/129'].map(isIpOrCidr)).toEqual([false, false, false, false, false]);
  });
});

describe('docs/diagnostic-codes.md documents every CI2xxx code with its severity', () => {
  const dir = join(__dirname, '..', '..', 'lib', 'validation', 'semantics');
  const emitted = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    const src = readFileSync(join(dir, file), 'utf8');
    for (const m of src.matchAll(/f\.(error|warn)\(Code\.(CI2\d{3})/g)) emitted.set(m[2], m[1] === 'warn' ? 'warning' : 'error');
  }
  const docs = readFileSync(join(__dirname, '..', '..', 'docs', 'diagnostic-codes.md'), 'utf8');
  const documented = new Map([...docs.matchAll(/^\| (CI2\d{3}) \| (error|warning|info) \|/gm)].map(m => [m[1], m[2]]));

  test('same codes, same severities', () => {
    expect([...documented.entries()].sort()).toEqual([...emitted.entries()].sort());
  });

  test('every error code of tier 2 has at least one corpus case', () => {
    const corpus = readdirSync(join(__dirname, '..', 'corpus', 'invalid'))
      .map(n => readFileSync(join(__dirname, '..', 'corpus', 'invalid', n), 'utf8')).join('\n');
    const missing = [...emitted.entries()].filter(([code, sev]) => sev === 'error' && !corpus.includes(`# expect: ${code} `)).map(([c]) => c);
    expect(missing).toEqual([]);
  });
});
