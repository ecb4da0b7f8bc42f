import { ApiObject, Chart, Testing } from 'cdk8s';
import { CanaryRoute } from '../../lib';
import { MeshErrors } from '../../lib/mesh/errors';
import { synthSnapshot } from '../../lib/testing';

// GIVEN a chart, WHEN synthSnapshot runs, THEN it returns the validated objects as stable YAML,
// or throws a MeshError naming every error diagnostic (so a snapshot never records invalid config).

function shop(): { app: ReturnType<typeof Testing.app>; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } });
  new CanaryRoute(chart, 'reviews', { service: { name: 'reviews', port: 9080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
  return { app, chart };
}

describe('synthSnapshot', () => {
  test('a chart: its objects as YAML documents, exactly', () => {
    const yaml = synthSnapshot(shop().chart);
    expect(yaml.split('---\n').map(d => d.split('\n')[1])).toEqual(['kind: Service', 'kind: VirtualService', 'kind: DestinationRule']);
    expect(yaml.split('---\n')[0]).toBe([
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: reviews',
      '  namespace: shop',
      'spec:',
      '  ports:',
      '    - name: http',
      '      port: 9080',
      '  selector:',
      '    app: reviews',
      '',
    ].join('\n'));
    expect(yaml).toContain('          weight: 90\n');
  });

  test('an App: every chart, in order; twice gives the same text', () => {
    const { app, chart } = shop();
    expect(synthSnapshot(app)).toBe(synthSnapshot(chart));
    expect(synthSnapshot(shop().app)).toBe(synthSnapshot(app));
  });

  test('invalid objects: a MeshError with each error diagnostic, no YAML', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'bad', { namespace: 'shop' });
    new ApiObject(chart, 'vs', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x' }, spec: { hosts: ['x'], http: [{ route: [{ destination: { host: 'x' }, weight: 0 }, { destination: { host: 'y' }, weight: 0 }] }] } });
    let caught: unknown;
    try { synthSnapshot(chart); } catch (e) { caught = e; }
    expect(MeshErrors.isMeshError(caught)).toBe(true);
    expect((caught as Error).message).toBe([
      'synthSnapshot: the synthesized objects do not validate, no snapshot taken:',
      'error CI2018 VirtualService shop/x spec.http[0].route: all 2 destinations have weight 0 (total destination weight = 0); give at least one destination a positive weight',
    ].join('\n'));
  });
});
