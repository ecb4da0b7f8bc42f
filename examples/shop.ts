import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshContext } from '../lib';
import { addPaymentsExternal, addShopExternal } from './external';
import { addShopDatabase, IngressChart } from './ingress';
import { addIngressRateLimit, addShopObservability } from './observability';
import { addPaymentsSecurity, addShopSecurity } from './security';
import { addPaymentsTraffic, addShopTraffic } from './traffic';
import { addLegacyDb } from './vm';

/** The services of the example "shop" mesh (bookinfo-style) and their ports. */
export const SHOP_SERVICES = [
  { name: 'productpage', port: 9080, versions: ['v1'] },
  { name: 'reviews', port: 9080, versions: ['v1', 'v2'] },
  { name: 'ratings', port: 9080, versions: ['v1'] },
  { name: 'details', port: 9080, versions: ['v1'] },
] as const;

/** The services of the example "payments" namespace (ambient). */
export const PAYMENTS_SERVICES = [
  { name: 'checkout', port: 8080, versions: ['v1', 'v2'] },
] as const;

/** A core v1 Service selecting pods by `app` label. */
export function appService(scope: Construct, name: string, port: number): ApiObject {
  return new ApiObject(scope, `${name}-service`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { app: name } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port, targetPort: port }] },
  });
}

/**
 * The example "shop" mesh: namespace `shop` (sidecar) with productpage, reviews (v1, v2), ratings
 * and details. Each area adds its part from its own file: security.ts (namespace, mTLS,
 * authorization), traffic.ts (routing and resilience), external.ts (external APIs).
 */
export class ShopChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop' });
    MeshContext.of(this);
    for (const svc of SHOP_SERVICES) appService(this, svc.name, svc.port);
    addShopSecurity(this);
    addShopTraffic(this);
    addShopExternal(this);
    addShopDatabase(this);
    addShopObservability(this);
    addIngressRateLimit(this);
  }
}

/** The example "payments" namespace: ambient, with a waypoint. */
export class PaymentsChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'payments' });
    for (const svc of PAYMENTS_SERVICES) appService(this, svc.name, svc.port);
    addPaymentsSecurity(this);
    addPaymentsTraffic(this);
    addPaymentsExternal(this);
  }
}

/** The example "db" namespace: `legacy-db`, a VM, called by shop's ratings. */
export class DbChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'db' });
    addLegacyDb(this);
  }
}

/** Builds the example app (used by `examples/main.ts` and by the tests). */
export function buildExampleApp(app: App): App {
  new ShopChart(app, 'shop');
  new PaymentsChart(app, 'payments');
  new IngressChart(app, 'ingress');
  new DbChart(app, 'db');
  return app;
}
