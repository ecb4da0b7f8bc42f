import * as fc from 'fast-check';
import { AmbientNamespace, Identity, ZeroTrustNamespace } from '../../lib';
import { appService } from '../../examples/shop';
import { attempt } from './attempt';
import { findAll, synthValid, testChart } from '../util';

// Property tests over the input space of ZeroTrustNamespace: accepted input gives valid output,
// rejected input gives MeshError (never a TypeError); the JWT invariant holds for every input.

const identity = fc.oneof(
  fc.tuple(fc.constantFrom('shop', 'payments', 'Bad', ''), fc.constantFrom('productpage', 'checkout', 'x_y')).map(([ns, sa]) => Identity.serviceAccount(ns, sa)),
  fc.constantFrom('monitoring', 'shop', 'a b').map(ns => Identity.anyInNamespace(ns)),
  fc.constantFrom('*', 'cluster.local/ns/a/sa/b', 'spiffe://cluster.local/ns/a/sa/b', '').map(p => Identity.principal(p)),
  fc.constant(Identity.ingressGateway()),
);

const allowOptions = fc.record({
  from: fc.oneof(fc.array(identity, { maxLength: 3 }), fc.anything()),
  to: fc.option(fc.oneof(
    fc.constantFrom('checkout', 'ledger').map(name => ({ name, port: 8080 })),
    fc.record({ name: fc.string(), port: fc.integer() }),
    fc.anything(),
  ), { nil: undefined }),
  methods: fc.option(fc.oneof(fc.array(fc.constantFrom('GET', 'POST', 'get', '')), fc.anything()), { nil: undefined }),
  paths: fc.option(fc.oneof(fc.array(fc.constantFrom('/api/*', '/x', '*', 'api', '/a b')), fc.anything()), { nil: undefined }),
  ports: fc.option(fc.oneof(fc.array(fc.integer({ min: -1, max: 70000 })), fc.anything()), { nil: undefined }),
}, { requiredKeys: [] });

const jwtOptions = fc.record({
  issuer: fc.oneof(fc.constant('https://auth.example.com'), fc.string(), fc.anything()),
  jwksUri: fc.oneof(fc.constant('https://auth.example.com/jwks.json'), fc.string(), fc.anything()),
  audiences: fc.option(fc.oneof(fc.array(fc.string()), fc.anything()), { nil: undefined }),
  to: fc.option(fc.constantFrom('checkout', 'ledger').map(name => ({ name, port: 8080 })), { nil: undefined }),
  paths: fc.option(fc.array(fc.constantFrom('/api/*', '/x', '*', 'bad')), { nil: undefined }),
  ports: fc.option(fc.array(fc.integer({ min: 0, max: 70000 }), { maxLength: 2 }), { nil: undefined }),
  allowAnyCallerWithToken: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: [] });

function setup(ambient: boolean): { chart: ReturnType<typeof testChart>['chart']; ns: ZeroTrustNamespace } {
  const { chart } = testChart('payments');
  appService(chart, 'checkout', 8080);
  appService(chart, 'ledger', 8080);
  const ns = ambient
    ? new ZeroTrustNamespace(chart, 'zt', { namespace: new AmbientNamespace(chart, 'amb', { name: 'payments', waypoint: true, ingressUseWaypoint: true }) })
    : new ZeroTrustNamespace(chart, 'zt', { name: 'payments' });
  return { chart, ns };
}

describe('ZeroTrustNamespace properties', () => {
  test('allow(): accepted input synthesizes valid output with exactly one more ALLOW targeting the callee; rejected input is MeshError', () => {
    fc.assert(fc.property(fc.boolean(), allowOptions, (ambient, options) => {
      const { chart, ns } = setup(ambient);
      const before = ns.policies.length;
      const outcome = attempt(() => ns.allow(options as any));
      expect(['accepted', 'rejected']).toContain(outcome);
      if (outcome === 'rejected') return;
      const docs = synthValid(chart);
      const allows = findAll(docs, 'AuthorizationPolicy').filter(p => p.spec.action === 'ALLOW' && p.spec.rules);
      expect(ns.policies.length).toBeGreaterThan(before);
      // never `rules: [{}]` (allow everything) and never a rule without a source
      for (const p of allows) {
        for (const rule of p.spec.rules) expect(rule.from?.[0]?.source).toBeDefined();
      }
    }), { numRuns: 300 });
  });

  // #15.1: a token requirement adds no callers; the ALLOW on requestPrincipals exists only with the opt-in.
  test('#15.1 requireJwt(): a RequestAuthentication never ships without its DENY on the same target; an ALLOW on requestPrincipals only with allowAnyCallerWithToken', () => {
    fc.assert(fc.property(fc.boolean(), jwtOptions, (ambient, options) => {
      const { chart, ns } = setup(ambient);
      const outcome = attempt(() => ns.requireJwt(options as any));
      expect(['accepted', 'rejected']).toContain(outcome);
      const docs = synthValid(chart);
      const ras = findAll(docs, 'RequestAuthentication');
      const policies = findAll(docs, 'AuthorizationPolicy');
      expect(ras).toHaveLength(outcome === 'accepted' ? 1 : 0);
      for (const ra of ras) {
        const target = JSON.stringify(ra.spec.selector ?? ra.spec.targetRefs ?? null);
        const sameTarget = policies.filter(p => JSON.stringify(p.spec.selector ?? p.spec.targetRefs ?? null) === target);
        const allow = sameTarget.filter(p => p.spec.action === 'ALLOW'
          && (p.spec.rules ?? []).some((r: any) => r.from.some((f: any) => (f.source.requestPrincipals ?? []).includes(`${ra.spec.jwtRules[0].issuer}/*`))));
        const deny = sameTarget.filter(p => p.spec.action === 'DENY'
          && (p.spec.rules ?? []).some((r: any) => r.from.some((f: any) => (f.source.notRequestPrincipals ?? []).includes('*'))));
        expect(allow).toHaveLength((options as any).allowAnyCallerWithToken === true ? 1 : 0);
        expect(deny).toHaveLength(1);
      }
    }), { numRuns: 300 });
  });
});
