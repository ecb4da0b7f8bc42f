import { MeshSimulation, SimulationRequest } from '../lib';
import type { ExtraPhase } from './extra-phases';

// Issue #14 goal 4: 10,000 simulated requests against the bench mesh at N = 1,000 in under 2 s.
// The requests walk the mesh's services: each one's allowed caller (its predecessor, or the
// ingress gateway for svc-0), a caller the policy does not list, the canary header and a plain
// request (the 90/10 split), alternately in sidecar and ambient (waypoint) namespaces.

/** The requests of the phase, deterministic. */
export function benchRequests(services: number, count: number, perNamespace = 50): SimulationRequest[] {
  const out: SimulationRequest[] = [];
  for (let k = 0; out.length < count; k++) {
    const s = k % services;
    const ns = `team-${Math.floor(s / perNamespace)}`;
    const i = s % perNamespace;
    const variant = Math.floor(k / services) % 4;
    const caller = variant === 1 ? 'stranger' : i === 0 ? `svc-${perNamespace - 1}` : `svc-${i - 1}`;
    out.push({
      from: { namespace: ns, serviceAccount: caller },
      to: { host: `svc-${i}.${ns}.svc.cluster.local`, port: 8080 },
      method: variant === 3 ? 'DELETE' : 'GET',
      path: `/items/${k}`,
      ...(variant === 2 ? { headers: { 'x-canary': 'true' } } : {}),
    });
  }
  return out;
}

/** Indexes `docs`, then simulates `count` requests of `benchRequests`; the figures of the phase. */
export function simulateRequests(docs: readonly unknown[], services: number, count: number): Record<string, number> {
  const requests = benchRequests(services, count);
  const t0 = process.hrtime.bigint();
  const mesh = MeshSimulation.fromManifests([...docs]);
  const t1 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let allowed = 0;
  let routed = 0;
  let canary = 0;
  for (const r of requests) {
    const result = mesh.request(r);
    if (result.allowed) allowed++;
    if (result.route) routed++;
    // the canary: subset `canary` (sidecar namespaces, VirtualService) or Service svc-N-v2 (ambient, HTTPRoute)
    const only = result.route?.backends.length === 1 ? result.route.backends[0] : undefined;
    if (only && (only.subset === 'canary' || /^svc-[0-9]+-v2\./.test(only.host))) canary++;
  }
  const t2 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  const requestsMs = Number(t2 - t1) / 1e6;
  return {
    documents: docs.length,
    requests: requests.length,
    indexMs: Math.round(Number(t1 - t0) / 1e6),
    requestsMs: Math.round(requestsMs),
    // CPU time of the process over the requests (all threads): the figure to read on a loaded machine.
    requestsCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    requestsPerSecond: Math.round(requests.length / (requestsMs / 1000)),
    allowed,
    routed,
    canary,
  };
}

/** The simulator phase. */
export const SIMULATE_PHASE: ExtraPhase = {
  name: 'simulate',
  description: 'MeshSimulation: index the N = 1,000 bench mesh, then 10,000 requests (goal of #14: requestsMs < 2,000)',
  services: 1000,
  run: ({ services, docs }) => simulateRequests(docs, services, 10_000),
};
