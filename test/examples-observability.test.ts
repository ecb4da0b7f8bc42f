import { Testing } from 'cdk8s';
import { buildExampleApp } from '../examples/shop';
import { findAll, findOne } from './util';

// The example app's telemetry, rate limit and VM (issue #20): tracing at 10% for shop, access logs
// for errors only, a local rate limit on the ingress gateway, legacy-db as a VM called by ratings.
describe('example app: observability, rate limit, VM', () => {
  const app = buildExampleApp(Testing.app());
  const docs = app.charts.flatMap(c => Testing.synth(c));

  test('shop traces 10% of requests and logs only failed ones', () => {
    expect(findOne(docs, 'Telemetry').spec).toEqual({
      tracing: [{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: 10, customTags: { team: { literal: { value: 'shop' } } } }],
      accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }],
    });
  });

  test('the ingress gateway has a local rate limit', () => {
    const ef = findOne(docs, 'EnvoyFilter');
    expect([ef.metadata, ef.spec.workloadSelector, ef.spec.configPatches[0].match.context, ef.spec.configPatches[0].patch.value.typed_config.token_bucket]).toEqual([
      { name: 'ingress-rate-limit', namespace: 'istio-ingress' }, { labels: { istio: 'ingress' } }, 'GATEWAY',
      { max_tokens: 200, tokens_per_fill: 100, fill_interval: '1s' },
    ]);
  });

  test('legacy-db is a VM behind a MESH_INTERNAL ServiceEntry that only ratings may call', () => {
    const db = docs.filter(d => d.metadata?.namespace === 'db');
    expect(findOne(db, 'WorkloadEntry').spec).toEqual({ address: '10.0.0.12', labels: { app: 'legacy-db' }, serviceAccount: 'legacy-db' });
    expect(findOne(db, 'ServiceEntry').spec.hosts).toEqual(['legacy-db.db.svc.cluster.local']);
    expect(findAll(db, 'AuthorizationPolicy').find(p => p.spec.selector?.matchLabels?.app === 'legacy-db')?.spec).toEqual({
      selector: { matchLabels: { app: 'legacy-db' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/ratings'] } }], to: [{ operation: { ports: ['5432'] } }] }],
    });
    const shopSidecar = findOne(docs.filter(d => d.metadata?.namespace === 'shop'), 'Sidecar');
    expect(shopSidecar.spec.egress[0].hosts).toContain('db/*');
  });
});
