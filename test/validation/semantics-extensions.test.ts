import { Diagnostic, validateManifests } from '../../lib/validation';
import { validateSemantics } from '../../lib/validation/semantics';

// istiod's admission rules for Telemetry, EnvoyFilter, WorkloadEntry, WorkloadGroup, ProxyConfig
// and WasmPlugin (istio/istio 1.30.3 pkg/config/validation/validation.go, validation_istiod.go,
// envoyfilter/envoyfilter.go). Error rules each have a corpus case (test/corpus/invalid/semantics-*);
// this file pins the warnings and what istiod accepts.

function doc(apiVersion: string, kind: string, spec: unknown): Record<string, unknown> {
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'shop' }, spec };
}
const telemetry = (spec: unknown) => doc('telemetry.istio.io/v1', 'Telemetry', spec);
const envoyFilter = (spec: unknown) => doc('networking.istio.io/v1alpha3', 'EnvoyFilter', spec);

function found(d: unknown): string[] {
  return validateSemantics(d).map((x: Diagnostic) => `${x.severity} ${x.code} ${x.path}: ${x.message}`);
}

const UNSTABLE = 'warning CI2150 spec: EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.';

describe('Telemetry', () => {
  // validateTelemetryTracing: "multiple tracing is not currently supported", "multiple providers ..."
  test('CI2140 / CI2141 several tracing entries and several providers are warnings', () => {
    expect(found(telemetry({ tracing: [{ providers: [{ name: 'zipkin' }, { name: 'otel' }] }, { randomSamplingPercentage: 1 }] }))).toEqual([
      'warning CI2140 spec.tracing: 2 tracing entries: multiple tracing is not currently supported, istiod uses only the first; merge them into one entry',
      'warning CI2141 spec.tracing[0].providers: 2 tracing providers: multiple providers is not currently supported, only the first ("zipkin") is used',
    ]);
  });

  // validateTelemetryMetrics: an empty tag name is a warning, not an error.
  test('CI2145 an empty tag override name is a warning', () => {
    expect(found(telemetry({ metrics: [{ overrides: [{ tagOverrides: { '': { operation: 'REMOVE' } } }] }] }))).toEqual([
      'warning CI2145 spec.metrics[0].overrides[0].tagOverrides[""]: tagOverrides name may not be empty; the override does nothing',
    ]);
  });

  // validateTelemetryFilter parses with cel.NewEnv() and never type-checks: unknown attributes are fine.
  test('a filter is parsed, not type-checked: any attribute and a non-bool result are accepted', () => {
    expect(found(telemetry({ accessLogging: [{ filter: { expression: "request.headers['x-debug'] == 'true' || response.code" } }] }))).toEqual([]);
  });

  test('CI2003 selector without labels, CI2004 targetRef kind', () => {
    expect(found(telemetry({ selector: { matchLabels: {} } }))).toEqual([
      'warning CI2003 spec.selector: workload selector specified without matchLabels; it applies to every workload in the namespace',
    ]);
    expect(found(telemetry({ targetRef: { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'ingress' } }))).toEqual([]);
  });

  // The CRD rejects an explicit UPSERT without value; an omitted operation is UPSERT too (istiod).
  test('an explicit REMOVE without value is accepted, an omitted operation with a value too', () => {
    expect(found(telemetry({ metrics: [{ overrides: [{ tagOverrides: { a: { operation: 'REMOVE' }, b: { value: 'x' } } }] }] }))).toEqual([]);
  });

  test('sampling outside 0..100 is rejected by the CRD (tier 1), once', () => {
    const d = validateManifests([telemetry({ tracing: [{ randomSamplingPercentage: 101 }] })]).filter(x => x.severity === 'error');
    expect(d.map(x => `${x.code} ${x.path}`)).toEqual(['CI1006 spec.tracing[0].randomSamplingPercentage']);
  });
});

describe('EnvoyFilter', () => {
  // ValidateEnvoyFilter always warns.
  test('CI2150 every EnvoyFilter gets the instability warning', () => {
    expect(found(envoyFilter({ configPatches: [{ applyTo: 'CLUSTER', patch: { operation: 'REMOVE' } }] }))).toEqual([UNSTABLE]);
  });

  test('CI2003 selector without labels', () => {
    expect(found(envoyFilter({ workloadSelector: {}, configPatches: [] }))).toEqual([
      UNSTABLE,
      'warning CI2003 spec.workloadSelector: workload selector specified without labels; it applies to every workload in the namespace',
    ]);
  });

  const hcm = (applyTo: string, filter: Record<string, unknown>, value?: unknown) => envoyFilter({ configPatches: [{
    applyTo, match: { listener: { filterChain: { filter } } }, patch: value ? { operation: 'INSERT_BEFORE', value } : { operation: 'REMOVE' },
  }] });

  test('CI2156 a filter match on LISTENER has no effect; CI2157 deprecated filter names', () => {
    expect(found(hcm('LISTENER', { name: 'envoy.http_connection_manager' }))).toEqual([
      UNSTABLE,
      'warning CI2156 spec.configPatches[0].match.listener.filterChain.filter: filter match has no effect when used with LISTENER',
      'warning CI2157 spec.configPatches[0].match.listener.filterChain.filter.name: using deprecated filter name "envoy.http_connection_manager"; use "envoy.filters.network.http_connection_manager" instead',
    ]);
    expect(found(hcm('HTTP_FILTER', { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.router' } }))).toEqual([
      UNSTABLE,
      'warning CI2157 spec.configPatches[0].match.listener.filterChain.filter.subFilter.name: using deprecated filter name "envoy.router"; use "envoy.filters.http.router" instead',
    ]);
  });

  test('CI2159 a filter inserted by name only', () => {
    expect(found(hcm('HTTP_FILTER', { name: 'envoy.filters.network.http_connection_manager' }, { name: 'envoy.filters.http.cors' }))).toEqual([
      UNSTABLE,
      'warning CI2159 spec.configPatches[0].patch.value: using deprecated types by name without typed_config; envoy.filters.http.cors',
    ]);
  });

  // "TODO(zirain): Add validation for waypoint proxy": waypoint patches are not checked.
  test('waypoint patches are not checked by istiod', () => {
    expect(found(envoyFilter({ configPatches: [{ applyTo: 'HTTP_FILTER', match: { context: 'WAYPOINT', waypoint: {} }, patch: {} }] }))).toEqual([UNSTABLE]);
  });
});

describe('WorkloadEntry, WorkloadGroup, ProxyConfig, WasmPlugin', () => {
  test('CI2160 a WorkloadEntry with a network and no address is a warning', () => {
    expect(found(doc('networking.istio.io/v1', 'WorkloadEntry', { network: 'vm-net' }))).toEqual([
      'warning CI2160 spec.address: address is unset with network "vm-net"; the entry is reachable only through that network\'s gateway',
    ]);
  });

  test('addresses: IPv4, IPv6, FQDN and unix sockets are accepted', () => {
    for (const address of ['10.0.0.12', 'fd00::12', 'db.vm.example.com', 'unix:///var/run/db.sock']) {
      expect([address, found(doc('networking.istio.io/v1', 'WorkloadEntry', { address }))]).toEqual([address, []]);
    }
  });

  test('a WorkloadGroup template needs no address', () => {
    expect(found(doc('networking.istio.io/v1', 'WorkloadGroup', { template: { serviceAccount: 'db' } }))).toEqual([]);
  });

  test('CI2003 on ProxyConfig and WasmPlugin selectors', () => {
    const w = 'warning CI2003 spec.selector: workload selector specified without matchLabels; it applies to every workload in the namespace';
    expect(found(doc('networking.istio.io/v1beta1', 'ProxyConfig', { selector: {}, concurrency: 2 }))).toEqual([w]);
    expect(found(doc('extensions.istio.io/v1alpha1', 'WasmPlugin', { selector: {}, url: 'oci://x/y:1' }))).toEqual([w]);
  });

  test('a negative concurrency is rejected by the CRD (tier 1), once', () => {
    const d = validateManifests([doc('networking.istio.io/v1beta1', 'ProxyConfig', { concurrency: -1 })]).filter(x => x.severity === 'error');
    expect(d.map(x => `${x.code} ${x.path}`)).toEqual(['CI1006 spec.concurrency']);
  });
});
