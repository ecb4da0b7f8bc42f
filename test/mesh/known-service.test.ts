import { ApiObject, App, Chart } from 'cdk8s';
import { forgetAppObjects } from '../../lib/mesh/app-objects';
import { containerPort, findKnownService } from '../../lib/mesh/known-service';

// GIVEN a Service 80 -> named port `web`, selecting the pods of one Deployment.
function app(): { app: App; chart: Chart } {
  const a = new App();
  const chart = new Chart(a, 'shop', { namespace: 'shop' });
  new ApiObject(chart, 'svc', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews' },
    spec: { selector: { 'app.kubernetes.io/name': 'reviews' }, ports: [{ port: 80, targetPort: 'web', name: 'http-web', appProtocol: 'http' }] },
  });
  new ApiObject(chart, 'deploy', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'reviews' },
    spec: { template: { metadata: { labels: { 'app.kubernetes.io/name': 'reviews' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'web', containerPort: 9080 }] }] } } },
  });
  return { app: a, chart };
}

describe('known services', () => {
  test('a declared Service is read with its selector and ports, and a named targetPort resolves through the workloads', () => {
    const { chart } = app();
    const svc = findKnownService(chart, 'shop', 'reviews');
    expect(svc).toEqual({ selector: { 'app.kubernetes.io/name': 'reviews' }, ports: [{ port: 80, targetPort: 'web', name: 'http-web', appProtocol: 'http' }] });
    expect(containerPort(chart, 'shop', svc!, svc!.ports[0])).toBe(9080);
    expect(findKnownService(chart, 'other', 'reviews')).toBeUndefined();
  });

  test('a Service added after a lookup is found once the index is dropped (as each synth does), or in a later tick', async () => {
    const { chart } = app();
    expect(findKnownService(chart, 'shop', 'ratings')).toBeUndefined();
    new ApiObject(chart, 'ratings', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ratings' }, spec: { ports: [{ port: 9080 }] } });
    forgetAppObjects(chart);
    expect(findKnownService(chart, 'shop', 'ratings')).toEqual({ selector: undefined, ports: [{ port: 9080 }] });
    new ApiObject(chart, 'details', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'details' }, spec: { ports: [{ port: 9080 }] } });
    await Promise.resolve();
    expect(findKnownService(chart, 'shop', 'details')).toEqual({ selector: undefined, ports: [{ port: 9080 }] });
  });
});
