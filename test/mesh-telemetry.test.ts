import { Testing } from 'cdk8s';
import { AmbientNamespace, IstioMetric, MeshContext, MeshError, MeshTelemetry, PolicyTarget, Tag, TagOverride, TelemetryMode, ZeroTrustNamespace } from '../lib';
import { findOne, synthValid, testChart } from './util';

// Telemetry API: https://istio.io/latest/docs/reference/config/telemetry/ and
// https://istio.io/latest/docs/tasks/observability/telemetry/ (root namespace = mesh-wide;
// namespace-wide; selector for sidecars; targetRefs for waypoints and gateways).

const telemetry = (docs: any[]) => findOne(docs, 'Telemetry');

describe('MeshTelemetry: scope', () => {
  test('per namespace: tracing at 10% with a provider and custom tags', () => {
    const { chart } = testChart();
    new MeshTelemetry(chart, 'shop-tracing', {
      namespace: 'shop', meshProviders: ['zipkin'],
      tracing: { samplingPercent: 10, provider: 'zipkin', customTags: { team: Tag.literal('shop'), user: Tag.header('x-user', 'anonymous'), pod: Tag.environment('POD_NAME') } },
    });
    expect(telemetry(synthValid(chart))).toEqual({
      apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'shop-tracing', namespace: 'shop' },
      spec: { tracing: [{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: 10, customTags: {
        pod: { environment: { name: 'POD_NAME' } }, team: { literal: { value: 'shop' } }, user: { header: { name: 'x-user', defaultValue: 'anonymous' } },
      } }] },
    });
  });

  test('per workload (selector): access logs for errors only', () => {
    const { chart } = testChart();
    new MeshTelemetry(chart, 'reviews-logs', { selector: { app: 'reviews' }, accessLogs: { filter: 'response.code >= 400' } });
    expect(telemetry(synthValid(chart)).spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }],
    });
  });

  test('mesh-wide: in the root namespace; metrics overrides', () => {
    const { chart } = testChart();
    const t = new MeshTelemetry(chart, 'mesh-default', { meshWide: true, metrics: { overrides: [
      { metric: IstioMetric.REQUEST_COUNT, mode: TelemetryMode.CLIENT, tags: { request_host: TagOverride.upsert('request.host'), destination_canonical_revision: TagOverride.remove() } },
      { metric: IstioMetric.REQUEST_SIZE, disabled: true },
    ] } });
    expect(telemetry(synthValid(chart))).toEqual({
      apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'mesh-default', namespace: 'istio-system' },
      spec: { metrics: [{ providers: [{ name: 'prometheus' }], overrides: [
        { match: { metric: 'REQUEST_COUNT', mode: 'CLIENT' }, tagOverrides: { destination_canonical_revision: { operation: 'REMOVE' }, request_host: { operation: 'UPSERT', value: 'request.host' } } },
        { match: { metric: 'REQUEST_SIZE' }, disabled: true },
      ] }] },
    });
    expect([t.namespace, t.meshWide]).toEqual(['istio-system', true]);
  });

  test('targetRefs to a gateway', () => {
    const { chart } = testChart('istio-ingress');
    new MeshTelemetry(chart, 'ingress-logs', { targetRefs: [PolicyTarget.gateway('public')], accessLogs: { mode: TelemetryMode.SERVER } });
    expect(telemetry(synthValid(chart)).spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }],
      accessLogging: [{ providers: [{ name: 'envoy' }], match: { mode: 'SERVER' } }],
    });
  });
});

describe('MeshTelemetry: placement per dataplane', () => {
  test('ambient: targetRefs to a Service bound to a waypoint is applied by the waypoint', () => {
    const { chart } = testChart();
    new AmbientNamespace(chart, 'ns', { name: 'shop', waypoint: true });
    new MeshTelemetry(chart, 'reviews', { targetRefs: [PolicyTarget.service('reviews')], tracing: { samplingPercent: 1, provider: 'envoy' }, meshProviders: ['envoy'] });
    expect(telemetry(synthValid(chart)).spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews' }]);
  });

  test('ambient: a selector fails synth (ztunnel applies no Telemetry)', () => {
    const { chart } = testChart();
    new AmbientNamespace(chart, 'ns', { name: 'shop', waypoint: true });
    new MeshTelemetry(chart, 'reviews', { selector: { app: 'reviews' }, accessLogs: {} });
    expect(() => Testing.synth(chart)).toThrow('MeshTelemetry test/reviews: selector in ambient namespace "shop": ambient pods have no sidecar and ztunnel applies no Telemetry; use targetRefs to a Service bound to a waypoint (PolicyTarget.service) or to the waypoint (PolicyTarget.gateway)');
  });

  test('ambient without waypoint: namespace-wide and Service targets fail synth', () => {
    const a = testChart();
    new AmbientNamespace(a.chart, 'ns', { name: 'shop' });
    new MeshTelemetry(a.chart, 't', { accessLogs: {} });
    expect(() => Testing.synth(a.chart)).toThrow('namespace-wide Telemetry in ambient namespace "shop" without a namespace waypoint: ztunnel applies no Telemetry, so nothing applies it');
    const b = testChart();
    new AmbientNamespace(b.chart, 'ns', { name: 'shop' });
    new MeshTelemetry(b.chart, 't', { targetRefs: [PolicyTarget.service('reviews')], accessLogs: {} });
    expect(() => Testing.synth(b.chart)).toThrow('targetRefs to Service "reviews" in ambient namespace "shop", which no waypoint serves: nothing applies it; bind the service to a waypoint');
  });

  test('sidecar: targetRefs to a Service fail synth (sidecars ignore them)', () => {
    const { chart } = testChart();
    new ZeroTrustNamespace(chart, 'ns', { name: 'shop' });
    new MeshTelemetry(chart, 't', { targetRefs: [PolicyTarget.service('reviews')], accessLogs: {} });
    expect(() => Testing.synth(chart)).toThrow('targetRefs to Service "reviews" in sidecar namespace "shop": only waypoints apply targetRefs to a service, sidecars ignore them; use selector (the workload labels)');
  });
});

describe('MeshTelemetry: bad input', () => {
  const make = (props: any, ns: string | null = 'shop') => () => new MeshTelemetry(testChart(ns).chart, 't', props);
  test('samplingPercent outside 0..100', () => {
    for (const p of [-1, 100.5, NaN]) {
      expect(make({ tracing: { samplingPercent: p } })).toThrow(MeshError);
    }
    expect(make({ tracing: { samplingPercent: 101 } })).toThrow('MeshTelemetry test/t: tracing.samplingPercent must be a number 0..100 (the percentage of requests traced; fractions allowed), got 101');
  });
  test('an access-log filter that is not CEL', () => {
    expect(make({ accessLogs: { filter: 'response.code >=' } })).toThrow('MeshTelemetry test/t: accessLogs.filter must be a CEL expression over Envoy attributes, e.g. "response.code >= 400" (Unexpected token: EOF), got "response.code >="');
    expect(make({ accessLogs: { filter: '' } })).toThrow('accessLogs.filter must be a CEL expression over Envoy attributes, e.g. "response.code >= 400" (empty), got ""');
  });
  test('meshWide with namespace, selector; the root namespace without meshWide', () => {
    expect(make({ meshWide: true, namespace: 'shop', accessLogs: {} })).toThrow('MeshTelemetry test/t: namespace must be unset with meshWide: true (a mesh-wide Telemetry lives in the root namespace "istio-system"), got "shop"');
    expect(make({ meshWide: true, selector: { app: 'a' }, accessLogs: {} })).toThrow('selector must be unset with meshWide: true (mesh-wide means every workload), got {"app":"a"}');
    expect(make({ namespace: 'istio-system', accessLogs: {} })).toThrow('namespace must be a namespace other than the root namespace "istio-system" (a Telemetry there applies to the whole mesh: say meshWide: true), got "istio-system"');
    expect(make({ accessLogs: {} }, null)).toThrow('namespace must be set (or on the enclosing Chart), or meshWide: true, got undefined');
  });
  test('selector with targetRefs; nothing to configure; bad tags', () => {
    expect(make({ selector: { app: 'a' }, targetRefs: [PolicyTarget.gateway('g')], accessLogs: {} })).toThrow('targetRefs must be unset when selector is set (Istio accepts one of them), got ["g"]');
    expect(make({})).toThrow('props must be at least one of tracing, accessLogs or metrics (a Telemetry without them changes nothing), got []');
    expect(make({ tracing: { samplingPercent: 1, customTags: { team: Tag.literal('') } } })).toThrow('tracing.customTags.team must be a non-empty value (Tag.literal), got ""');
    expect(make({ metrics: { overrides: [{ tags: { a: TagOverride.upsert('request.host ==') } }] } })).toThrow('metrics.overrides[0].tags.a must be a CEL expression (Unexpected token: EOF), got "request.host =="');
  });
});

describe('MeshTelemetry: providers', () => {
  test('a provider unknown to mesh config is a warning naming the providers assumed', () => {
    const { chart } = testChart();
    new MeshTelemetry(chart, 't', { tracing: { samplingPercent: 10, provider: 'zipkin' } });
    expect(MeshContext.of(chart).warnings.map(w => w.message)).toEqual([
      'MeshTelemetry test/t: tracing.provider "zipkin" is not a provider known to mesh config (assumed: "prometheus", "stackdriver", "envoy"); define it in meshConfig.extensionProviders and list it in meshProviders, or istiod ignores this setting',
    ]);
  });

  test('tracing without provider warns that Istio has no default tracing provider', () => {
    const { chart } = testChart();
    new MeshTelemetry(chart, 't', { tracing: { samplingPercent: 10 } });
    expect(MeshContext.of(chart).warnings.map(w => w.message)).toEqual([
      'MeshTelemetry test/t: tracing.provider is unset: the Telemetry uses meshConfig.defaultProviders.tracing, which Istio leaves empty, so no spans are reported unless your mesh config sets it; name the provider',
    ]);
    expect(telemetry(synthValid(chart)).spec).toEqual({ tracing: [{ randomSamplingPercentage: 10 }] });
  });
});
