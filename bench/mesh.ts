import { ApiObject, App, Chart, Duration } from 'cdk8s';
import {
  AmbientNamespace, CanaryRoute, Egress, EgressWaypoint, ExternalApi, Identity, LoadBalancer, RequestMatch,
  ResilientService, ZeroTrustNamespace,
} from '../lib';

/** Services per namespace in the generated mesh. */
export const SERVICES_PER_NAMESPACE = 50;

function service(chart: Chart, name: string, port: number): void {
  new ApiObject(chart, `${name}-service`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { app: name } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port, targetPort: port }] },
  });
}

/**
 * Builds the benchmark mesh: `services` services in ceil(services / 50) namespaces, alternately
 * zero-trust sidecar namespaces and ambient namespaces with a waypoint and zero trust; every
 * service has a Service, a CanaryRoute, a ResilientService and an allow rule from its
 * predecessor; plus services / 20 ExternalApis (direct with TLS origination from sidecar
 * namespaces, through a shared egress waypoint from ambient ones).
 */
export function buildMesh(app: App, services: number): void {
  const namespaces = Math.max(1, Math.ceil(services / SERVICES_PER_NAMESPACE));
  const egress = new Chart(app, 'istio-egress');
  new AmbientNamespace(egress, 'namespace', { name: 'istio-egress' });
  const waypoint = new EgressWaypoint(egress, 'egress-waypoint', { namespace: 'istio-egress' });

  let externals = Math.floor(services / 20);
  let made = 0;
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${n}`;
    const ambient = n % 2 === 1;
    const chart = new Chart(app, ns, { namespace: ns });
    const zeroTrust = ambient
      ? new ZeroTrustNamespace(chart, 'zero-trust', { namespace: new AmbientNamespace(chart, 'ambient', { name: ns, waypoint: true, ingressUseWaypoint: true }) })
      : new ZeroTrustNamespace(chart, 'zero-trust', { name: ns });
    const count = Math.min(SERVICES_PER_NAMESPACE, services - made);
    for (let i = 0; i < count; i++, made++) {
      const name = `svc-${i}`;
      service(chart, name, 8080);
      new CanaryRoute(chart, `${name}-canary`, {
        service: { name, port: 8080 },
        stableVersion: 'v1',
        canaryVersion: 'v2',
        canaryWeight: 10,
        canaryMatches: [RequestMatch.header('x-canary', 'true')],
      });
      new ResilientService(chart, `${name}-resilience`, {
        service: { name, port: 8080 },
        timeout: Duration.seconds(3),
        circuitBreaker: { maxConnections: 100, maxPendingRequests: 50 },
        outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
        loadBalancer: LoadBalancer.leastRequest(),
      });
      const caller = i === 0 ? Identity.ingressGateway() : Identity.serviceAccount(ns, `svc-${i - 1}`);
      zeroTrust.allow({ from: [caller], to: { name, port: 8080 }, methods: ['GET', 'POST'] });
    }
    const here = Math.min(externals, Math.ceil(Math.floor(services / 20) / namespaces));
    for (let e = 0; e < here; e++, externals--) {
      new ExternalApi(chart, `api-${e}`, {
        host: `api-${e}.${ns}.example.com`,
        tlsOrigination: true,
        timeout: Duration.seconds(5),
        circuitBreaker: { maxConnections: 50 },
        egress: ambient ? Egress.waypoint(waypoint) : Egress.direct(),
      });
    }
  }
}
