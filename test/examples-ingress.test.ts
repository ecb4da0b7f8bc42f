import { Testing } from 'cdk8s';
import { MeshSimulation } from '../lib';
import { buildExampleApp } from '../examples/shop';
import { expectValid, findOne } from './util';

// examples/ingress.ts: TLS ingress for productpage with HTTP -> HTTPS redirect (Istio Gateway for the
// Helm-installed gateway) and a TCP canary for inventory-db.

describe('example ingress', () => {
  const docs = buildExampleApp(Testing.app()).charts.flatMap(c => Testing.synth(c));

  test('the whole app validates clean', () => {
    expectValid(docs);
  });

  test('bookinfo.example.com: HTTPS server with the certificate, HTTP server redirecting, VirtualService to productpage', () => {
    expect(findOne(docs, 'Gateway', 'public')).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'istio-ingress' },
      spec: {
        selector: { istio: 'ingress' },
        servers: [
          { port: { number: 443, name: 'https-443', protocol: 'HTTPS' }, hosts: ['./bookinfo.example.com'], tls: { mode: 'SIMPLE', credentialName: 'bookinfo-cert' } },
          { port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['bookinfo.example.com'], tls: { httpsRedirect: true } },
        ],
      },
    });
    expect(findOne(docs, 'VirtualService', 'public-bookinfo-example-com').spec).toEqual({
      hosts: ['bookinfo.example.com'], gateways: ['istio-ingress/public'],
      http: [{ route: [{ destination: { host: 'productpage.shop.svc.cluster.local', port: { number: 9080 } } }] }],
    });
  });

  test('the gateway identity is the one the shop namespace admits to productpage', () => {
    const allow = docs.filter(d => d.kind === 'AuthorizationPolicy' && d.metadata.namespace === 'shop'
      && d.spec.selector?.matchLabels?.app === 'productpage');
    expect(allow.flatMap(p => p.spec.rules.flatMap((r: any) => r.from.flatMap((f: any) => f.source.principals ?? []))))
      .toContain('cluster.local/ns/istio-ingress/sa/istio-ingress');
  });

  test('through the simulator: the gateway reaches productpage, and only productpage', () => {
    // A request through the gateway names the public host: the gateway's VirtualService routes it
    // to productpage, whose sidecar admits the gateway identity. reviews has no server on the
    // gateway (404), so it is not reachable from outside.
    const mesh = MeshSimulation.fromApp(buildExampleApp(Testing.app()));
    const via = { gateway: 'istio-ingress/public' };
    const page = mesh.request({ via, to: { host: 'bookinfo.example.com', port: 443 }, path: '/productpage' });
    const reviews = mesh.request({ via, to: { host: 'reviews.shop', port: 9080 } });
    expect([page.allowed, page.decision.policy, page.route?.backends.map(b => b.host)])
      .toEqual([true, 'shop/allow-productpage', ['productpage.shop.svc.cluster.local']]);
    expect([reviews.allowed, reviews.route]).toEqual([false, undefined]);
  });

  test('inventory-db: 90/10 TCP split', () => {
    expect(findOne(docs, 'VirtualService', 'inventory-db').spec.tcp).toEqual([{
      route: [
        { destination: { host: 'inventory-db.shop.svc.cluster.local', port: { number: 5432 }, subset: 'stable' }, weight: 90 },
        { destination: { host: 'inventory-db.shop.svc.cluster.local', port: { number: 5432 }, subset: 'canary' }, weight: 10 },
      ],
    }]);
  });
});
