import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkDns1123Label } from './mesh/checks';
import { AppRuntime } from './app/runtime';
import { DataplaneMode, IAmbientNamespace, WaypointFor, WaypointRef } from './mesh/dataplane';
import { describeConstruct, MeshError } from './mesh/errors';
import { namespaceObject } from './mesh/kube';
import { lazy } from './mesh/lazy';
import { resolveService, ServiceReference } from './mesh/service-target';
import { addWaypointConsumer } from './security/waypoint-consumers';
import { checkNotRootNamespace } from './app/root-namespace';
import { checkWaypointName, servesServices } from './mesh/dataplane';
import { Waypoint, WaypointOptions } from './waypoint';

export { Waypoint, WaypointOptions } from './waypoint';

/** A waypoint to bind to, possibly declared in another namespace (or outside this App). */
export interface UseWaypointOptions {
  /** Name of the waypoint Gateway. */
  readonly name: string;
  /**
   * Namespace of the waypoint Gateway. When it is another namespace, its waypoint must admit this
   * namespace in `allowedRoutes` (done automatically when that namespace is an `AmbientNamespace`
   * of this App).
   *
   * @default - this namespace
   */
  readonly namespace?: string;
  /**
   * Traffic the waypoint handles, for a waypoint that is not declared in this App (a declared
   * waypoint's own value is used, and a different value here is an error).
   *
   * @default WaypointFor.SERVICE
   */
  readonly for?: WaypointFor;
}

/** Props of `AmbientNamespace`. */
export interface AmbientNamespaceProps {
  /** Name of the Namespace (a DNS-1123 label). */
  readonly name: string;
  /**
   * A waypoint proxy in this namespace, bound namespace-wide (`istio.io/use-waypoint` on the
   * Namespace). `true` means `{ name: 'waypoint', for: WaypointFor.SERVICE }`.
   * Without a waypoint only L4 (ztunnel) features work: no HTTP routing, no L7 authorization, no JWT.
   *
   * @default - no waypoint (L4 only)
   */
  readonly waypoint?: boolean | WaypointOptions;
  /**
   * Bind the whole namespace to an existing waypoint (for example a shared one in another
   * namespace) instead of declaring one. Cannot be combined with `waypoint`.
   *
   * @default - no namespace-wide binding other than `waypoint`
   */
  readonly useWaypoint?: UseWaypointOptions;
  /**
   * Label the namespace `istio.io/ingress-use-waypoint: "true"` (Istio >= 1.25) so that ingress
   * gateways send traffic through the waypoint and its L7 policy applies to north-south traffic.
   * By default ingress traffic does not use the destination's waypoint.
   *
   * @default false
   */
  readonly ingressUseWaypoint?: boolean;
  /**
   * Extra labels of the Namespace. `istio-injection: enabled` is refused: a namespace cannot be
   * both sidecar-injected and ambient (the sidecar would win).
   *
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

interface Binding {
  readonly prop: string;
  readonly ref: UseWaypointOptions | Waypoint;
}

const LABEL_USE_WAYPOINT = 'istio.io/use-waypoint';
const LABEL_USE_WAYPOINT_NS = 'istio.io/use-waypoint-namespace';

/**
 * A namespace on Istio's ambient dataplane (`istio.io/dataplane-mode: ambient`): ztunnel enforces L4
 * (mTLS, identity-based authorization) on every node; waypoint proxies (Gateway API `Gateway`s of
 * class `istio-waypoint`) add L7 for the Services bound to them.
 *
 * Other constructs ask it (through the App runtime) which waypoint serves a
 * Service and emit what works there: HTTPRoute with a Service parent and `targetRefs` policies, never
 * `Sidecar`. Layer `ZeroTrustNamespace` on it (`namespace: ambientNamespace`) for authorization.
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 */
export class AmbientNamespace extends Construct implements IAmbientNamespace {
  /** Name of the namespace. */
  public readonly name: string;
  /** Always `DataplaneMode.AMBIENT`. */
  public readonly mode = DataplaneMode.AMBIENT;
  /** The namespace construct (this). */
  public readonly construct: IConstruct = this;
  /** The emitted Namespace (escape hatch). */
  public readonly namespaceObject: ApiObject;
  /** The waypoint of the `waypoint` prop, if any (bound namespace-wide). */
  public readonly waypoint?: Waypoint;
  /** The `useWaypoint` binding, if any. */
  public readonly useWaypoint?: UseWaypointOptions;
  /** Whether ingress gateways are told to use the waypoint. */
  public readonly ingressUseWaypoint: boolean;

  private readonly ownWaypoints: Waypoint[] = [];
  private readonly serviceBindings = new Map<string, Binding>();
  private readonly listeners: Array<() => void> = [];

  public constructor(scope: Construct, id: string, props: AmbientNamespaceProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      throw MeshError.invalid(this, 'props', props, 'an object { name, waypoint?, useWaypoint? }');
    }
    this.name = checkDns1123Label(this, 'name', props.name);
    checkNotRootNamespace(this, 'name', this.name);
    const ctx = AppRuntime.of(this);
    const existing = ctx.namespace(this.name);
    if (existing && existing.mode === DataplaneMode.SIDECAR) {
      throw new MeshError(this, `namespace "${this.name}" is sidecar-injected by ${describeConstruct(existing.construct)}; `
        + 'a namespace cannot be both sidecar-injected and ambient');
    }
    if (props.waypoint && props.useWaypoint) {
      throw MeshError.invalid(this, 'useWaypoint', props.useWaypoint,
        'omitted when `waypoint` is set (both would bind the whole namespace; use addWaypoint() and useWaypointFor() for a second waypoint)');
    }
    if (props.waypoint !== undefined && typeof props.waypoint !== 'boolean' && (props.waypoint === null || typeof props.waypoint !== 'object')) {
      throw MeshError.invalid(this, 'waypoint', props.waypoint, 'true or { name?, for?, allowedNamespaces? }');
    }
    this.ingressUseWaypoint = props.ingressUseWaypoint ?? false;

    const labels: Record<string, string> = { 'istio.io/dataplane-mode': 'ambient' };
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      if (k === 'istio-injection' && v === 'enabled') {
        throw MeshError.invalid(this, `labels["${k}"]`, v,
          'absent: a namespace cannot be both sidecar-injected and ambient (sidecar injection would win)');
      }
      if (k === 'istio.io/dataplane-mode' || k === LABEL_USE_WAYPOINT || k === LABEL_USE_WAYPOINT_NS) {
        throw MeshError.invalid(this, `labels["${k}"]`, v, 'absent: this label is set by AmbientNamespace (use the waypoint/useWaypoint props)');
      }
      labels[k] = v;
    }
    if (this.ingressUseWaypoint) {
      labels['istio.io/ingress-use-waypoint'] = 'true';
    }
    const ref = props.useWaypoint ? this.checkRef('useWaypoint', props.useWaypoint) : undefined;
    ctx.registerNamespace(this);
    if (ref) {
      this.useWaypoint = ref;
      labels[LABEL_USE_WAYPOINT] = lazy(() => this.resolveBinding({ prop: 'useWaypoint', ref }).name);
      if (ref.namespace !== this.name) {
        labels[LABEL_USE_WAYPOINT_NS] = ref.namespace!;
        addWaypointConsumer(this, ref as { name: string; namespace: string }, this.name);
      }
    }
    this.namespaceObject = namespaceObject(this, 'namespace', this.name, labels);
    // Bindings may name waypoints declared later: resolved at synth, before rendering, as MeshError.
    AppRuntime.of(this).addSynthCheck(this, () => {
      checkNotRootNamespace(this, 'name', this.name);
      this.checkBindings();
    });
    if (props.waypoint) {
      this.waypoint = this.addWaypoint('waypoint', props.waypoint === true ? {} : props.waypoint);
      this.namespaceObject.metadata.addLabel(LABEL_USE_WAYPOINT, this.waypoint.name);
    }
  }

  /** Waypoints declared in this namespace, in declaration order. */
  public get waypoints(): Waypoint[] {
    return [...this.ownWaypoints];
  }
  /** References (`{ name, namespace, for }`) to the waypoints declared in this namespace, in declaration order. */
  public get waypointRefs(): WaypointRef[] {
    return this.ownWaypoints.map(w => ({ name: w.name, namespace: w.namespace, for: w.for }));
  }

  /**
   * Declares another waypoint in this namespace. It serves nothing until something binds to it
   * (`useWaypointFor()` here, or `useWaypoint` / `useWaypointFor()` of another namespace).
   */
  public addWaypoint(id: string, options: WaypointOptions = {}): Waypoint {
    const name = checkWaypointName(this, 'waypoint.name', options.name ?? 'waypoint');
    const dup = this.ownWaypoints.find(w => w.name === name);
    if (dup) {
      throw MeshError.invalid(this, 'waypoint.name', name, `unique in namespace "${this.name}" (already declared by ${dup.node.path})`);
    }
    const wp = new Waypoint(this, id, this.name, options);
    this.ownWaypoints.push(wp);
    this.changed();
    return wp;
  }

  /**
   * Binds one Service of this namespace to a waypoint (`istio.io/use-waypoint` on the Service, plus
   * `istio.io/use-waypoint-namespace` for a waypoint in another namespace). A Service binding beats
   * the namespace binding. The waypoint must handle service traffic (`SERVICE` or `ALL`).
   *
   * The label is added to the Service object: pass the object (a cdk8s `ApiObject` or cdk8s-plus
   * `Service`), or a name / `ServiceTarget` of a Service already defined in this App; for a Service
   * defined elsewhere the binding is recorded and a warning asks you to label it.
   */
  public useWaypointFor(service: string | ServiceReference | ApiObject, waypoint: WaypointRef | UseWaypointOptions): void {
    const svcName = this.serviceName(service);
    const prop = `useWaypointFor(${svcName})`;
    const ref = waypoint instanceof Waypoint ? waypoint : this.checkRef(`${prop}.waypoint`, waypoint);
    const existing = this.serviceBindings.get(svcName);
    if (existing) {
      const a = this.resolveRefKey(existing.ref);
      const b = this.resolveRefKey(ref);
      if (a !== b) {
        throw MeshError.invalid(this, `${prop}.waypoint`, b, `the waypoint it is already bound to (${a}): a Service uses one waypoint`);
      }
      return;
    }
    const binding: Binding = { prop, ref };
    this.checkServiceTraffic(binding, this.tryResolve(ref));
    this.serviceBindings.set(svcName, binding);
    const ns = ref.namespace ?? this.name;
    if (ns !== this.name) {
      addWaypointConsumer(this, { name: ref.name, namespace: ns }, this.name);
    }
    const obj = this.findService(service, svcName);
    if (obj) {
      obj.metadata.addLabel(LABEL_USE_WAYPOINT, lazy(() => {
        const wp = this.resolveBinding(binding);
        this.checkServiceTraffic(binding, wp);
        return wp.name;
      }));
      if (ns !== this.name) obj.metadata.addLabel(LABEL_USE_WAYPOINT_NS, ns);
    } else {
      AppRuntime.of(this).warn(this, `Service "${svcName}" is not defined in this App: label it `
        + `${LABEL_USE_WAYPOINT}=${ref.name}${ns !== this.name ? ` and ${LABEL_USE_WAYPOINT_NS}=${ns}` : ''} yourself, `
        + 'or traffic to it does not use the waypoint');
    }
    this.changed();
  }

  /**
   * The waypoint that serves traffic addressed to `service` (a Service binding beats the namespace
   * binding), or to Services of the namespace as a whole when `service` is omitted. Undefined when
   * no waypoint is bound, and when the bound waypoint is `WaypointFor.WORKLOAD` (it does not serve
   * service traffic).
   */
  public waypointFor(service?: string): WaypointRef | undefined {
    const binding = (service !== undefined ? this.serviceBindings.get(service) : undefined) ?? this.namespaceBinding();
    if (!binding) return undefined;
    const wp = this.resolveBinding(binding);
    return servesServices(wp) ? plainRef(wp) : undefined;
  }

  /**
   * The waypoint bound to `service` (its Service binding, else the namespace binding), or to the
   * namespace when `service` is omitted, whatever traffic type it handles; undefined when none.
   */
  public waypointBoundTo(service?: string): WaypointRef | undefined {
    const binding = (service !== undefined ? this.serviceBindings.get(service) : undefined) ?? this.namespaceBinding();
    return binding ? plainRef(this.resolveBinding(binding)) : undefined;
  }

  /**
   * Every waypoint traffic to this namespace's workloads may come from: the namespace binding (of any
   * traffic type) and each Service binding; sorted by namespace and name. The destination ztunnel sees
   * their identities instead of the client's.
   */
  public waypointsInPath(): WaypointRef[] {
    const list = [this.namespaceBinding(), ...this.serviceBindings.values()].filter((b): b is Binding => b !== undefined);
    const byKey = new Map<string, WaypointRef>();
    for (const b of list) {
      const wp = this.resolveBinding(b);
      byKey.set(`${wp.namespace}/${wp.name}`, plainRef(wp));
    }
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, wp]) => wp);
  }

  /** Services bound with `useWaypointFor()`, sorted. */
  public get boundServices(): string[] {
    return [...this.serviceBindings.keys()].sort();
  }

  /** True when the namespace (`waypoint`, `useWaypoint`) or any Service (`useWaypointFor()`) is bound to a waypoint. */
  public hasWaypointBinding(): boolean {
    return this.waypoint !== undefined || this.useWaypoint !== undefined || this.serviceBindings.size > 0;
  }

  /** @internal Calls `listener` whenever a waypoint or a binding is added. */
  public _onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private checkBindings(): void {
    const ns = this.namespaceBinding();
    if (ns) this.resolveBinding(ns);
    for (const binding of this.serviceBindings.values()) {
      this.checkServiceTraffic(binding, this.resolveBinding(binding));
    }
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private namespaceBinding(): Binding | undefined {
    if (this.waypoint) return { prop: 'waypoint', ref: this.waypoint };
    if (this.useWaypoint) return { prop: 'useWaypoint', ref: this.useWaypoint };
    return undefined;
  }

  private checkRef(prop: string, ref: UseWaypointOptions | WaypointRef): UseWaypointOptions {
    if (ref === null || typeof ref !== 'object') {
      throw MeshError.invalid(this, prop, ref, 'a waypoint { name, namespace?, for? }');
    }
    const name = checkWaypointName(this, `${prop}.name`, ref.name);
    const namespace = checkDns1123Label(this, `${prop}.namespace`, ref.namespace ?? this.name);
    if (ref.for !== undefined && !(Object.values(WaypointFor) as string[]).includes(ref.for)) {
      throw MeshError.invalid(this, `${prop}.for`, ref.for, `one of WaypointFor.${Object.keys(WaypointFor).join(', WaypointFor.')}`);
    }
    return { name, namespace, for: ref.for };
  }

  private resolveRefKey(ref: UseWaypointOptions | Waypoint): string {
    return `${ref.namespace ?? this.name}/${ref.name}`;
  }

  /** The waypoint a binding names, if it can be resolved now; undefined when its namespace's waypoint is not declared yet. */
  private tryResolve(ref: UseWaypointOptions | Waypoint): WaypointRef | undefined {
    try {
      return this.resolveBinding({ prop: '', ref });
    } catch {
      return undefined;
    }
  }

  private resolveBinding(binding: Binding): WaypointRef {
    const ref = binding.ref;
    if (ref instanceof Waypoint) return ref;
    const namespace = ref.namespace ?? this.name;
    const info = AppRuntime.of(this).namespace(namespace);
    if (!(info instanceof AmbientNamespace)) {
      return { name: ref.name, namespace, for: ref.for ?? WaypointFor.SERVICE };
    }
    const wp = info.ownWaypoints.find(w => w.name === ref.name);
    if (!wp) {
      const names = info.ownWaypoints.map(w => w.name);
      throw MeshError.invalid(this, `${binding.prop}.name`, ref.name,
        `a waypoint declared by ${describeConstruct(info)} (declared: ${names.length ? names.join(', ') : 'none'})`);
    }
    if (ref.for !== undefined && ref.for !== wp.for) {
      throw MeshError.invalid(this, `${binding.prop}.for`, ref.for, `"${wp.for}", the value of the declared waypoint ${namespace}/${wp.name}`);
    }
    return wp;
  }

  private checkServiceTraffic(binding: Binding, wp: WaypointRef | undefined): void {
    if (wp && !servesServices(wp)) {
      throw new MeshError(this, `${binding.prop}: waypoint ${wp.namespace}/${wp.name} is for "${wp.for}" traffic only; `
        + 'a Service needs a waypoint for "service" or "all" (istio.io/waypoint-for)');
    }
  }

  private serviceName(service: string | ServiceReference | ApiObject): string {
    if (typeof service === 'string') {
      return checkDns1123Label(this, 'useWaypointFor.service', service);
    }
    if (service instanceof ApiObject) {
      if (service.kind !== 'Service') {
        throw MeshError.invalid(this, 'useWaypointFor.service', `${service.kind}/${service.name}`, 'a Service');
      }
      this.checkNamespace(service.metadata.namespace);
      return checkDns1123Label(this, 'useWaypointFor.service', service.name);
    }
    const resolved = resolveService(this, 'useWaypointFor.service', service);
    this.checkNamespace(resolved.namespace);
    return resolved.name;
  }

  private checkNamespace(ns: string | undefined): void {
    if (ns !== undefined && ns !== this.name) {
      throw MeshError.invalid(this, 'useWaypointFor.service.namespace', ns, `"${this.name}", the namespace of this AmbientNamespace`);
    }
  }

  private findService(service: string | ServiceReference | ApiObject, name: string): ApiObject | undefined {
    if (service instanceof ApiObject) return service;
    const maybe = service as { metadata?: { addLabel?: unknown } };
    if (typeof service === 'object' && maybe.metadata && typeof maybe.metadata.addLabel === 'function') {
      return service as unknown as ApiObject;
    }
    return this.node.root.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c))
      .find(o => o.kind === 'Service' && o.apiVersion === 'v1' && o.name === name && (o.metadata.namespace ?? this.name) === this.name);
  }
}

function plainRef(wp: WaypointRef): WaypointRef {
  return { name: wp.name, namespace: wp.namespace, for: wp.for };
}
