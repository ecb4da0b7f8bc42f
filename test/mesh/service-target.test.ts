import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-33';
import { MeshError } from '../../lib';
import { resolveService } from '../../lib/tools';
import { testChart } from '../util';

describe('resolveService', () => {
  test('fills the namespace from the chart and builds the FQDN', () => {
    const scope = new Construct(testChart('shop').chart, 'route');
    expect(resolveService(scope, 'service', { name: 'reviews', port: 9080 })).toEqual({
      name: 'reviews', namespace: 'shop', port: 9080, host: 'reviews.shop.svc.cluster.local',
    });
  });

  test('an explicit namespace wins over the chart namespace', () => {
    const scope = new Construct(testChart('shop').chart, 'route');
    expect(resolveService(scope, 'service', { name: 'ratings', namespace: 'other', port: 80 }).host)
      .toBe('ratings.other.svc.cluster.local');
  });

  test('without any namespace it is an error that says where to set one', () => {
    const scope = new Construct(testChart(null).chart, 'route');
    expect(() => resolveService(scope, 'service', { name: 'reviews', port: 9080 }))
      .toThrow('Construct test/route: service.namespace must be set on the target or on the enclosing Chart (`new Chart(app, id, { namespace })`), got undefined');
  });

  test.each([0, 70000])('port %d is rejected', port => {
    const scope = new Construct(testChart().chart, 'route');
    expect(() => resolveService(scope, 'service', { name: 'reviews', port })).toThrow(MeshError);
    expect(() => resolveService(scope, 'service', { name: 'reviews', port }))
      .toThrow(`service.port must be an integer 1..65535, got ${port}`);
  });

  test('a non-DNS-1123 name is rejected', () => {
    const scope = new Construct(testChart().chart, 'route');
    expect(() => resolveService(scope, 'service', { name: 'Reviews_V1', port: 80 }))
      .toThrow(/service.name must be a DNS-1123 label .*got "Reviews_V1"/);
    expect(() => resolveService(scope, 'service', { name: 'reviews', namespace: 'Shop', port: 80 }))
      .toThrow(/service.namespace must be a DNS-1123 label .*got "Shop"/);
  });

  test('accepts a cdk8s-plus Service with one port', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'plus', { namespace: 'shop' });
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'details' }, ports: [{ port: 9080 }] });
    const scope = new Construct(chart, 'route');
    expect(resolveService(scope, 'service', svc)).toEqual({
      name: 'details', namespace: 'shop', port: 9080, host: 'details.shop.svc.cluster.local',
    });
  });

  test('a cdk8s-plus Service with several ports must be narrowed to one', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'plus', { namespace: 'shop' });
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'details' }, ports: [{ port: 9080 }, { port: 9090 }] });
    const scope = new Construct(chart, 'route');
    expect(() => resolveService(scope, 'service', svc))
      .toThrow('Construct plus/route: service.ports must be exactly one port on a cdk8s-plus Service (pass { name, namespace, port } to pick one of several), got [9080,9090]');
  });

  test('a non-object is rejected', () => {
    const scope = new Construct(testChart().chart, 'route');
    expect(() => resolveService(scope, 'service', undefined as any)).toThrow(/service must be a ServiceTarget/);
  });
});
