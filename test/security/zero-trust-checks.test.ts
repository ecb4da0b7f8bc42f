import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { AmbientNamespace, Identity, MeshContext, ZeroTrustNamespace } from '../../lib';
import { validateManifests } from '../../lib/tools';
import { appService } from '../../examples/shop';
import { findAll, findOne, synthValid, testChart } from '../util';

// Issue #15, security items 1-3 and 6: policies that validate but do not do what they say.
// Evaluation: CUSTOM, then DENY, then ALLOW; ALLOW policies are ORed, so an ALLOW for "any token"
// widens every allow() of the same workload:
// https://istio.io/latest/docs/reference/config/security/authorization-policy/ (and istio/api
// security/v1beta1/authorization_policy.proto, "Authorization Policy evaluation").

const JWT = { issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['shop'] };
const PRODUCTPAGE = 'cluster.local/ns/shop/sa/productpage';

function policies(docs: any[]): Array<{ name: string; spec: unknown }> {
  return findAll(docs, 'AuthorizationPolicy').map(p => ({ name: p.metadata.name, spec: p.spec }));
}

function warnings(scope: any): string[] {
  return MeshContext.of(scope).warnings.map(w => w.message);
}

describe('#15.1 requireJwt() never adds callers', () => {
  test('#15.1 requireJwt never adds callers: with allow() rules only RequestAuthentication + the DENY for token-less requests', () => {
    // GIVEN
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'reviews', port: 9080 } });
    // WHEN
    const req = ns.requireJwt({ ...JWT, to: { name: 'reviews', port: 9080 } });
    // THEN: no ALLOW on requestPrincipals (before: `jwt-reviews-allow`, which let any token holder in)
    const docs = synthValid(chart);
    const reviews = { matchLabels: { app: 'reviews' } };
    expect(policies(docs)).toEqual([
      { name: 'allow-nothing', spec: {} },
      { name: 'allow-reviews', spec: { selector: reviews, action: 'ALLOW', rules: [{ from: [{ source: { principals: [PRODUCTPAGE] } }] }] } },
      { name: 'jwt-reviews-require', spec: { selector: reviews, action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] } },
    ]);
    expect(findOne(docs, 'RequestAuthentication').spec).toEqual({ selector: reviews, jwtRules: [JWT] });
    expect(req.allow).toBeUndefined();
    expect(ns.policies.map(p => p.name)).toEqual(['allow-reviews']);
    expect(warnings(chart)).toEqual([]);
  });

  test('#15.1 allowAnyCallerWithToken is the explicit opt-in for "any caller with a token", with a warning', () => {
    // GIVEN
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    // WHEN
    ns.requireJwt({ ...JWT, to: { name: 'reviews', port: 9080 }, allowAnyCallerWithToken: true });
    // THEN
    const docs = synthValid(chart);
    expect(findOne(docs, 'AuthorizationPolicy', 'jwt-reviews-allow').spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { requestPrincipals: ['https://auth.example.com/*'] } }] }],
    });
    expect(warnings(chart)).toEqual([
      'ZeroTrustNamespace test/zt: requireJwt(jwt-reviews): allowAnyCallerWithToken: any caller presenting a valid token of https://auth.example.com, '
      + 'from any namespace, may call the target; ALLOW policies are ORed, so this adds callers to every allow() of it',
    ]);
  });

  test('#15.1 a requirement that no allow() covers: nothing may call the target, and a warning says so', () => {
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'details', port: 9080 } });
    ns.requireJwt({ ...JWT, to: { name: 'reviews', port: 9080 } });
    synthValid(chart);
    expect(warnings(chart)).toEqual([
      'ZeroTrustNamespace test/zt: requireJwt(jwt-reviews): no allow() admits callers to Service "reviews", so nothing may call it '
      + '(a token requirement adds no callers): name the callers with allow(), or set allowAnyCallerWithToken: true to let any caller with a valid token in',
    ]);
  });

  // `/api/*` is rendered by istiod as the Envoy prefix matcher "/api/" (a trailing `*` becomes a
  // prefix match on what precedes it), which does not match "/api":
  // istio/istio 1.30.3 pilot/pkg/security/authz/matcher/string.go `StringMatcherWithPrefix`,
  // pilot/pkg/security/authz/model/generator.go `pathGenerator` (url_path: the path without query).
  test('#15.1 the DENY covers the paths it claims: /api/* also covers /api', () => {
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'reviews', port: 9080 } });
    ns.requireJwt({ ...JWT, to: { name: 'reviews', port: 9080 }, paths: ['/api/*', '/v1/*', '/*', '/login', '*.json', '/v1'] });
    expect(findOne(synthValid(chart), 'AuthorizationPolicy', 'jwt-reviews-require').spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      action: 'DENY',
      rules: [{
        from: [{ source: { notRequestPrincipals: ['*'] } }],
        to: [{ operation: { paths: ['/api/*', '/api', '/v1/*', '/v1', '/*', '/login', '*.json'] } }],
      }],
    });
  });
});

describe('#15.2 ambient: a JWT at the waypoint is never bypassed through ztunnel', () => {
  function payments(props: { ingressUseWaypoint?: boolean } = {}) {
    const { app, chart } = testChart('payments');
    appService(chart, 'checkout', 8080);
    const amb = new AmbientNamespace(chart, 'amb', { name: 'payments', waypoint: true, ...props });
    const ns = new ZeroTrustNamespace(chart, 'zt', { namespace: amb });
    return { app, chart, ns };
  }

  // Ingress gateways (without ingress-use-waypoint) and sidecars reach the destination ztunnel
  // directly: "traffic from sidecars and gateways won't go through any waypoint proxy"
  // (https://istio.io/latest/docs/ambient/architecture/data-plane/); targetRefs policies are never
  // sent to ztunnel (istio/istio 1.30.3 pilot/pkg/serviceregistry/kube/controller/ambient authorization
  // conversion: "TargetRef is not intended for ztunnel").
  test('#15.2 an allow() that admits an ingress gateway at ztunnel next to a JWT at the waypoint fails synth naming the bypass', () => {
    const { chart, ns } = payments();
    ns.allow({ from: [Identity.ingressGateway()], to: { name: 'checkout', port: 8080 } });
    ns.requireJwt({ ...JWT, to: { name: 'checkout', port: 8080 } });
    expect(() => Testing.synth(chart)).toThrow(new RegExp(
      'requireJwt\\(jwt-checkout\\): the token is checked at waypoint payments/waypoint of Service "checkout", but allow\\(allow-checkout\\) admits '
      + 'ingressGateway istio-ingress/istio-ingress at ztunnel directly to the workloads of Service "checkout" \\(sidecar clients, ingress gateways '
      + 'without ingressUseWaypoint and traffic to pod IPs skip the waypoint\\), where no token is checked: that bypasses the requirement'));
  });

  test('#15.2 a namespace-wide L4 allow (also emitted at ztunnel) next to a JWT at the waypoint fails synth', () => {
    const { chart, ns } = payments();
    ns.allow({ from: [Identity.anyInNamespace('monitoring')] });
    ns.requireJwt({ ...JWT, to: { name: 'checkout', port: 8080 } });
    expect(() => Testing.synth(chart)).toThrow(/allow\(allow-namespace\) admits namespace monitoring at ztunnel directly to the workloads of namespace "payments"/);
  });

  test('#15.2 every rule for a waypoint-bound target at the waypoint: ztunnel admits only the waypoint identity', () => {
    // GIVEN: the ingress gateway uses the waypoint
    const { chart, ns } = payments({ ingressUseWaypoint: true });
    ns.allow({ from: [Identity.ingressGateway()], to: { name: 'checkout', port: 8080 } });
    ns.requireJwt({ ...JWT, to: { name: 'checkout', port: 8080 } });
    // THEN
    const svc = [{ group: '', kind: 'Service', name: 'checkout' }];
    expect(policies(synthValid(chart))).toEqual([
      { name: 'allow-nothing', spec: {} },
      { name: 'allow-waypoints', spec: { action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/payments/sa/waypoint'] } }] }] } },
      { name: 'waypoint-allow-nothing', spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }], action: 'ALLOW' } },
      {
        name: 'allow-checkout',
        spec: {
          targetRefs: svc,
          action: 'ALLOW',
          rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingress'] } }], to: [{ operation: { ports: ['8080'] } }] }],
        },
      },
      { name: 'jwt-checkout-require', spec: { targetRefs: svc, action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] } },
    ]);
  });
});

describe('#15.3 the root namespace is not a namespace like the others', () => {
  // Policies in the root namespace (meshConfig.rootNamespace, default istio-system) apply mesh-wide:
  // istio/api security/v1beta1/authorization_policy.proto and peer_authentication.proto.
  test('#15.3 ZeroTrustNamespace and AmbientNamespace refuse istio-system', () => {
    const { chart } = testChart('istio-system');
    expect(() => new ZeroTrustNamespace(chart, 'zt', { name: 'istio-system' })).toThrow(
      'ZeroTrustNamespace test/zt: name must be a namespace other than the mesh root namespace "istio-system": policies there apply mesh-wide '
      + '(its PeerAuthentication, allow-nothing and selector allows would cover every namespace); declare the namespaces of your workloads '
      + '(MeshContext.rootNamespace names the root namespace), got "istio-system"');
    expect(() => new AmbientNamespace(chart, 'amb', { name: 'istio-system' })).toThrow(
      /AmbientNamespace test\/amb: name must be a namespace other than the mesh root namespace "istio-system"/);
  });

  test('#15.3 a configured root namespace is refused, also when configured after the construct', () => {
    const { chart } = testChart('mesh-root');
    MeshContext.of(chart).rootNamespace = 'mesh-root';
    expect(() => new ZeroTrustNamespace(chart, 'zt', { name: 'mesh-root' })).toThrow(/mesh root namespace "mesh-root"/);
    const late = testChart('ops');
    new ZeroTrustNamespace(late.chart, 'zt', { name: 'ops' });
    MeshContext.of(late.chart).rootNamespace = 'ops';
    expect(() => Testing.synth(late.chart)).toThrow(/ZeroTrustNamespace test\/zt: name must be a namespace other than the mesh root namespace "ops"/);
  });
});

describe('#15.6 weak JWT and principal settings are not accepted silently', () => {
  test('#15.6 an http:// jwksUri is an error', () => {
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    expect(() => ns.requireJwt({ ...JWT, jwksUri: 'http://auth.example.com/jwks.json' })).toThrow(
      'ZeroTrustNamespace test/zt: requireJwt.jwksUri must be an https:// URL: istiod fetches the signing keys from it, and keys fetched '
      + 'over plain HTTP can be replaced on the way, letting whoever does it mint accepted tokens, got "http://auth.example.com/jwks.json"');
  });

  test('#15.6 no audiences: a warning (any token of the issuer is accepted)', () => {
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')] });
    ns.requireJwt({ issuer: JWT.issuer, jwksUri: JWT.jwksUri });
    synthValid(chart);
    expect(warnings(chart)).toEqual([
      'ZeroTrustNamespace test/zt: requireJwt(jwt-namespace): no audiences: every token of https://auth.example.com is accepted, also one issued '
      + 'for another application of that issuer (which can then be replayed here); set `audiences` to the audience of this service',
    ]);
  });

  test('#15.6 Identity.principal("*") in allow(): a warning (every mesh workload matches)', () => {
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.principal('*')], to: { name: 'reviews', port: 9080 } });
    synthValid(chart);
    expect(warnings(chart)).toEqual([
      'ZeroTrustNamespace test/zt: allow(allow-reviews): principal "*" admits every workload with a mesh identity, in every namespace '
      + '(it only excludes plaintext callers); name the callers with Identity.serviceAccount() or Identity.anyInNamespace()',
    ]);
  });
});

describe('#15.1/#15.6 the validator flags the same mistakes in hand-written manifests', () => {
  const meta = { name: 'p', namespace: 'shop' };
  function diagnostics(doc: unknown): Array<{ code: string; severity: string; path?: string; message: string }> {
    return validateManifests([doc]).filter(d => d.code === 'CI2190' || d.code === 'CI2191').map(d => ({ code: d.code, severity: d.severity, path: d.path, message: d.message }));
  }

  test('#15.1 CI2191: a DENY on /api/* without /api', () => {
    const deny = (paths: string[]) => ({
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta,
      spec: { action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths } }] }] },
    });
    expect(diagnostics(deny(['/api/*']))).toEqual([{
      code: 'CI2191', severity: 'warning', path: 'spec.rules[0].to[0].operation.paths[0]',
      message: 'DENY on "/api/*" does not cover "/api" (a trailing * is a prefix match on "/api/"); add "/api" to the paths',
    }]);
    expect(diagnostics(deny(['/api/*', '/api']))).toEqual([]);
    // an ALLOW on a prefix is not a hole (it admits less)
    expect(diagnostics({ ...deny(['/api/*']), spec: { ...deny(['/api/*']).spec, action: 'ALLOW' } })).toEqual([]);
  });

  test('#15.6 CI2190: a RequestAuthentication jwksUri over http://', () => {
    const ra = (jwksUri: string) => ({
      apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: meta,
      spec: { jwtRules: [{ issuer: 'https://auth.example.com', jwksUri }] },
    });
    expect(diagnostics(ra('http://auth.example.com/jwks.json'))).toEqual([{
      code: 'CI2190', severity: 'warning', path: 'spec.jwtRules[0].jwksUri',
      message: 'jwksUri "http://auth.example.com/jwks.json" is plain HTTP: istiod fetches the signing keys over it, and keys replaced on the way let '
        + 'whoever does it mint accepted tokens; use https://',
    }]);
    expect(diagnostics(ra('https://auth.example.com/jwks.json'))).toEqual([]);
  });
});

describe('#15.4 allow({ to }) selects what the Service selects and restricts its port', () => {
  function service(chart: any, name: string, selector: Record<string, string>, ports: unknown[]): void {
    new ApiObject(chart, `${name}-svc`, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector, ports } });
  }

  // Operation.ports are the workload's (container) ports at sidecars and ztunnel: istio/api
  // security/v1beta1/authorization_policy.proto (istio/api#3075, istio/istio#49098).
  test('#15.4 sidecar: the Service selector (app.kubernetes.io/name) and targetPort 8080 for Service port 80', () => {
    // GIVEN
    const { chart } = testChart('shop');
    service(chart, 'reviews', { 'app.kubernetes.io/name': 'reviews' }, [{ name: 'http', port: 80, targetPort: 8080 }]);
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    // WHEN
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'reviews', port: 80 } });
    ns.requireJwt({ ...JWT, to: { name: 'reviews', port: 80 } });
    // THEN
    const docs = synthValid(chart);
    const selector = { matchLabels: { 'app.kubernetes.io/name': 'reviews' } };
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-reviews').spec).toEqual({
      selector,
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: [PRODUCTPAGE] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
    expect(findOne(docs, 'RequestAuthentication').spec.selector).toEqual(selector);
    expect(findOne(docs, 'AuthorizationPolicy', 'jwt-reviews-require').spec.selector).toEqual(selector);
    expect(MeshContext.of(chart).infos).toEqual([]);
  });

  test('#15.4 a named targetPort is resolved through the workloads the Service selects (a cdk8s-plus Deployment)', () => {
    const { chart } = testChart('shop');
    new kplus.Deployment(chart, 'reviews-deploy', {
      metadata: { name: 'reviews' },
      podMetadata: { labels: { 'app.kubernetes.io/name': 'reviews' } },
      containers: [{ image: 'example/reviews', ports: [{ name: 'web', number: 9443 }], securityContext: { ensureNonRoot: false } }],
    });
    service(chart, 'reviews', { 'app.kubernetes.io/name': 'reviews' }, [{ name: 'https', port: 443, targetPort: 'web' }]);
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'reviews', port: 443 } });
    expect(findOne(synthValid(chart), 'AuthorizationPolicy', 'allow-reviews').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'reviews' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: [PRODUCTPAGE] } }], to: [{ operation: { ports: ['9443'] } }] }],
    });
  });

  test('#15.4 a cdk8s-plus Service as `to`: its selector and targetPort', () => {
    const { chart } = testChart('shop');
    const svc = new kplus.Service(chart, 'reviews-svc', { metadata: { name: 'reviews' }, ports: [{ port: 443, targetPort: 9443 }] });
    svc.selectLabel('app.kubernetes.io/name', 'reviews');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: svc });
    expect(findOne(synthValid(chart), 'AuthorizationPolicy', 'allow-reviews').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'reviews' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: [PRODUCTPAGE] } }], to: [{ operation: { ports: ['9443'] } }] }],
    });
  });

  // A waypoint's inbound chains are keyed on the Service port: istio/istio 1.30.3
  // pilot/pkg/networking/core/listener_waypoint.go (one chain per `svc.Ports`, `TargetPort: uint32(port.Port)`).
  test('#15.4 waypoint: the rule keeps the Service port', () => {
    const { chart } = testChart('payments');
    service(chart, 'checkout', { app: 'checkout' }, [{ name: 'http', port: 80, targetPort: 8080 }]);
    const ns = new ZeroTrustNamespace(chart, 'zt', { namespace: new AmbientNamespace(chart, 'amb', { name: 'payments', waypoint: true }) });
    ns.allow({ from: [Identity.serviceAccount('payments', 'frontend')], to: { name: 'checkout', port: 80 }, methods: ['GET'] });
    expect(findOne(synthValid(chart), 'AuthorizationPolicy', 'allow-checkout').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'checkout' }],
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/payments/sa/frontend'] } }], to: [{ operation: { ports: ['80'], methods: ['GET'] } }] }],
    });
  });

  test('#15.4 a Service defined elsewhere: app=<name>, no port restriction, and an info saying what was assumed', () => {
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'reviews', port: 9080 } });
    expect(findOne(synthValid(chart), 'AuthorizationPolicy', 'allow-reviews').spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: [PRODUCTPAGE] } }] }],
    });
    expect(MeshContext.of(chart).infos.map(i => i.message)).toEqual([
      'ZeroTrustNamespace test/zt: allow(allow-reviews): Service shop/reviews is not defined in this App: assumed that its pods carry the label app=reviews',
      'ZeroTrustNamespace test/zt: allow(allow-reviews): Service shop/reviews is not defined in this App: its container port is unknown, so the rule does '
      + 'not restrict the port (to.port 9080 is a Service port); set `ports` to the container port to restrict it',
    ]);
  });

  test('#15.4 a to.port that the Service does not expose fails synth', () => {
    const { chart } = testChart('shop');
    service(chart, 'reviews', { app: 'reviews' }, [{ name: 'http', port: 80 }]);
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'reviews', port: 9080 } });
    expect(() => Testing.synth(chart)).toThrow(/ZeroTrustNamespace test\/zt: allow\(allow-reviews\): to.port 9080 is not a port of Service shop\/reviews \(ports: 80\)/);
  });
});

describe('#15.5 Identity.ingressGateway() is checked against the App\'s Gateways', () => {
  function gateway(chart: any, selector: Record<string, string>): void {
    new ApiObject(chart, `gw-${Object.values(selector).join('-')}`, {
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway' },
      spec: { selector, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
    });
  }
  function allowIngress(chart: any): unknown {
    const ns = new ZeroTrustNamespace(chart, 'zt', { name: 'shop' });
    ns.allow({ from: [Identity.ingressGateway()], to: { name: 'productpage', port: 9080 } });
    return findOne(synthValid(chart), 'AuthorizationPolicy', 'allow-productpage').spec.rules[0].from[0].source.principals;
  }

  // istioctl's default profile installs Deployment istio-ingressgateway in istio-system with pods
  // labelled istio=ingressgateway and service account istio-ingressgateway-service-account:
  // istio/istio 1.30.3 manifests/profiles/default.yaml, manifests/charts/gateways/istio-ingress/{values.yaml,templates/serviceaccount.yaml}.
  test('#15.5 a Gateway selecting istio=ingressgateway (istioctl install): the identity is derived, with an info', () => {
    const { chart } = testChart('shop');
    gateway(chart, { istio: 'ingressgateway' });
    expect(allowIngress(chart)).toEqual(['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account']);
    expect(MeshContext.of(chart).infos.map(i => i.message)).toContain(
      'ZeroTrustNamespace test/zt: allow(allow-productpage): Identity.ingressGateway() is istioctl\'s istio-ingressgateway '
      + '(istio-system/istio-ingressgateway-service-account): the App\'s Gateways (shop/bookinfo-gateway) select istio=ingressgateway');
  });

  // The Helm chart istio/gateway released as istio-ingress labels its pods istio=ingress and runs as
  // service account istio-ingress: manifests/charts/gateway/templates/_helpers.tpl.
  test('#15.5 a Gateway selecting istio=ingress (Helm install): the default stands, silently', () => {
    const { chart } = testChart('shop');
    gateway(chart, { istio: 'ingress' });
    expect(allowIngress(chart)).toEqual(['cluster.local/ns/istio-ingress/sa/istio-ingress']);
    expect(warnings(chart)).toEqual([]);
  });

  test('#15.5 a Gateway selecting another gateway: a warning', () => {
    const { chart } = testChart('shop');
    gateway(chart, { app: 'my-gateway' });
    expect(allowIngress(chart)).toEqual(['cluster.local/ns/istio-ingress/sa/istio-ingress']);
    expect(warnings(chart)).toEqual([
      'ZeroTrustNamespace test/zt: allow(allow-productpage): Identity.ingressGateway() assumes the Helm-installed gateway istio-ingress/istio-ingress '
      + '(pods labelled istio=ingress), but the App\'s Gateways select shop/bookinfo-gateway: istio=(none): pass the namespace and service account '
      + 'of the gateway those select (Identity.ingressGateway({ namespace, serviceAccount })), or its traffic is denied',
    ]);
  });

  test('#15.5 no Gateway in the App: an info saying what was assumed', () => {
    const { chart } = testChart('shop');
    expect(allowIngress(chart)).toEqual(['cluster.local/ns/istio-ingress/sa/istio-ingress']);
    expect(MeshContext.of(chart).infos.map(i => i.message)).toContain(
      'ZeroTrustNamespace test/zt: allow(allow-productpage): Identity.ingressGateway() assumed the gateway of Istio\'s Helm install (service account '
      + 'istio-ingress/istio-ingress); for istioctl\'s istio-ingressgateway pass Identity.ingressGateway({ namespace: \'istio-system\', serviceAccount: '
      + '\'istio-ingressgateway-service-account\' }), for a Gateway API gateway { gatewayName }');
  });
});
