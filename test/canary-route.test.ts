import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import { CanaryRoute, CanaryRouteProps, MeshSimulation, RequestMatch, TrafficApi } from '../lib';
import { outcome } from './sim-helpers';
import { appService, dest, emitted, errorName, thrown, warnings } from './traffic/helpers';
import { findAll, findOne, synthValid, testChart } from './util';

const REVIEWS = 'reviews.shop.svc.cluster.local';

function reviewsChart() {
  const t = testChart();
  appService(t.chart, 'reviews', 9080);
  return t;
}

function canary(extra: Partial<CanaryRouteProps> = {}): CanaryRouteProps {
  return { service: { name: 'reviews', port: 9080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, ...extra };
}

const SUBSETS = [{ name: 'stable', labels: { version: 'v1' } }, { name: 'canary', labels: { version: 'v2' } }];

/** The exact Istio objects of the reviews canary, given its VirtualService `http` rules. */
function istioObjects(http: unknown[]) {
  return [
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' }, spec: { hosts: [REVIEWS], http } },
    { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'shop' }, spec: { host: REVIEWS, subsets: SUBSETS } },
  ];
}

function weighted(stable: number, canaryW: number) {
  return [{ destination: dest('reviews', 9080, 'stable'), weight: stable }, { destination: dest('reviews', 9080, 'canary'), weight: canaryW }];
}

describe('CanaryRoute, Istio target', () => {
  test('90/10 split: one VirtualService with a match-less weighted catch-all and a DestinationRule with two subsets', () => {
    // GIVEN
    const { chart } = reviewsChart();
    // WHEN
    const route = new CanaryRoute(chart, 'reviews', canary());
    const docs = synthValid(chart);
    // THEN
    expect(emitted(docs)).toEqual([
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' },
        spec: { hosts: [REVIEWS], http: [{ name: 'weighted', route: weighted(90, 10) }] },
      },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'shop' },
        spec: { host: REVIEWS, subsets: SUBSETS },
      },
    ]);
    expect(route.api).toBe(TrafficApi.ISTIO);
    expect(route.stableWeight).toBe(90);
    expect(route.objects.virtualServices.length).toBe(1);
  });

  test.each([[0, 100, 0], [100, 0, 100]])('canaryWeight %d emits stable %d / canary %d, both destinations kept', (w, s, c) => {
    // GIVEN
    const { chart } = reviewsChart();
    // WHEN
    new CanaryRoute(chart, 'reviews', canary({ canaryWeight: w }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual(istioObjects([{ name: 'weighted', route: weighted(s, c) }]));
  });

  test('header + cookie A/B: canary-match rule first (ORed matches), catch-all last', () => {
    // GIVEN
    const { chart } = reviewsChart();
    // WHEN
    new CanaryRoute(chart, 'reviews', canary({
      canaryMatches: [RequestMatch.header('x-canary', 'true'), RequestMatch.cookie('canary', 'always')],
    }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual(istioObjects([
      {
        name: 'canary-match',
        match: [{ headers: { 'x-canary': { exact: 'true' } } }, { headers: { cookie: { regex: '^(.*;\\s*)?canary=always(;.*)?$' } } }],
        route: [{ destination: dest('reviews', 9080, 'canary') }],
      },
      { name: 'weighted', route: weighted(90, 10) },
    ]));
  });

  test('ANDed conditions in one match land in one HTTPMatchRequest', () => {
    // GIVEN
    const { chart } = reviewsChart();
    // WHEN
    new CanaryRoute(chart, 'reviews', canary({
      canaryMatches: [RequestMatch.all(RequestMatch.pathPrefix('/api'), RequestMatch.method('GET'), RequestMatch.headerPrefix('x-user', 'test-'))],
    }));
    // THEN
    expect(findOne(synthValid(chart), 'VirtualService').spec.http[0].match).toEqual([
      { uri: { prefix: '/api' }, method: { exact: 'GET' }, headers: { 'x-user': { prefix: 'test-' } } },
    ]);
  });

  test('mirroring: mirror to the canary subset with an explicit mirrorPercentage (absent would mean 100%)', () => {
    // GIVEN
    const { chart } = reviewsChart();
    // WHEN
    new CanaryRoute(chart, 'reviews', canary({ canaryWeight: 0, mirrorPercent: 5 }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual(istioObjects([{
      name: 'weighted', route: weighted(100, 0), mirror: dest('reviews', 9080, 'canary'), mirrorPercentage: { value: 5 },
    }]));
  });

  test('mirrorPercent 0 emits no mirror', () => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ mirrorPercent: 0 }));
    expect(findOne(synthValid(chart), 'VirtualService').spec.http[0].mirror).toBeUndefined();
  });

  test('ingress + mesh binding: one VirtualService per gateway set (gateways drops the implicit mesh)', () => {
    // GIVEN
    const { chart } = reviewsChart();
    // WHEN
    new CanaryRoute(chart, 'reviews', canary({
      ingress: { gateway: { name: 'public', namespace: 'istio-ingress', hostnames: ['*.example.com'] }, hostnames: ['reviews.example.com'] },
    }));
    const docs = synthValid(chart);
    // THEN
    expect(findAll(docs, 'VirtualService')).toEqual([
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' },
        spec: { hosts: [REVIEWS], http: [{ name: 'weighted', route: weighted(90, 10) }] },
      },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews-ingress', namespace: 'shop' },
        spec: { hosts: ['reviews.example.com'], gateways: ['istio-ingress/public'], http: [{ name: 'weighted', route: weighted(90, 10) }] },
      },
    ]);
  });

  test('ingress only (meshTraffic: false) emits no mesh VirtualService', () => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ meshTraffic: false, ingress: { gateway: { name: 'public', namespace: 'istio-ingress' }, hostnames: ['reviews.example.com'] } }));
    expect(findAll(synthValid(chart), 'VirtualService').map(v => v.metadata.name)).toEqual(['reviews-ingress']);
  });

  test('escape hatch: onObjects patches the emitted objects before they are rendered and validated', () => {
    // GIVEN
    const { chart } = reviewsChart();
    const route = new CanaryRoute(chart, 'reviews', canary());
    const seen: number[] = [];
    // WHEN
    route.onObjects({
      visit: o => {
        seen.push(o.virtualServices.length);
        o.virtualServices[0].addJsonPatch(JsonPatch.add('/spec/http/0/timeout', '2s'));
      },
    });
    const docs = synthValid(chart);
    // THEN
    expect(findOne(docs, 'VirtualService').spec.http).toEqual([{ name: 'weighted', route: weighted(90, 10), timeout: '2s' }]);
    expect(seen).toEqual([1]);
    // After synth, a hook runs at once with the existing objects.
    route.onObjects({ visit: o => seen.push(o.destinationRules.length) });
    expect(seen).toEqual([1, 1]);
  });

  test('escape hatch: an invalid patch fails synth validation', () => {
    const { chart } = reviewsChart();
    const route = new CanaryRoute(chart, 'reviews', canary());
    route.onObjects({ visit: o => o.virtualServices[0].addJsonPatch(JsonPatch.add('/spec/http/0/timeout', '0.5ms')) });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/reviews\/VirtualService\] error CI\d+ VirtualService shop\/reviews spec.http\[0\].timeout: /);
  });

  test('synthesizing twice gives identical output', () => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ canaryMatches: [RequestMatch.header('x-canary', 'true')], mirrorPercent: 1 }));
    expect(Testing.synth(chart)).toEqual(synthValid(chart));
  });
});

describe('CanaryRoute, Gateway API target', () => {
  const route = (rules: unknown[]) => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'shop' },
    spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }], rules },
  });
  const versionService = (version: string) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name: `reviews-${version}`, namespace: 'shop' },
    spec: { selector: { app: 'reviews', version }, ports: [{ name: 'http', port: 9080, targetPort: 9080 }] },
  });

  test('90/10 with created per-version Services and relative weights; no DestinationRule', () => {
    // GIVEN
    const { chart } = reviewsChart();
    // WHEN
    const r = new CanaryRoute(chart, 'reviews', canary({ api: TrafficApi.GATEWAY_API }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual([
      route([{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }] }]),
      versionService('v1'),
      versionService('v2'),
    ]);
    expect(r.api).toBe(TrafficApi.GATEWAY_API);
    expect(r.objects.services.length).toBe(2);
  });

  test.each([[0, 100, 0], [100, 0, 100]])('canaryWeight %d emits weights %d / %d', (w, s, c) => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ canaryWeight: w, api: TrafficApi.GATEWAY_API }));
    expect(emitted(synthValid(chart))).toEqual([
      route([{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: s }, { name: 'reviews-v2', port: 9080, weight: c }] }]),
      versionService('v1'),
      versionService('v2'),
    ]);
  });

  test('header + cookie A/B: Exact header, cookie as an anchored regex; header prefix as an anchored, escaped regex', () => {
    // GIVEN
    const { chart } = reviewsChart();
    // WHEN
    new CanaryRoute(chart, 'reviews', canary({
      api: TrafficApi.GATEWAY_API,
      canaryMatches: [RequestMatch.header('x-canary', 'true'), RequestMatch.cookie('canary', 'always'), RequestMatch.headerPrefix('x-user', 'qa.')],
    }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual([route([
      {
        matches: [
          { headers: [{ type: 'Exact', name: 'x-canary', value: 'true' }] },
          { headers: [{ type: 'RegularExpression', name: 'cookie', value: '^(.*;\\s*)?canary=always(;.*)?$' }] },
          { headers: [{ type: 'RegularExpression', name: 'x-user', value: '^qa\\..*' }] },
        ],
        backendRefs: [{ name: 'reviews-v2', port: 9080 }],
      },
      { backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }] },
    ]), versionService('v1'), versionService('v2')]);
  });

  test('mirroring: RequestMirror filter with percent (standard channel v1.6.1), fraction for fractional percents', () => {
    // GIVEN
    const a = reviewsChart();
    const b = reviewsChart();
    // WHEN
    new CanaryRoute(a.chart, 'reviews', canary({ api: TrafficApi.GATEWAY_API, mirrorPercent: 5 }));
    new CanaryRoute(b.chart, 'reviews', canary({ api: TrafficApi.GATEWAY_API, mirrorPercent: 0.5 }));
    // THEN
    expect(emitted(synthValid(a.chart))).toEqual([route([{
      backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }],
      filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'reviews-v2', port: 9080 }, percent: 5 } }],
    }]), versionService('v1'), versionService('v2')]);
    expect(findOne(synthValid(b.chart), 'HTTPRoute').spec.rules[0].filters[0].requestMirror.fraction).toEqual({ numerator: 5, denominator: 1000 });
  });

  test('ingress + mesh binding: one HTTPRoute per parent (Service for mesh, Gateway for ingress)', () => {
    // GIVEN
    const { chart } = reviewsChart();
    // WHEN
    new CanaryRoute(chart, 'reviews', canary({
      api: TrafficApi.GATEWAY_API,
      ingress: { gateway: { name: 'public', namespace: 'istio-ingress', sectionName: 'https' }, hostnames: ['reviews.example.com'] },
    }));
    // THEN
    const docs = emitted(synthValid(chart));
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual(['HTTPRoute/reviews', 'HTTPRoute/reviews-ingress', 'Service/reviews-v1', 'Service/reviews-v2']);
    expect(docs[0]).toEqual(route([{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }] }]));
    expect(docs[1]).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews-ingress', namespace: 'shop' },
      spec: {
        parentRefs: [{ name: 'public', namespace: 'istio-ingress', sectionName: 'https' }],
        hostnames: ['reviews.example.com'],
        rules: [{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }] }],
      },
    });
  });

  test('user-supplied per-version Services are referenced, not created', () => {
    const { chart } = reviewsChart();
    appService(chart, 'reviews-stable', 9080);
    appService(chart, 'reviews-next', 9080);
    new CanaryRoute(chart, 'reviews', canary({ api: TrafficApi.GATEWAY_API, backendServices: { stable: 'reviews-stable', canary: 'reviews-next' } }));
    const docs = synthValid(chart);
    expect(findOne(docs, 'HTTPRoute').spec.rules[0].backendRefs.map((b: any) => b.name)).toEqual(['reviews-stable', 'reviews-next']);
    expect(emitted(docs).filter(d => d.kind === 'Service')).toEqual([]);
  });

  test('synthesizing twice gives identical output', () => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ api: TrafficApi.GATEWAY_API, canaryMatches: [RequestMatch.header('x-canary', 'true')], mirrorPercent: 1 }));
    expect(Testing.synth(chart)).toEqual(synthValid(chart));
  });

  test('a cdk8s-plus Service is accepted as the target', () => {
    // GIVEN
    const { chart } = testChart();
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080 }] });
    // WHEN
    new CanaryRoute(chart, 'reviews', { service: svc, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api: TrafficApi.GATEWAY_API });
    // THEN
    expect(findOne(synthValid(chart), 'HTTPRoute', 'reviews').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
  });

  test('custom selector, version label and target port for created Services', () => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ api: TrafficApi.GATEWAY_API, selector: { 'app.kubernetes.io/name': 'reviews' }, versionLabel: 'app.kubernetes.io/version', targetPort: 'http' }));
    expect(findOne(synthValid(chart), 'Service', 'reviews-v2').spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'reviews', 'app.kubernetes.io/version': 'v2' }, ports: [{ name: 'http', port: 9080, targetPort: 'http' }],
    });
  });
});

describe('CanaryRoute, bad input', () => {
  const make = (extra: Partial<CanaryRouteProps>) => () => new CanaryRoute(testChart().chart, 'reviews', canary(extra));

  test.each([120, -1, 10.5, NaN])('canaryWeight %p is rejected', (w) => {
    expect(make({ canaryWeight: w })).toThrow(new RegExp(`^CanaryRoute test/reviews: canaryWeight must be an integer 0\\.\\.100, got ${String(w)}$`));
  });

  test('stable and canary the same version', () => {
    expect(make({ canaryVersion: 'v1' })).toThrow('CanaryRoute test/reviews: canaryVersion must be different from stableVersion ("v1"), got "v1"');
  });

  test.each([101, -1, 0.00001])('mirrorPercent %p is rejected', (p) => {
    expect(make({ mirrorPercent: p })).toThrow(/mirrorPercent must be a number 0\.\.100 \(fractions down to 0\.0001 allowed\)/);
  });

  test('a service port outside 1..65535', () => {
    expect(make({ service: { name: 'reviews', port: 70000 } })).toThrow('CanaryRoute test/reviews: service.port must be an integer 1..65535, got 70000');
  });

  test('an uppercase header name with the Istio target fails at construction', () => {
    expect(make({ api: TrafficApi.ISTIO, canaryMatches: [RequestMatch.header('X-Canary', 'true')] }))
      .toThrow('CanaryRoute test/reviews: canaryMatches[0].conditions[0].name must be a lowercase header name for Istio (VirtualService header keys must be lowercase), got "X-Canary"');
  });

  test('an uppercase header name with the default (Istio) target fails synth; Gateway API accepts it', () => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ canaryMatches: [RequestMatch.header('X-Canary', 'true')] }));
    expect(() => Testing.synth(chart)).toThrow(/\n  CanaryRoute test\/reviews: canaryMatches\[0\]\.conditions\[0\]\.name must be a lowercase header name for Istio/);
    const gw = reviewsChart();
    new CanaryRoute(gw.chart, 'reviews', canary({ api: TrafficApi.GATEWAY_API, canaryMatches: [RequestMatch.header('X-Canary', 'true')] }));
    expect(findOne(synthValid(gw.chart), 'HTTPRoute').spec.rules[0].matches).toEqual([{ headers: [{ type: 'Exact', name: 'X-Canary', value: 'true' }] }]);
  });

  test('a RequestMatch no target can express: the same header twice in one match', () => {
    expect(make({ canaryMatches: [RequestMatch.header('a', '1').and(RequestMatch.header('a', '2'))] }))
      .toThrow('CanaryRoute test/reviews: canaryMatches[0]: a match can test the header "a" only once (conditions in one match are ANDed); use a regex for a combined condition, or several matches (ORed)');
  });

  test('a RequestMatch the Gateway API target cannot express: more than 64 matches in a rule', () => {
    const many = Array.from({ length: 65 }, (_, i) => RequestMatch.header('x-user', `u${i}`));
    expect(make({ api: TrafficApi.GATEWAY_API, canaryMatches: many }))
      .toThrow('CanaryRoute test/reviews: canaryMatches must be at most 64 matches for Gateway API (HTTPRoute rule limit), got "65 matches"');
  });

  test('a regex RE2 cannot run (lookahead)', () => {
    expect(make({ canaryMatches: [RequestMatch.headerRegex('x-user', '(?=a)b')] }))
      .toThrow('CanaryRoute test/reviews: canaryMatches[0].conditions[0].value must be an RE2 regular expression (no lookaround, no backreferences), got "(?=a)b"');
  });

  test('an ingress hostname that the bound Gateway does not serve (declared)', () => {
    expect(make({ ingress: { gateway: { name: 'public', namespace: 'istio-ingress', hostnames: ['*.example.com'] }, hostnames: ['reviews.other.org'] } }))
      .toThrow('CanaryRoute test/reviews: ingress.hostnames must be a hostname that gateway istio-ingress/public serves (*.example.com), got "reviews.other.org"');
  });

  test('an ingress hostname that the bound Gateway object in the App does not serve fails synth', () => {
    // GIVEN an Istio Gateway serving shop.example.com only
    const { chart } = reviewsChart();
    new ApiObject(chart, 'gw', {
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'shop' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] },
    });
    // WHEN
    new CanaryRoute(chart, 'reviews', canary({ ingress: { gateway: { name: 'public' }, hostnames: ['reviews.example.com'] } }));
    // THEN
    expect(() => Testing.synth(chart)).toThrow(/ingress\.hostnames must be a hostname that gateway shop\/public serves \(shop\.example\.com\), got "reviews\.example\.com"/);
  });

  test('an ingress hostname that the bound Gateway API Gateway in the App does not serve fails synth', () => {
    // GIVEN a Gateway API Gateway whose only listener serves *.shop.example.com
    const { chart } = reviewsChart();
    new ApiObject(chart, 'gw', {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'istio-ingress' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.shop.example.com' }] },
    });
    // WHEN
    new CanaryRoute(chart, 'reviews', canary({ api: TrafficApi.GATEWAY_API, ingress: { gateway: { name: 'public', namespace: 'istio-ingress' }, hostnames: ['reviews.example.com'] } }));
    // THEN
    expect(() => Testing.synth(chart)).toThrow(/ingress\.hostnames must be a hostname that gateway istio-ingress\/public serves \(\*\.shop\.example\.com\), got "reviews\.example\.com"/);
  });

  test('a mirror percentage Gateway API cannot express as a fraction', () => {
    expect(make({ api: TrafficApi.GATEWAY_API, mirrorPercent: 0.00015 }))
      .toThrow('CanaryRoute test/reviews: mirrorPercent must be a percentage with at most 4 decimals for Gateway API (RequestMirror fraction), got 0.00015');
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ mirrorPercent: 0.00015 }));
    expect(findOne(synthValid(chart), 'VirtualService').spec.http[0].mirrorPercentage).toEqual({ value: 0.00015 });
  });

  test('meshTraffic false without ingress', () => {
    expect(make({ meshTraffic: false })).toThrow('CanaryRoute test/reviews: meshTraffic must be true unless an ingress binding is set (the route would serve nothing), got false');
  });

  test('a version that cannot name a per-version Service for Gateway API', () => {
    expect(make({ api: TrafficApi.GATEWAY_API, canaryVersion: 'V2' })).toThrow(/backendServices\.canary must be a DNS-1123 label: Gateway API has no subsets/);
  });

  test('two CanaryRoutes on one service fail synth naming both', () => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'a', canary());
    new CanaryRoute(chart, 'b', canary({ canaryWeight: 20 }));
    expect(() => Testing.synth(chart)).toThrow('CanaryRoute test/b: conflicts with CanaryRoute test/a: both set routing for reviews.shop.svc.cluster.local; one CanaryRoute per service (merge them into one)');
  });

  test('rejected input is a MeshError, never a TypeError (property)', () => {
    fc.assert(fc.property(
      fc.record({
        canaryWeight: fc.oneof(fc.integer({ min: 101, max: 10_000 }), fc.integer({ max: -1 }), fc.double({ noInteger: true }), fc.constant(undefined as unknown as number)),
        stableVersion: fc.oneof(fc.constant('v1'), fc.constant(''), fc.constant(null as unknown as string), fc.string()),
      }),
      (p) => {
        expect(errorName(thrown(() => new CanaryRoute(testChart().chart, 'r', canary(p))))).toBe('MeshError');
      },
    ), { numRuns: 100 });
  });
});

describe('CanaryRoute, accepted input (property)', () => {
  test('every integer weight, both targets, optional matches and mirror synthesize valid output', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 100 }),
      fc.constantFrom(TrafficApi.ISTIO, TrafficApi.GATEWAY_API),
      fc.boolean(),
      fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      (w, api, ab, mirror) => {
        const { chart } = reviewsChart();
        new CanaryRoute(chart, 'reviews', canary({ canaryWeight: w, api, mirrorPercent: mirror, canaryMatches: ab ? [RequestMatch.cookie('beta', 'yes')] : undefined }));
        const docs = synthValid(chart);
        expect(docs.filter(d => d.kind === (api === TrafficApi.ISTIO ? 'VirtualService' : 'HTTPRoute')).length).toBe(1);
      },
    ), { numRuns: 40 });
  });
});

describe('CanaryRoute, accepted matches (property)', () => {
  test('random header names, values, prefixes, cookies and paths render valid output for both targets', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
    const text = fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(...'abcXYZ019 .*+?^$()[]{}|\\/-_=:;,\'"~!@#%&'.split('')) });
    const cookieText = fc.stringMatching(/^[A-Za-z0-9._~!#$%&'*+^`|-]{1,12}$/);
    const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
    const match = fc.oneof(
      fc.tuple(name, text).map(([n, v]) => RequestMatch.header(n, v)),
      fc.tuple(name, text).map(([n, v]) => RequestMatch.headerPrefix(n, v)),
      fc.tuple(cookieText, cookieText).map(([n, v]) => RequestMatch.cookie(n, v)),
      fc.array(segment, { minLength: 1, maxLength: 3 }).map(p => RequestMatch.pathPrefix(`/${p.join('/')}`)),
      fc.tuple(name, cookieText).map(([n, v]) => RequestMatch.queryParam(n, v)),
    );
    fc.assert(fc.property(fc.array(match, { minLength: 1, maxLength: 4 }), fc.constantFrom(TrafficApi.ISTIO, TrafficApi.GATEWAY_API), (matches, api) => {
      const { chart } = reviewsChart();
      new CanaryRoute(chart, 'reviews', canary({ api, canaryMatches: matches }));
      const docs = synthValid(chart);
      const rules = api === TrafficApi.ISTIO ? findOne(docs, 'VirtualService').spec.http : findOne(docs, 'HTTPRoute').spec.rules;
      expect(rules.length).toBe(2);
    }), { numRuns: 60 });
  });
});

describe('CanaryRoute warnings', () => {
  test('no warning for a plain canary', () => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary());
    synthValid(chart);
    expect(warnings(chart)).toEqual([]);
  });
});

describe('CanaryRoute with cdk8s-plus Deployments as version workloads', () => {
  /** A cdk8s-plus Deployment `name` whose pods carry `labels`. */
  function deployment(chart: Chart, name: string, labels: Record<string, string>, metadata: { namespace?: string } = {}): kplus.Deployment {
    return new kplus.Deployment(chart, name, {
      metadata: { name, ...metadata },
      podMetadata: { labels },
      containers: [{ image: `example/${name}`, portNumber: 9080 }],
    });
  }

  function shop() {
    const t = testChart();
    const service = new kplus.Service(t.chart, 'svc', { metadata: { name: 'reviews' }, selector: kplus.Pods.select(t.chart, 'pods', { labels: { app: 'reviews' } }), ports: [{ port: 9080 }] });
    const v1 = deployment(t.chart, 'reviews-v1', { app: 'reviews', version: 'v1' });
    const v2 = deployment(t.chart, 'reviews-v2', { app: 'reviews', version: 'v2' });
    return { ...t, service, v1, v2 };
  }

  const mine = (docs: any[]) => docs.filter(d => d.apiVersion !== 'apps/v1' && !(d.kind === 'Service' && d.metadata.name === 'reviews'));

  test('Istio: the subsets take the versions from the Deployments\' pod labels', () => {
    // GIVEN
    const { chart, service, v1, v2 } = shop();
    // WHEN
    const route = new CanaryRoute(chart, 'reviews', { service, stableWorkload: v1, canaryWorkload: v2, canaryWeight: 10 });
    // THEN
    expect(mine(synthValid(chart))).toEqual(istioObjects([{ name: 'weighted', route: weighted(90, 10) }]));
    expect([route.stableVersion, route.canaryVersion]).toEqual(['v1', 'v2']);
    expect(route.stableWorkload).toBe(v1);
    expect(route.canaryWorkload).toBe(v2);
  });

  test('Gateway API: the created per-version Services select the Deployments\' pods (selector + version label)', () => {
    // GIVEN
    const { chart, service, v1, v2 } = shop();
    // WHEN
    new CanaryRoute(chart, 'reviews', { service, stableWorkload: v1, canaryWorkload: v2, canaryWeight: 25, api: TrafficApi.GATEWAY_API });
    const docs = synthValid(chart);
    // THEN
    expect(mine(docs)).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'shop' },
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }],
          rules: [{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 75 }, { name: 'reviews-v2', port: 9080, weight: 25 }] }],
        },
      },
      ...['v1', 'v2'].map(version => ({
        apiVersion: 'v1', kind: 'Service', metadata: { name: `reviews-${version}`, namespace: 'shop' },
        spec: { selector: { app: 'reviews', version }, ports: [{ name: 'http', port: 9080, targetPort: 9080 }] },
      })),
    ]);
    for (const [name, version] of [['reviews-v1', 'v1'], ['reviews-v2', 'v2']]) {
      expect(findOne(docs, 'Deployment', name).spec.template.metadata.labels).toEqual(expect.objectContaining({ app: 'reviews', version }));
    }
  });

  test('a workload on one side and a version on the other; a version equal to the workload\'s label is accepted', () => {
    // GIVEN
    const { chart, service, v1 } = shop();
    // WHEN
    const route = new CanaryRoute(chart, 'reviews', { service, stableWorkload: v1, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
    // THEN
    expect(mine(synthValid(chart))).toEqual(istioObjects([{ name: 'weighted', route: weighted(90, 10) }]));
    expect(route.canaryWorkload).toBeUndefined();
  });

  test('a custom versionLabel is read from the pods', () => {
    // GIVEN
    const { chart } = reviewsChart();
    const a = deployment(chart, 'reviews-a', { 'app': 'reviews', 'app.kubernetes.io/version': '1.4.0' });
    const b = deployment(chart, 'reviews-b', { 'app': 'reviews', 'app.kubernetes.io/version': '1.5.0-rc.1' });
    // WHEN
    new CanaryRoute(chart, 'reviews', { service: { name: 'reviews', port: 9080 }, versionLabel: 'app.kubernetes.io/version', stableWorkload: a, canaryWorkload: b, canaryWeight: 5 });
    // THEN
    expect(findOne(synthValid(chart), 'DestinationRule').spec.subsets).toEqual([
      { name: 'stable', labels: { 'app.kubernetes.io/version': '1.4.0' } },
      { name: 'canary', labels: { 'app.kubernetes.io/version': '1.5.0-rc.1' } },
    ]);
  });

  test('a Deployment without the version label on its pods', () => {
    const { chart, service, v2 } = shop();
    const bare = deployment(chart, 'reviews-bare', { app: 'reviews' });
    expect(() => new CanaryRoute(chart, 'reviews', { service, stableWorkload: bare, canaryWorkload: v2, canaryWeight: 10 }))
      .toThrow('CanaryRoute test/reviews: stableWorkload: the pods of Deployment shop/reviews-bare have no label "version" (versionLabel); add it to the pod template, e.g. podMetadata: { labels: { "version": "v1" } }');
  });

  test('stableVersion that contradicts the workload\'s label', () => {
    const { chart, service, v1, v2 } = shop();
    expect(() => new CanaryRoute(chart, 'reviews', { service, stableWorkload: v1, stableVersion: 'v0', canaryWorkload: v2, canaryWeight: 10 }))
      .toThrow('CanaryRoute test/reviews: stableVersion must be the "version" pod label of stableWorkload Deployment shop/reviews-v1 ("v1"), or left out, got "v0"');
  });

  test('two workloads with the same version, or one workload twice', () => {
    const { chart, service, v1 } = shop();
    const other = deployment(chart, 'reviews-other', { app: 'reviews', version: 'v1' });
    expect(() => new CanaryRoute(chart, 'a', { service, stableWorkload: v1, canaryWorkload: other, canaryWeight: 10 }))
      .toThrow('CanaryRoute test/a: canaryWorkload must be a workload whose "version" pod label differs from the stable version ("v1"), got "Deployment shop/reviews-other"');
    expect(() => new CanaryRoute(chart, 'b', { service, stableWorkload: v1, canaryWorkload: v1, canaryWeight: 10 }))
      .toThrow('CanaryRoute test/b: canaryWorkload must be a workload whose "version" pod label differs from the stable version ("v1"), got "Deployment shop/reviews-v1"');
  });

  test('a workload in another namespace than the service', () => {
    const { chart, service, v1 } = shop();
    const elsewhere = deployment(chart, 'reviews-canary', { app: 'reviews', version: 'v2' }, { namespace: 'other' });
    expect(() => new CanaryRoute(chart, 'reviews', { service, stableWorkload: v1, canaryWorkload: elsewhere, canaryWeight: 10 }))
      .toThrow('CanaryRoute test/reviews: canaryWorkload.metadata.namespace must be the service\'s namespace "shop" (Deployment other/reviews-canary cannot back a Service in another namespace), got "other"');
  });

  test('neither a version nor a workload', () => {
    const { chart, service, v1 } = shop();
    expect(() => new CanaryRoute(chart, 'reviews', { service, stableWorkload: v1, canaryWeight: 10 }))
      .toThrow('CanaryRoute test/reviews: canaryVersion must be a version label value (e.g. "v1"), or set canaryWorkload, got undefined');
  });

  test('something that is not a workload', () => {
    const { chart, service, v2 } = shop();
    expect(() => new CanaryRoute(chart, 'reviews', { service, stableWorkload: { name: 'reviews-v1' } as any, canaryWorkload: v2, canaryWeight: 10 }))
      .toThrow('CanaryRoute test/reviews: stableWorkload must be a cdk8s-plus Deployment (or { name, metadata, podMetadata: { getLabel } }), got {"name":"reviews-v1"}');
  });

  test('a pod version label that is not a valid label value', () => {
    const { chart, service, v2 } = shop();
    const odd = { name: 'odd', metadata: {}, podMetadata: { getLabel: () => '-v1' } };
    expect(() => new CanaryRoute(chart, 'reviews', { service, stableWorkload: odd, canaryWorkload: v2, canaryWeight: 10 }))
      .toThrow('CanaryRoute test/reviews: stableWorkload "version" pod label must be a non-empty Kubernetes label value (at most 63 alphanumerics, \'-\', \'_\' or \'.\', starting and ending alphanumeric), got "-v1"');
  });

  test('a version label changed after the route was built fails synth', () => {
    // GIVEN
    const { chart, service, v1, v2 } = shop();
    new CanaryRoute(chart, 'reviews', { service, stableWorkload: v1, canaryWorkload: v2, canaryWeight: 10 });
    // WHEN
    v2.podMetadata.addLabel('version', 'v3');
    // THEN
    expect(() => Testing.synth(chart)).toThrow('CanaryRoute test/reviews: canaryWorkload: the "version" pod label of Deployment shop/reviews-v2 must stay "v2" (the version the route was built with), got "v3"');
  });

  test('Gateway API: Deployments whose pods lack the selector labels fail synth; with backendServices they do not', () => {
    // GIVEN
    const { chart, service } = shop();
    const a = deployment(chart, 'ra', { name: 'reviews', version: 'v1' });
    const b = deployment(chart, 'rb', { app: 'ratings', version: 'v2' });
    // WHEN
    new CanaryRoute(chart, 'reviews', { service, stableWorkload: a, canaryWorkload: b, canaryWeight: 10, api: TrafficApi.GATEWAY_API });
    // THEN
    const error = thrown(() => Testing.synth(chart)) as Error;
    expect(error.message.split('\n').filter(l => l.includes('CanaryRoute test/reviews')).map(l => l.trim())).toEqual([
      'CanaryRoute test/reviews: stableWorkload: the pods of Deployment shop/ra must carry the selector label app=reviews (the per-version Services select pods by selector + versionLabel), got none; set the label or the selector prop',
      'CanaryRoute test/reviews: canaryWorkload: the pods of Deployment shop/rb must carry the selector label app=reviews (the per-version Services select pods by selector + versionLabel), got app=ratings; set the label or the selector prop',
    ]);
    // GIVEN existing per-version Services instead
    const other = shop();
    const c = deployment(other.chart, 'ra', { name: 'reviews', version: 'v1' });
    const d = deployment(other.chart, 'rb', { name: 'reviews', version: 'v2' });
    appService(other.chart, 'ra', 9080);
    appService(other.chart, 'rb', 9080);
    // WHEN
    new CanaryRoute(other.chart, 'reviews', { service: other.service, stableWorkload: c, canaryWorkload: d, canaryWeight: 10, api: TrafficApi.GATEWAY_API, backendServices: { stable: 'ra', canary: 'rb' } });
    // THEN
    expect(findOne(synthValid(other.chart), 'HTTPRoute').spec.rules).toEqual([{ backendRefs: [{ name: 'ra', port: 9080, weight: 90 }, { name: 'rb', port: 9080, weight: 10 }] }]);
  });

  test('Istio: the selector is not checked (the DestinationRule subsets select by the version label only)', () => {
    const { chart, service } = shop();
    const a = deployment(chart, 'ra', { name: 'reviews', version: 'v1' });
    const b = deployment(chart, 'rb', { name: 'reviews', version: 'v2' });
    new CanaryRoute(chart, 'reviews', { service, stableWorkload: a, canaryWorkload: b, canaryWeight: 10 });
    expect(findOne(synthValid(chart), 'DestinationRule').spec.subsets).toEqual(SUBSETS);
  });
});

describe('CanaryRoute through the simulator', () => {
  const FROM = { namespace: 'shop', serviceAccount: 'productpage' };
  const TO = { host: 'reviews', port: 9080 };
  const AB = [RequestMatch.header('x-canary', 'true')];

  test('Istio: x-canary reaches the canary subset (v2); other requests split 90/10 between stable and canary', () => {
    // GIVEN
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ canaryMatches: AB }));
    // WHEN
    const mesh = MeshSimulation.fromManifests(synthValid(chart));
    // THEN
    expect(outcome(mesh, { from: FROM, to: TO, headers: { 'x-canary': 'true' } })).toEqual({
      allowed: true, resource: 'VirtualService shop/reviews', rule: 0, backends: [{ host: REVIEWS, port: 9080, subset: 'canary', percent: 100 }],
    });
    expect(outcome(mesh, { from: FROM, to: TO, headers: { 'x-canary': 'false' } })).toEqual({
      allowed: true, resource: 'VirtualService shop/reviews', rule: 1,
      backends: [{ host: REVIEWS, port: 9080, subset: 'stable', percent: 90 }, { host: REVIEWS, port: 9080, subset: 'canary', percent: 10 }],
    });
  });

  test('Gateway API: x-canary reaches reviews-v2; other requests split 90/10 between the per-version Services', () => {
    // GIVEN
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ api: TrafficApi.GATEWAY_API, canaryMatches: AB }));
    // WHEN
    const mesh = MeshSimulation.fromManifests(synthValid(chart));
    // THEN
    expect(outcome(mesh, { from: FROM, to: TO, headers: { 'x-canary': 'true' } })).toEqual({
      allowed: true, resource: 'HTTPRoute shop/reviews', rule: 0, backends: [{ host: 'reviews-v2.shop.svc.cluster.local', port: 9080, percent: 100 }],
    });
    expect(outcome(mesh, { from: FROM, to: TO })).toEqual({
      allowed: true, resource: 'HTTPRoute shop/reviews', rule: 1,
      backends: [{ host: 'reviews-v1.shop.svc.cluster.local', port: 9080, percent: 90 }, { host: 'reviews-v2.shop.svc.cluster.local', port: 9080, percent: 10 }],
    });
  });

  test('mirroring: every request goes to stable and canary by weight, and a copy of mirrorPercent to the canary', () => {
    const { chart } = reviewsChart();
    new CanaryRoute(chart, 'reviews', canary({ canaryWeight: 0, mirrorPercent: 25 }));
    const r = MeshSimulation.fromManifests(synthValid(chart)).request({ from: FROM, to: TO });
    expect([r.route?.backends.map(b => [b.subset, b.percent]), r.route?.mirror]).toEqual([[['stable', 100], ['canary', 0]], { host: REVIEWS, port: 9080, subset: 'canary', percent: 25 }]);
  });
});
