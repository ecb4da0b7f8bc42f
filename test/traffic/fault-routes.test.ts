import { Testing } from 'cdk8s';
import { CanaryRoute, MeshSimulation, RequestMatch, ResilientService } from '../../lib';
import { findOne, synthValid, testChart } from '../util';
import { appService, dest } from './helpers';

// #15 item 8: a header-gated fault (ResilientService faults.when) together with CanaryRoute
// canaryMatches: one fault rule per route, the fault match ANDed with that route's matches, keeping
// that route's destination and mirror. Before, one fault rule came first with only the weighted
// split: a request matching both lost its canary destination and its mirror.

const service = { name: 'reviews', port: 9080 };
const ABORT = { abort: { percentage: { value: 100 }, httpStatus: 503 } };

function setup(faultWhen = [RequestMatch.header('x-chaos', 'on')]) {
  const t = testChart();
  appService(t.chart, 'reviews', 9080);
  new CanaryRoute(t.chart, 'canary', {
    service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, mirrorPercent: 5,
    canaryMatches: [RequestMatch.header('x-canary', 'true'), RequestMatch.pathPrefix('/beta')],
  });
  new ResilientService(t.chart, 'resilience', { service, faults: { abort: { percent: 100, httpStatus: 503 }, when: faultWhen } });
  return t;
}

const weighted = [{ destination: dest('reviews', 9080, 'stable'), weight: 90 }, { destination: dest('reviews', 9080, 'canary'), weight: 10 }];

describe('#15 item 8: fault rules per route', () => {
  test('#15 item 8: each route is preceded by its fault rule (fault match AND route match), keeping destination and mirror', () => {
    const { chart } = setup();
    expect(findOne(synthValid(chart), 'VirtualService').spec.http).toEqual([
      {
        name: 'fault-injection-canary-match',
        match: [
          { headers: { 'x-chaos': { exact: 'on' }, 'x-canary': { exact: 'true' } } },
          { headers: { 'x-chaos': { exact: 'on' } }, uri: { prefix: '/beta' } },
        ],
        route: [{ destination: dest('reviews', 9080, 'canary') }],
        fault: ABORT,
      },
      {
        name: 'canary-match',
        match: [{ headers: { 'x-canary': { exact: 'true' } } }, { uri: { prefix: '/beta' } }],
        route: [{ destination: dest('reviews', 9080, 'canary') }],
      },
      {
        name: 'fault-injection-weighted',
        match: [{ headers: { 'x-chaos': { exact: 'on' } } }],
        route: weighted,
        mirror: dest('reviews', 9080, 'canary'),
        mirrorPercentage: { value: 5 },
        fault: ABORT,
      },
      { name: 'weighted', route: weighted, mirror: dest('reviews', 9080, 'canary'), mirrorPercentage: { value: 5 } },
    ]);
  });

  test('#15 item 8 (simulator): a request matching both gets the fault and keeps the canary destination; fault-only keeps the mirror', () => {
    const { app } = setup();
    const mesh = MeshSimulation.fromApp(app);
    const from = { namespace: 'shop', serviceAccount: 'productpage' };
    const to = { host: 'reviews.shop.svc.cluster.local', port: 9080 };
    const both = mesh.request({ from, to, headers: { 'x-chaos': 'on', 'x-canary': 'true' } }).route!;
    expect(both.backends.map(b => [b.subset, b.percent])).toEqual([['canary', 100]]);
    expect(both.fault).toEqual({ abort: { httpStatus: 503, percent: 100 } });
    const path = mesh.request({ from, to, path: '/beta/x', headers: { 'x-chaos': 'on' } }).route!;
    expect(path.backends.map(b => b.subset)).toEqual(['canary']);
    expect(path.fault).toEqual({ abort: { httpStatus: 503, percent: 100 } });
    const faultOnly = mesh.request({ from, to, headers: { 'x-chaos': 'on' } }).route!;
    expect(faultOnly.backends.map(b => b.subset)).toEqual(['stable', 'canary']);
    expect(faultOnly.mirror).toEqual({ host: 'reviews.shop.svc.cluster.local', subset: 'canary', port: 9080, percent: 5 });
    expect(faultOnly.fault).toEqual({ abort: { httpStatus: 503, percent: 100 } });
    const canaryOnly = mesh.request({ from, to, headers: { 'x-canary': 'true' } }).route!;
    expect(canaryOnly.backends.map(b => b.subset)).toEqual(['canary']);
    expect(canaryOnly.fault).toBeUndefined();
    const plain = mesh.request({ from, to }).route!;
    expect(plain.rule).toBe(3);
    expect(plain.fault).toBeUndefined();
  });

  test('#15 item 8: a fault match that contradicts a route match (same header, two exact values) gets no fault rule for it', () => {
    const { chart } = setup([RequestMatch.header('x-canary', 'false')]);
    const http = findOne(synthValid(chart), 'VirtualService').spec.http;
    expect(http.map((r: any) => [r.name, r.match])).toEqual([
      ['fault-injection-canary-match', [{ headers: { 'x-canary': { exact: 'false' } }, uri: { prefix: '/beta' } }]],
      ['canary-match', [{ headers: { 'x-canary': { exact: 'true' } } }, { uri: { prefix: '/beta' } }]],
      ['fault-injection-weighted', [{ headers: { 'x-canary': { exact: 'false' } } }]],
      ['weighted', undefined],
    ]);
  });

  test('#15 item 8: the same condition in both is kept once', () => {
    const { chart } = setup([RequestMatch.header('x-canary', 'true')]);
    const http = findOne(synthValid(chart), 'VirtualService').spec.http;
    expect(http[0].match).toEqual([
      { headers: { 'x-canary': { exact: 'true' } } },
      { headers: { 'x-canary': { exact: 'true' } }, uri: { prefix: '/beta' } },
    ]);
  });

  test('#15 item 8: a fault match and a route match testing the path differently fail synth naming both props', () => {
    const { chart } = setup([RequestMatch.pathExact('/beta/x')]);
    expect(() => Testing.synth(chart)).toThrow('ResilientService test/resilience: faults.when[0] and CanaryRoute test/canary\'s canaryMatches[1] test the same path '
      + 'differently; the fault rule of that route needs both in one Istio match (#15.8), which cannot express it: '
      + 'test different request attributes in faults.when and canaryMatches');
  });

  test('#15 item 8: without a canary, the one route keeps its fault rule named fault-injection', () => {
    const t = testChart();
    appService(t.chart, 'ratings', 9080);
    new ResilientService(t.chart, 'r', { service: { name: 'ratings', port: 9080 }, faults: { abort: { percent: 100, httpStatus: 503 }, when: [RequestMatch.header('x-chaos', 'on')] } });
    expect(findOne(synthValid(t.chart), 'VirtualService').spec.http).toEqual([
      { name: 'fault-injection', match: [{ headers: { 'x-chaos': { exact: 'on' } } }], route: [{ destination: dest('ratings', 9080) }], fault: ABORT },
      { name: 'default', route: [{ destination: dest('ratings', 9080) }] },
    ]);
  });
});
