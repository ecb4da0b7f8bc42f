import { App } from 'cdk8s';
import { PolicyAttachment } from './attach';
import { decide } from './authz';
import { Dataplane, dataplaneOf, serviceWorkloads, targetPortOf, waypointFor } from './destination';
import { HostTarget } from './hosts';
import { ManifestIndex, WorkloadInfo } from './model';
import { NormalizedRequest, normalizeRequest, simulationError } from './request';
import { SimulationResult } from './result';
import { entryHop, meshInternalEndpoints } from './service-entry';
import { RoutedBackend } from './route-common';
import { l4ProtocolOf } from './route-l4';
import { RouteContext, routeRequest } from './route-select';
import { gatewayOf } from './routing';
import { Caller, SecurityContext, Step, authenticate, principalOf, secureHop } from './security';
import { Decision, SimulationJwt, SimulationOptions, SimulationRequest } from './types';

/**
 * Answers "where does this request go, and is it allowed?" offline, from plain manifests, the way
 * Istio 1.30 and Gateway API v1.6 behave — for sidecar and ambient namespaces.
 *
 * ```ts
 * const mesh = MeshSimulation.fromApp(app);
 * const r = mesh.request({ from: { namespace: 'shop', serviceAccount: 'productpage' }, to: { host: 'reviews.shop', port: 9080 } });
 * r.allowed; r.decision; r.route; r.explain();
 * ```
 *
 * The set is indexed once (policies by namespace and target, Services by host, routes by host), so
 * each request only looks at what applies to it.
 */
export class MeshSimulation {
  /**
   * A simulation of plain manifests (parsed YAML, `Testing.synth(chart)` output).
   *
   * @param docs Kubernetes objects; objects without a namespace are in `default`
   * @param options root namespace, trust domain, cluster domain
   */
  public static fromManifests(docs: unknown[], options: SimulationOptions = {}): MeshSimulation {
    if (!Array.isArray(docs)) throw simulationError(`fromManifests needs a list of Kubernetes objects, got ${typeof docs}`);
    return new MeshSimulation(docs, options);
  }

  /**
   * A simulation of everything an App's charts synthesize (each chart's `toJson()`; nothing is written).
   *
   * @param app the cdk8s App
   * @param options root namespace, trust domain, cluster domain
   */
  public static fromApp(app: App, options: SimulationOptions = {}): MeshSimulation {
    return new MeshSimulation(app.charts.flatMap(c => c.toJson()), options);
  }

  /** The root namespace in use. */
  public readonly rootNamespace: string;
  /** The trust domain in use. */
  public readonly trustDomain: string;
  /** The cluster domain in use. */
  public readonly clusterDomain: string;
  private readonly index: ManifestIndex;
  private readonly security: SecurityContext;
  private readonly routing: RouteContext;

  private constructor(docs: readonly unknown[], options: SimulationOptions) {
    this.rootNamespace = options.rootNamespace ?? 'istio-system';
    this.trustDomain = options.trustDomain ?? 'cluster.local';
    this.clusterDomain = options.clusterDomain ?? 'cluster.local';
    this.index = new ManifestIndex(docs);
    const attach = new PolicyAttachment(this.index, this.rootNamespace);
    this.security = { index: this.index, attach, rootNamespace: this.rootNamespace, trustDomain: this.trustDomain };
    this.routing = new RouteContext(this.index, this.clusterDomain, this.rootNamespace);
  }

  /**
   * Simulates one request: routing at the caller's proxy (or the ingress gateway), then
   * authorization at every enforcement point on the way.
   *
   * @throws MeshError for a malformed request or an unknown gateway
   */
  public request(request: SimulationRequest): SimulationResult {
    const req = normalizeRequest(request);
    const assumptions: string[] = [];
    const lines: string[] = [`request ${req.method} ${req.rawPath} to ${req.host}:${req.port}`];
    const steps: Step[] = [];
    let caller: Caller;
    let jwt: SimulationJwt | undefined = req.jwt;
    let gateway: string | undefined;
    if (req.via) {
      const gw = gatewayOf(this.index, req.via);
      gateway = `${gw.namespace}/${gw.name}`;
      const podLabels = gw.gatewayApi ? { 'gateway.networking.k8s.io/gateway-name': gw.name } : gw.selector;
      const authn = authenticate(this.security.attach.forGateway('RequestAuthentication', gw.podNamespace, gw.name, podLabels, gw.gatewayApi), jwt, 'gateway');
      const title = `gateway ${gateway} (pods ${gw.podNamespace}, service account ${gw.serviceAccount})`;
      if (authn.reject) {
        steps.push({ point: 'gateway', title, decision: authn.reject, trace: [`  ${authn.note}`] });
      } else {
        const out = decide('gateway', this.security.attach.forGateway('AuthorizationPolicy', gw.podNamespace, gw.name, podLabels, gw.gatewayApi), {
          principal: undefined, method: req.method, path: req.path, host: req.host, port: gw.port ?? req.port, headers: req.headers,
          requestPrincipal: authn.requestPrincipal, claims: authn.claims,
        });
        steps.push({ point: 'gateway', title, ...out, trace: [`  ${authn.note}`, ...out.trace] });
        if (authn.strips) jwt = undefined;
      }
      if (gw.assumption) assumptions.push(gw.assumption);
      caller = { kind: 'gateway', namespace: gw.podNamespace, serviceAccount: gw.serviceAccount, dataplane: 'sidecar', plaintext: false };
    } else {
      const from = req.from!;
      const dp = dataplaneOf(this.index, from.namespace);
      let mode: Dataplane = dp.mode;
      if (from.plaintext !== undefined) mode = from.plaintext ? 'none' : (mode === 'none' ? 'sidecar' : mode);
      else if (dp.assumption && !from.gateway) assumptions.push(`caller: ${dp.assumption}`);
      if (from.gateway) mode = 'sidecar';
      caller = { kind: from.gateway ? 'gateway' : 'workload', namespace: from.namespace, serviceAccount: from.serviceAccount, dataplane: mode, plaintext: mode === 'none', labels: from.labels };
      lines.push(`from ${caller.plaintext ? 'plaintext caller in' : principalOf(this.trustDomain, from.namespace, from.serviceAccount) + ' in'} namespace ${from.namespace} (${mode})`);
    }
    if (steps.some(s => !passes(s))) return this.finish(steps, undefined, undefined, assumptions, lines);

    const routed = routeRequest(this.routing, req, caller, gateway);
    lines.push(...routed.trace);
    if (routed.unknown) return this.finish(steps, routed.route, routed.unknown, assumptions, lines);
    if (!routed.route) {
      const reason = routed.noRouteReason ?? 'no route rule matches: 404';
      const decision: Decision = { action: 'DEFAULT_DENY', enforcedAt: gateway ? 'gateway' : caller.dataplane === 'ambient' ? 'waypoint' : 'sidecar', reason };
      return this.finish([...steps, { point: decision.enforcedAt, title: 'routing', decision, trace: [`  ${reason}`] }], undefined, undefined, assumptions, lines);
    }
    if (routed.route.redirect || routed.route.directResponse) {
      return this.finish(steps, routed.route, undefined, assumptions, lines);
    }
    for (const backend of routed.backends) {
      const hop = this.hop(caller, backend, req, jwt, assumptions, routed.addressed);
      if (typeof hop === 'string') return this.finish(steps, routed.route, hop, assumptions, lines);
      steps.push(...hop);
      if (hop.some(s => !passes(s))) break;
    }
    return this.finish(steps, routed.route, undefined, assumptions, lines);
  }

  private hop(caller: Caller, backend: RoutedBackend, req: NormalizedRequest, jwt: SimulationJwt | undefined, assumptions: string[],
    addressed: HostTarget | undefined): Step[] | string {
    const target: HostTarget = backend.target;
    const l4 = l4ProtocolOf(req, target, backend.port ?? req.port) !== undefined;
    const http = { method: req.method, path: req.path, host: req.host, headers: req.headers, ...(l4 ? { l4 } : {}) };
    if (target.kind === 'ServiceEntry') {
      const e = target.entry;
      const wp = waypointFor(this.index, e.object.metadata?.labels ?? {}, e.namespace);
      const through = wp && caller.kind === 'workload' && caller.dataplane === 'ambient';
      if (!through && meshInternalEndpoints(e)) return entryHop(this.security, caller, e, backend.port ?? req.port, backend.subsetLabels, http, jwt, assumptions);
      if (!through) {
        const reason = `${target.fqdn} is ServiceEntry ${e.namespace}/${e.name} outside the mesh: no destination policy applies`;
        return [{ point: 'none', title: `external ${target.fqdn}`, decision: { action: 'DEFAULT_ALLOW', enforcedAt: 'none', reason }, trace: [`  ${reason}`] }];
      }
      const pseudo: WorkloadInfo = { kind: 'ServiceEntry', name: e.name, namespace: e.namespace, labels: {}, serviceAccount: '', ports: [], annotations: {} };
      const steps = secureHop(this.security, caller, {
        namespace: e.namespace, workload: pseudo, service: { kind: 'ServiceEntry', namespace: e.namespace, name: e.name },
        servicePort: backend.port ?? req.port, targetPort: backend.port ?? req.port, waypoint: wp,
      }, http, jwt);
      return steps.filter(s => s.point === 'waypoint');
    }
    const svc = target.service;
    const port = backend.port ?? req.port;
    if (!svc.ports.some(p => p.port === port)) {
      return `Service ${svc.namespace}/${svc.name} has no port ${port} (ports: ${svc.ports.map(p => p.port).join(', ') || 'none'})`;
    }
    let workloads = serviceWorkloads(this.index, svc, backend.subsetLabels);
    if (workloads.length === 0) {
      if (!svc.selector) return `Service ${svc.namespace}/${svc.name} has no selector: its endpoints are not in the set`;
      const labels = { ...svc.selector, ...backend.subsetLabels };
      workloads = [{ kind: 'Pod', name: `${svc.name}-*`, namespace: svc.namespace, labels, serviceAccount: 'default', ports: [], annotations: {} }];
      const note = `no workload of the set is selected by Service ${svc.namespace}/${svc.name}: its pods are taken to carry the labels ${JSON.stringify(labels)}`;
      if (!assumptions.includes(note)) assumptions.push(note);
    }
    // The waypoint of the Service the caller addressed applies its policies (the backend may be another Service).
    const front = addressed?.kind === 'Service' ? addressed.service : svc;
    const wp = dataplaneOf(this.index, front.namespace).mode === 'ambient' ? waypointFor(this.index, front.labels, front.namespace) : undefined;
    const frontPort = addressed?.kind === 'Service' ? req.port : port;
    const out: Step[] = [];
    for (const w of workloads) {
      const targetPort = targetPortOf(svc, port, w);
      if (targetPort === undefined) return `the targetPort of Service ${svc.namespace}/${svc.name} port ${port} is a name that workload ${w.name} does not define`;
      const steps = secureHop(this.security, caller, {
        namespace: svc.namespace, workload: w, service: { kind: 'Service', namespace: front.namespace, name: front.name },
        servicePort: frontPort, targetPort, waypoint: wp,
      }, http, jwt);
      out.push(...steps);
      if (steps.some(s => !passes(s))) break;
    }
    return out;
  }

  private finish(steps: Step[], route: SimulationResult['route'], unknown: string | undefined, assumptions: string[], lines: string[]): SimulationResult {
    const failing = steps.find(s => !passes(s));
    const crossed = steps.filter(s => !s.skipped);
    const main = crossed.find(s => s.point === 'waypoint') ?? crossed[crossed.length - 1];
    const firstUnknown = unknown ?? steps.find(s => s.unknown)?.unknown;
    const decision: Decision = failing?.decision ?? main?.decision
      ?? { action: 'DEFAULT_ALLOW', enforcedAt: 'none', reason: unknown ?? 'no enforcement point on the way' };
    for (const s of steps) lines.push(`${s.point}: ${s.title}`, ...s.trace.filter(t => t.trim() !== ''));
    for (const a of assumptions) lines.push(`assumed: ${a}`);
    const result = SimulationResult._of({ decision, steps: crossed, route, unknown: firstUnknown, assumptions, lines });
    lines.push(firstUnknown ? `verdict: unknown (${firstUnknown})` : `verdict: ${result.allowed ? 'allowed' : 'denied'} (${decision.action}${decision.policy ? ` ${decision.policy}` : ''} at ${decision.enforcedAt})`);
    return result;
  }
}

function passes(s: Step): boolean {
  return s.unknown === undefined && (s.decision.action === 'ALLOW' || s.decision.action === 'DEFAULT_ALLOW');
}
