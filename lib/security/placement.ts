import { IConstruct } from 'constructs';
import { Identity } from '../identity';
import { AppRuntime } from '../app/runtime';
import { DataplaneMode, IAmbientNamespace, WaypointRef } from '../mesh/dataplane';
import { MeshError } from '../mesh/errors';
import { containerPort, findKnownService } from '../mesh/known-service';
import { ResolvedService } from '../mesh/service-target';
import { servesServices } from '../mesh/dataplane';

// Where a ZeroTrustNamespace policy is attached: the workload's sidecar (selector), the destination
// ztunnel (selector or namespace-wide, L4 only) or a waypoint (targetRefs, client identity).
// https://istio.io/latest/docs/ambient/usage/authorization-policy/ (enforcement table)

/** How a policy selects what it applies to. */
export type Attachment =
  | { selector?: { matchLabels: Record<string, string> } }
  | { targetRefs: Array<{ group: string; kind: string; name: string }> };

/**
 * The workloads of Service `service` in `namespace`, or the whole namespace: the selector of the
 * Service the App declares; for a Service the App does not declare (or one without a selector),
 * `app: <service>` with an info saying so.
 */
export function selectorAttachment(scope: IConstruct, namespace: string, service: string | undefined, what: string): Attachment {
  if (service === undefined) return {};
  const known = findKnownService(scope, namespace, service);
  if (known?.selector) return { selector: { matchLabels: { ...known.selector } } };
  AppRuntime.of(scope).info(scope, `${what}: Service ${namespace}/${service} ${known ? 'has no selector' : 'is not defined in this App'}: `
    + `assumed that its pods carry the label app=${service}`);
  return { selector: { matchLabels: { app: service } } };
}

/**
 * The ports an allow() to `target` restricts: at a waypoint (`targetRefs`) the Service port, since
 * the waypoint's inbound chains match the Service port (istio/istio 1.30.3
 * pilot/pkg/networking/core/listener_waypoint.go: one chain per `svc.Ports` entry, `TargetPort:
 * uint32(port.Port)`); at sidecars and ztunnel the container port the Service port sends to
 * (istio/api security/v1beta1/authorization_policy.proto `Operation.ports`: "ports of the
 * workload", istio/api#3075). Unknown Service or unresolved named port: no restriction, with an info.
 */
export function targetPorts(scope: IConstruct, target: ResolvedService, attachment: Attachment, what: string): number[] {
  if ('targetRefs' in attachment) return [target.port];
  const ctx = AppRuntime.of(scope);
  const svc = `Service ${target.namespace}/${target.name}`;
  const known = findKnownService(scope, target.namespace, target.name);
  if (!known) {
    ctx.info(scope, `${what}: ${svc} is not defined in this App: its container port is unknown, so the rule does not restrict the port `
      + `(to.port ${target.port} is a Service port); set \`ports\` to the container port to restrict it`);
    return [];
  }
  const port = known.ports.find(p => p.port === target.port);
  if (!port) {
    throw new MeshError(scope, `${what}: to.port ${target.port} is not a port of ${svc} (ports: ${known.ports.map(p => p.port).join(', ') || 'none'})`);
  }
  const container = containerPort(scope, target.namespace, known, port);
  if (container === undefined) {
    ctx.info(scope, `${what}: the targetPort "${port.targetPort}" of ${svc} port ${target.port} names no container port of the App's workloads `
      + 'it selects: the rule does not restrict the port; set `ports` to restrict it');
    return [];
  }
  return [container];
}

/** A waypoint attachment: the Service, or the waypoint Gateway itself for namespace-wide rules. */
export function waypointAttachment(service: string | undefined, waypoint: WaypointRef): Attachment {
  return service === undefined
    ? { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: waypoint.name }] }
    : { targetRefs: [{ group: '', kind: 'Service', name: service }] };
}

/** What a rule needs from the dataplane. */
export interface PlacementRequest {
  /** `allow(name)` / `requireJwt(name)`, for messages. */
  readonly what: string;
  /** Target Service, or undefined for the namespace. */
  readonly service?: string;
  /** Needs an L7 proxy (methods, paths, JWT). */
  readonly l7: boolean;
  /** Source identities (empty for JWT rules). */
  readonly identities: readonly Identity[];
}

/**
 * True when traffic from `id` does not go through the destination's waypoint: an ingress gateway
 * (unless the namespace sets `ingressUseWaypoint`), or a workload of a sidecar namespace of this
 * App ("traffic from sidecars and gateways won't go through any waypoint proxy",
 * https://istio.io/latest/docs/ambient/architecture/data-plane/).
 */
export function skipsWaypoint(scope: IConstruct, ns: IAmbientNamespace, id: Identity): boolean {
  if (id.isIngressGateway) return !ns.ingressUseWaypoint;
  if (id.namespace === undefined) return false;
  return AppRuntime.of(scope).namespace(id.namespace)?.mode === DataplaneMode.SIDECAR;
}

/**
 * Places a rule in an ambient namespace at synth. Returns the attachment:
 * - a waypoint serves the target: `targetRefs` (the waypoint sees the client identity);
 * - sources that skip the waypoint (sidecars, ingress gateways): L4 rules at ztunnel, L7 rules an error;
 * - no waypoint: L4 rules at ztunnel (`selector` / namespace-wide); L7 rules are an error
 *   (a selector L7 ALLOW at ztunnel denies everything, a DENY does nothing).
 */
export function placeAmbient(scope: IConstruct, ns: IAmbientNamespace, req: PlacementRequest): Attachment {
  const target = req.service === undefined ? `namespace "${ns.name}"` : `Service "${req.service}"`;
  const bound = ns.waypointBoundTo(req.service);
  const wp = bound && servesServices(bound) ? bound : undefined;
  if (req.service === undefined && wp && wp.namespace !== ns.name) {
    if (req.l7) {
      throw new MeshError(scope, `${req.what}: L7 rules without \`to\` attach to the namespace's waypoint, but ${wp.namespace}/${wp.name} `
        + 'is in another namespace (targetRefs are same-namespace): name the Service in `to`');
    }
    return {};
  }
  const direct = req.identities.filter(i => skipsWaypoint(scope, ns, i));
  if (wp && direct.length > 0) {
    const who = direct.map(String).join(', ');
    const why = 'sidecar workloads, and ingress gateways unless the AmbientNamespace sets ingressUseWaypoint: true, '
      + 'skip the destination waypoint and reach ztunnel directly';
    if (req.l7) {
      throw new MeshError(scope, `${req.what}: ${who} cannot be matched by methods/paths at waypoint ${wp.namespace}/${wp.name} of ${target}: `
        + `${why} (their traffic is denied there); allow them without methods/paths`);
    }
    if (direct.length < req.identities.length) {
      throw new MeshError(scope, `${req.what}: ${who} reach ${target} directly (ztunnel) while the other sources go through `
        + `waypoint ${wp.namespace}/${wp.name} (${why}); call allow() once for each group`);
    }
    return selectorAttachment(scope, ns.name, req.service, req.what);
  }
  if (wp) return waypointAttachment(req.service, wp);
  if (req.l7) {
    const why = bound
      ? `its waypoint ${bound.namespace}/${bound.name} is for "${bound.for}" traffic only (a Service needs "service" or "all")`
      : 'no waypoint is bound (AmbientNamespace `waypoint`, `useWaypoint` or useWaypointFor())';
    throw new MeshError(scope, `${req.what}: methods, paths and JWT are L7 rules that need a waypoint serving ${target}, but ${why}; `
      + 'at ztunnel an L7 ALLOW rule denies all traffic and an L7 DENY rule does nothing');
  }
  return selectorAttachment(scope, ns.name, req.service, req.what);
}
