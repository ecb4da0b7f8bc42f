import { IConstruct } from 'constructs';
import { appObjectsOfKind, renderedJson } from '../mesh/app-objects';
import { MeshError } from '../mesh/errors';
import { IngressIntent } from './intents';

/** True when a route hostname and a hostname a gateway serves intersect (`*` and `*.x` wildcards). */
export function hostsIntersect(route: string, served: string): boolean {
  if (served === '*' || route === served) return true;
  const suffix = (h: string) => h.slice(1); // "*.example.com" -> ".example.com"
  if (served.startsWith('*.') && route.endsWith(suffix(served)) && route.length > suffix(served).length) return true;
  if (route.startsWith('*.') && served.endsWith(suffix(route)) && served.length > suffix(route).length) return true;
  return false;
}

/**
 * Hostnames the gateway `name` in `namespace` serves, read from a Gateway object in the App
 * (Istio `spec.servers[].hosts`, Gateway API `spec.listeners[].hostname`); undefined when the
 * App has no such Gateway or it serves any host.
 */
export function servedHostnames(root: IConstruct, name: string, namespace: string): string[] | undefined {
  for (const c of appObjectsOfKind(root, 'Gateway')) {
    if (c.metadata.name !== name) continue;
    const doc = renderedJson(root, c);
    if (doc === undefined) continue;
    if ((doc.metadata?.namespace ?? namespace) !== namespace) continue;
    if (doc.apiVersion?.startsWith('networking.istio.io/')) {
      const hosts: string[] = (doc.spec?.servers ?? []).flatMap((s: any) => s.hosts ?? []).map((h: string) => h.split('/').pop()!);
      return hosts.includes('*') ? undefined : hosts;
    }
    const listeners: any[] = doc.spec?.listeners ?? [];
    if (listeners.some(l => l.hostname === undefined)) return undefined;
    return listeners.map(l => l.hostname);
  }
  return undefined;
}

/** Messages for ingress hostnames that the bound gateway does not serve (declared hosts or the App's Gateway object). */
export function checkIngressHosts(construct: IConstruct, ingress: IngressIntent): string[] {
  const served = ingress.gatewayHostnames ?? servedHostnames(construct.node.root, ingress.name, ingress.namespace);
  if (served === undefined) return [];
  return ingress.hostnames
    .filter(h => !served.some(s => hostsIntersect(h, s)))
    .map(h => MeshError.invalid(construct, 'ingress.hostnames', h,
      `a hostname that gateway ${ingress.namespace}/${ingress.name} serves (${served.join(', ')})`).message);
}
