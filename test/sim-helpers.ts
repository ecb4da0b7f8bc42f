import { MeshSimulation, SimulationRequest } from '../lib';

// Small helpers for construct tests that ask the simulator (MeshSimulation) where requests go.

/** A plain Service `namespace/name` selecting `app: name` on one port (the Service a construct routes to). */
export function serviceDoc(namespace: string, name: string, port: number, portName = 'http'): object {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ name: portName, port }] } };
}

/** The verdict and route of one request, in one comparable object. */
export function outcome(mesh: MeshSimulation, req: SimulationRequest): { allowed: boolean; resource?: string; rule?: number; backends?: unknown[] } {
  const r = mesh.request(req);
  return { allowed: r.allowed, resource: r.route?.resource, rule: r.route?.rule, backends: r.route?.backends };
}
