import { PolicyAttachment, mtlsMode } from './attach';
import { AuthzRequest } from './authz-match';
import { PointOutcome, decide, ref } from './authz';
import { tcpPolicies } from './authz-tcp';
import { Dataplane, WaypointBinding, dataplaneOf } from './destination';
import { ManifestIndex, Named, WorkloadInfo } from './model';
import { Decision, EnforcementPoint, SimulationJwt } from './types';

// Authorization along one hop, caller -> destination workload, for each dataplane:
// - sidecar destination: PeerAuthentication, RequestAuthentication and AuthorizationPolicy at its
//   sidecar (ports = container ports);
// - ambient destination: its ztunnel (L4 only, ports = container ports); when the Service is bound
//   to a waypoint and the caller goes through it, the waypoint first (targetRefs policies, full L7,
//   ports = Service ports: pilot/pkg/networking/core/listener_waypoint.go builds the waypoint's
//   filter chains per Service port), and ztunnel then sees the waypoint's identity.
//   Who goes through the waypoint (Istio 1.30.3): ambient workloads (their ztunnel sends to it);
//   ingress gateways only with `istio.io/ingress-use-waypoint` (pilot/pkg/xds/endpoints/
//   endpoint_builder.go findServiceWaypoint: "only ingress and e/w gateway will call waypoints");
//   sidecars never (they connect to the destination's ztunnel directly).

/** The caller of a hop. */
export interface Caller {
  readonly kind: 'workload' | 'gateway' | 'external';
  readonly namespace?: string;
  readonly serviceAccount?: string;
  readonly dataplane: Dataplane;
  /** No mTLS identity (plaintext). */
  readonly plaintext: boolean;
  /** Pod labels (VirtualService sourceLabels). */
  readonly labels?: Record<string, string>;
}

/** The destination of a hop. */
export interface HopTarget {
  readonly namespace: string;
  readonly workload: WorkloadInfo;
  /** Service name and kind (for waypoint targetRefs). */
  readonly service: { readonly kind: 'Service' | 'ServiceEntry'; readonly namespace: string; readonly name: string };
  readonly servicePort: number;
  /** Container port; undefined when a named targetPort is not found. */
  readonly targetPort?: number;
  readonly waypoint?: WaypointBinding;
}

/** The HTTP view of the request. */
export interface HttpView {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: Record<string, string>;
  /** A TCP or TLS connection (a TCP filter chain enforces the policies: authz-tcp.ts). */
  readonly l4?: boolean;
}

function l4View(http: HttpView, policies: readonly Named[]): readonly Named[] {
  return http.l4 ? tcpPolicies(policies) : policies;
}

/** One enforcement step. */
export interface Step extends PointOutcome {
  readonly point: EnforcementPoint;
  readonly title: string;
  /** An enforcement point the request does not cross (shown in explain() only). */
  readonly skipped?: boolean;
}

/** Shared state of a simulation. */
export interface SecurityContext {
  readonly index: ManifestIndex;
  readonly attach: PolicyAttachment;
  readonly rootNamespace: string;
  readonly trustDomain: string;
}

/** Result of validating a token at one proxy. */
interface AuthnResult {
  readonly requestPrincipal?: string;
  readonly claims?: Record<string, string | string[]>;
  readonly reject?: Decision;
  /** The proxy removed the token (forwardOriginalToken unset). */
  readonly strips: boolean;
  readonly note: string;
}

/** Principal of a service account. */
export function principalOf(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/** Evaluates one hop; returns the steps and the token as it leaves the hop. */
export function secureHop(ctx: SecurityContext, caller: Caller, target: HopTarget, http: HttpView, jwt: SimulationJwt | undefined): Step[] {
  const dp = dataplaneOf(ctx.index, target.namespace, target.workload);
  const w = { namespace: target.namespace, labels: target.workload.labels };
  if (dp.mode === 'none') {
    const reason = `namespace ${target.namespace} is not in the mesh (no sidecar, not ambient): no policy is enforced`;
    return [{ point: 'none', title: `destination ${target.namespace}/${target.workload.name}`, decision: { action: 'DEFAULT_ALLOW', enforcedAt: 'none', reason }, trace: [`  ${reason}`] }];
  }
  const port = target.targetPort;
  if (dp.mode === 'sidecar') {
    const title = `sidecar of ${target.namespace}/${target.workload.name} (port ${port ?? '?'})`;
    const mtls = peerCheck(ctx, w, port, caller, 'sidecar');
    if (mtls.reject) return [{ point: 'sidecar', title, decision: mtls.reject, trace: mtls.trace }];
    const authn = authenticate(ctx.attach.forWorkload('RequestAuthentication', w), jwt, 'sidecar');
    if (authn.reject) return [{ point: 'sidecar', title, decision: authn.reject, trace: [...mtls.trace, `  ${authn.note}`] }];
    const req = authzRequest(ctx, caller, mtls.mtls, http, port, authn);
    const out = decide('sidecar', l4View(http, ctx.attach.forWorkload('AuthorizationPolicy', w)), req);
    return [{ point: 'sidecar', title, ...out, trace: [...mtls.trace, `  ${authn.note}`, ...out.trace] }];
  }
  const steps: Step[] = [];
  let source = caller;
  const wp = target.waypoint;
  const through = wp !== undefined && !caller.plaintext
    && ((caller.kind === 'workload' && caller.dataplane === 'ambient') || (caller.kind === 'gateway' && wp.ingress));
  if (wp && !through) {
    const why = caller.kind === 'gateway' ? 'an ingress gateway only uses the waypoint with istio.io/ingress-use-waypoint: "true"'
      : caller.plaintext ? 'a plaintext caller reaches ztunnel directly' : 'a sidecar connects to the destination\'s ztunnel directly';
    steps.push({ point: 'waypoint', skipped: true, title: `waypoint ${wp.namespace}/${wp.name} skipped`, decision: { action: 'DEFAULT_ALLOW', enforcedAt: 'waypoint', reason: why }, trace: [`  ${why}`] });
  }
  if (wp && through) {
    const wt = { namespace: wp.namespace, name: wp.name, service: target.service };
    const title = `waypoint ${wp.namespace}/${wp.name} (${wp.via}; Service port ${target.servicePort})`;
    const authn = authenticate(ctx.attach.forWaypoint('RequestAuthentication', wt), jwt, 'waypoint');
    if (authn.reject) return [{ point: 'waypoint', title, decision: authn.reject, trace: [`  ${authn.note}`] }];
    const req = authzRequest(ctx, caller, true, http, target.servicePort, authn);
    const out = decide('waypoint', l4View(http, ctx.attach.forWaypoint('AuthorizationPolicy', wt)), req);
    steps.push({ point: 'waypoint', title, ...out, trace: [`  ${authn.note}`, ...out.trace] });
    if (!allowedOutcome(out)) return steps;
    source = { kind: 'workload', namespace: wp.namespace, serviceAccount: wp.name, dataplane: 'ambient', plaintext: false };
  }
  const title = `ztunnel of ${target.namespace}/${target.workload.name} (L4, port ${port ?? '?'}; source ${source.plaintext ? 'plaintext' : principalOf(ctx.trustDomain, source.namespace!, source.serviceAccount!)})`;
  const mtls = peerCheck(ctx, w, port, source, 'ztunnel');
  if (mtls.reject) return [...steps, { point: 'ztunnel', title, decision: mtls.reject, trace: mtls.trace }];
  const req = authzRequest(ctx, source, mtls.mtls, http, port, { strips: false, note: '' });
  const out = decide('ztunnel', ctx.attach.forWorkload('AuthorizationPolicy', w), req);
  steps.push({ point: 'ztunnel', title, ...out, trace: [...mtls.trace, ...out.trace] });
  return steps;
}

/** True when an outcome lets the request on. */
export function allowedOutcome(o: PointOutcome): boolean {
  return o.unknown === undefined && (o.decision.action === 'ALLOW' || o.decision.action === 'DEFAULT_ALLOW');
}

/** Validates the token at a proxy with RequestAuthentications `ras` (ztunnel never does). */
export function authenticate(ras: readonly Named[], jwt: SimulationJwt | undefined, point: EnforcementPoint): AuthnResult & { readonly validated?: boolean } {
  if (ras.length === 0) {
    return { strips: false, note: jwt ? 'no RequestAuthentication applies: the token is not validated (request.auth is empty)' : 'no token, no RequestAuthentication' };
  }
  const names = ras.map(ref).join(', ');
  if (!jwt) return { strips: false, note: `RequestAuthentication ${names} applies; no token: not rejected (a missing token is not an invalid one)` };
  const reject = (reason: string, p: Named): AuthnResult => ({ strips: false, note: reason, reject: { action: 'DENY', policy: ref(p), enforcedAt: point, reason } });
  if (jwt.valid === false) return reject(`RequestAuthentication ${ref(ras[0])}: the token is invalid: 401`, ras[0]);
  for (const ra of ras) {
    for (const rule of (ra.object.spec?.jwtRules ?? []) as any[]) {
      if (rule?.issuer !== jwt.issuer) continue;
      const auds: string[] = Array.isArray(rule.audiences) ? rule.audiences : [];
      const tokenAud = jwt.claims?.aud === undefined ? [] : ([] as string[]).concat(jwt.claims.aud);
      if (auds.length && !tokenAud.some(a => auds.includes(a))) {
        return reject(`RequestAuthentication ${ref(ra)}: the token's audience ${JSON.stringify(tokenAud)} is not one of ${JSON.stringify(auds)}: 401`, ra);
      }
      const requestPrincipal = `${jwt.issuer}/${jwt.subject ?? 'user'}`;
      const strips = rule.forwardOriginalToken !== true;
      return { requestPrincipal, claims: { iss: jwt.issuer, sub: jwt.subject ?? 'user', ...(jwt.claims ?? {}) }, strips,
        note: `RequestAuthentication ${ref(ra)} validates the token: request principal ${requestPrincipal}${strips ? ' (the token is removed before forwarding: forwardOriginalToken is not set)' : ''}` };
    }
  }
  return reject(`RequestAuthentication ${names} lists no rule for issuer "${jwt.issuer}": the token is rejected: 401`, ras[0]);
}

function peerCheck(ctx: SecurityContext, w: { namespace: string; labels: Record<string, string> }, port: number | undefined, caller: Caller,
  point: EnforcementPoint): { mtls: boolean; reject?: Decision; trace: string[] } {
  const m = mtlsMode(ctx.index, ctx.rootNamespace, w, port ?? -1);
  const who = m.policy ? `PeerAuthentication ${m.policy}` : 'no PeerAuthentication (PERMISSIVE)';
  // A sidecar client follows the destination's mode (auto mTLS): DISABLE means plaintext, so no
  // principal. Ambient (HBONE) is always mutual TLS between mesh workloads.
  const mtls = !caller.plaintext && (m.mode !== 'DISABLE' || point === 'ztunnel');
  const trace = [`  mTLS ${m.mode} (${who}); the caller ${mtls ? 'uses mTLS' : 'sends plaintext'}`];
  if (m.mode === 'STRICT' && !mtls) {
    const reason = `${who} requires mTLS (STRICT) and the caller sends plaintext: the connection is refused`;
    return { mtls, trace, reject: { action: 'DENY', policy: m.policy, enforcedAt: point, reason } };
  }
  return { mtls, trace };
}

function authzRequest(ctx: SecurityContext, caller: Caller, mtls: boolean, http: HttpView, port: number | undefined, authn: AuthnResult): AuthzRequest {
  const peer = mtls && caller.namespace !== undefined && caller.serviceAccount !== undefined;
  return {
    principal: peer ? principalOf(ctx.trustDomain, caller.namespace!, caller.serviceAccount!) : undefined,
    sourceNamespace: peer ? caller.namespace : undefined,
    sourceServiceAccount: peer ? caller.serviceAccount : undefined,
    requestPrincipal: authn.requestPrincipal,
    claims: authn.claims,
    method: http.method,
    path: http.path,
    host: http.host,
    port: port ?? -1,
    headers: http.headers,
  };
}
