import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { MeshSimulation } from '../../lib';
import { analyzeGraph } from '../../lib/validation/graph';

// The meaning analyzers (CI3101-CI3104) warn about what the simulator shows: each warning of the
// graph cases is confirmed by simulating the request it is about.

const load = (file: string): unknown[] => parseAllDocuments(fs.readFileSync(path.join(__dirname, '..', 'graph-cases', file), 'utf8'))
  .map(d => d.toJS()).filter(d => d !== null && d !== undefined);
const codes = (docs: unknown[]) => analyzeGraph(docs).filter(d => /^CI310/.test(d.code)).map(d => `${d.code} ${d.namespace}/${d.name}`);

describe('meaning analyzers agree with the simulator', () => {
  test('CI3103: a stranger holding a token is let in by the token-only ALLOW; without the rule it is denied', () => {
    // GIVEN
    const docs = load('meaning-token-only-allow.yaml');
    const stranger = { from: { namespace: 'elsewhere', serviceAccount: 'anyone' }, to: { host: 'productpage.shop', port: 9080 }, jwt: { issuer: 'https://auth.example.com' } };
    const withService = [...docs, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'productpage', namespace: 'shop' }, spec: { selector: { app: 'productpage' }, ports: [{ port: 9080 }] } }];
    // WHEN
    const open = MeshSimulation.fromManifests(withService).request(stranger);
    const closed = MeshSimulation.fromManifests(withService.filter(d => (d as any).metadata?.name !== 'any-token' || (d as any).metadata?.namespace !== 'shop')).request(stranger);
    // THEN
    expect(codes(docs)).toEqual(['CI3103 shop/any-token']);
    expect([open.allowed, open.decision.policy]).toEqual([true, 'shop/any-token']);
    expect([closed.allowed, closed.decision.action]).toEqual([false, 'DEFAULT_DENY']);
  });

  test('CI3102: the policy on Service port 80 never matches at ztunnel, the one on the container port does', () => {
    // GIVEN
    const docs = load('meaning-policy-ports.yaml');
    const only = (name: string) => docs.filter(d => (d as any).kind !== 'AuthorizationPolicy' || (d as any).metadata.name === name);
    const req = { from: { namespace: 'shop', serviceAccount: 'sleep' }, to: { host: 'web.shop', port: 80 } };
    // WHEN
    const servicePort = MeshSimulation.fromManifests(only('web-service-port')).request(req);
    const containerPort = MeshSimulation.fromManifests(only('web-container-port')).request(req);
    // THEN
    expect(codes(docs)).toEqual(['CI3102 shop/web-service-port', 'CI3102 shop/web-unknown', 'CI3102 shop/waypoint-target-port']);
    expect([servicePort.allowed, servicePort.decision.action, servicePort.decision.enforcedAt]).toEqual([false, 'DEFAULT_DENY', 'ztunnel']);
    // the caller is ambient: the waypoint lets it through, ztunnel then decides on the container port
    expect([containerPort.allowed, containerPort.decisions.map(d => `${d.enforcedAt} ${d.action} ${d.policy ?? '-'}`)]).toEqual([true, ['waypoint DEFAULT_ALLOW -', 'ztunnel ALLOW shop/web-container-port']]);
  });

  test('CI3104: the route whose match names an unbound gateway is never used by mesh callers', () => {
    // GIVEN
    const docs = load('meaning-impossible-matches.yaml');
    // WHEN
    const r = MeshSimulation.fromManifests(docs).request({ from: { namespace: 'shop', serviceAccount: 'productpage' }, to: { host: 'reviews', port: 9080 }, headers: { 'x-canary': 'true' } });
    // THEN
    expect(codes(docs)).toEqual(['CI3104 shop/reviews', 'CI3104 shop/reviews', 'CI3104 shop/reviews']);
    expect(r.route?.rule).toBe(3);
  });

  test('CI3101: the policy with the misspelt selector applies to no workload the simulator knows', () => {
    // GIVEN
    const docs = load('meaning-policy-selector.yaml');
    const withService = [...docs, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { selector: { app: 'reviews' }, ports: [{ port: 9080 }] } }];
    // WHEN
    const r = MeshSimulation.fromManifests(withService).request({ from: { namespace: 'shop', serviceAccount: 'productpage' }, to: { host: 'reviews', port: 9080 } });
    // THEN
    expect(codes(docs)).toEqual(['CI3101 shop/typo']);
    expect(r.explain()).not.toContain('shop/typo');
    expect(r.decision.policy).toBe('shop/reviews');
  });
});
