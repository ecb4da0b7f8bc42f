import { App } from 'cdk8s';
import { buildMesh } from '../../bench/mesh';
import { benchRequests, simulateRequests, SIMULATE_PHASE } from '../../bench/simulate-phase';
import { EXTRA_PHASES } from '../../bench/extra-phases';

// The simulator phase of `npm run bench` (issue #14 goal 4), on a small mesh: what it simulates
// and the verdicts it counts. No timing is asserted.

describe('bench: simulate phase', () => {
  test('is registered as an extra phase on the N = 1,000 mesh', () => {
    expect(EXTRA_PHASES).toContain(SIMULATE_PHASE);
    expect([SIMULATE_PHASE.name, SIMULATE_PHASE.services]).toEqual(['simulate', 1000]);
  });

  test('the requests walk the services with four variants: allowed caller, stranger, canary header, DELETE', () => {
    const r = benchRequests(100, 400);
    expect(r).toHaveLength(400);
    expect(r[1]).toEqual({ from: { namespace: 'team-0', serviceAccount: 'svc-0' }, to: { host: 'svc-1.team-0.svc.cluster.local', port: 8080 }, method: 'GET', path: '/items/1' });
    expect(r[151]).toEqual({ from: { namespace: 'team-1', serviceAccount: 'stranger' }, to: { host: 'svc-1.team-1.svc.cluster.local', port: 8080 }, method: 'GET', path: '/items/151' });
    expect(r[201]).toEqual({ from: { namespace: 'team-0', serviceAccount: 'svc-0' }, to: { host: 'svc-1.team-0.svc.cluster.local', port: 8080 }, method: 'GET', path: '/items/201', headers: { 'x-canary': 'true' } });
    expect(r[301].method).toBe('DELETE');
  });

  test("on a 100-service mesh: the predecessor's GETs are allowed (98 services of 100 have one, twice), every request is routed, the header goes to the canary", () => {
    // GIVEN
    const app = new App();
    buildMesh(app, 100);
    // WHEN
    const f = simulateRequests(app.charts.flatMap(c => c.toJson()), 100, 400);
    // THEN
    expect({ requests: f.requests, allowed: f.allowed, routed: f.routed, canary: f.canary }).toEqual({ requests: 400, allowed: 196, routed: 400, canary: 100 });
  });
});
