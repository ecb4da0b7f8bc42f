import { Testing } from 'cdk8s';
import { buildExampleApp } from '../examples/shop';
import { synthSnapshot } from '../lib/testing';

// GIVEN the example app, WHEN it is synthesized through the cdk8s-istio/testing snapshot helper,
// THEN its YAML equals the committed snapshot (jest --ci fails on drift, never writes), next to
// exact assertions on what the snapshot must contain.

describe('example app YAML', () => {
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const app = buildExampleApp(Testing.app());
  const yaml = synthSnapshot(app);
  quiet.mockRestore();
  const docs = yaml.split('---\n');

  test('the snapshot of every chart', () => {
    expect(yaml).toMatchSnapshot();
  });

  test('the documents, chart by chart, exactly', () => {
    expect(app.charts.map(c => c.node.id)).toEqual(['shop', 'payments', 'ingress', 'db']);
    expect(docs).toHaveLength(app.charts.flatMap(c => Testing.synth(c)).length);
    expect(docs.filter(d => d.startsWith('apiVersion: networking.istio.io/v1\nkind: VirtualService\n')).map(d => /\n {2}name: (\S+)\n {2}namespace: (\S+)\n/.exec(d)!.slice(1).join('/')))
      .toEqual(['reviews/shop', 'ratings/shop', 'details/shop', 'moderation-example-com/shop', 'inventory-db/shop', 'public-bookinfo-example-com/istio-ingress']);
  });

  test('the reviews canary splits 90/10 in the snapshot text', () => {
    const vs = docs.find(d => d.includes('kind: VirtualService\nmetadata:\n  name: reviews\n'))!;
    expect(vs.match(/weight: \d+/g)).toEqual(['weight: 90', 'weight: 10']);
  });
});
