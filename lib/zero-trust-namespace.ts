import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Sidecar } from '../imports/networking.istio.io';
import {
  AuthorizationPolicy, AuthorizationPolicySpec, AuthorizationPolicySpecAction, PeerAuthentication, PeerAuthenticationSpecMtlsMode,
} from '../imports/security.istio.io';
import { AmbientNamespace } from './ambient-namespace';
import { checkTrustDomain, DEFAULT_TRUST_DOMAIN } from './identity';
import { checkDns1123Label } from './mesh/checks';
import { AppRuntime } from './app/runtime';
import { DataplaneMode, INamespaceInfo, WaypointRef } from './mesh/dataplane';
import { describeConstruct, MeshError } from './mesh/errors';
import { namespaceObject } from './mesh/kube';
import { lazy } from './mesh/lazy';
import { ResolvedService, resolveService, ServiceReference } from './mesh/service-target';
import { registerCallerNamespaces } from './security/egress-hosts';
import { checkSidecarNamespaceProps, registryOnlySidecar, SidecarNamespaceOptions } from './security/sidecar-namespace';
import { resolveIngressIdentity } from './security/ingress-identity';
import { addJwtRequirement, JwtOptions, JwtRequirement } from './security/jwt';
import { checkNotRootNamespace } from './app/root-namespace';
import { AllowRecord, checkJwtRequirements, JwtRecord, warnBroadPrincipals } from './security/zero-trust-checks';
import { Attachment, placeAmbient, selectorAttachment, targetPorts, waypointAttachment } from './security/placement';
import { checkIdentities, checkMethods, checkPaths, checkPorts, isL7, renderRule, RuleInput } from './security/rules';
import { servesServices } from './mesh/dataplane';
import { WaypointPolicies, zeroTrustNamespaces } from './security/waypoint-policies';
import { checkMtls, claimPolicyName, MtlsMode } from './security/mtls';
import { AllowOptions } from './security/allow-options';

export { JwtOptions } from './security/jwt';

export { MtlsMode } from './security/mtls';
export { AllowOptions } from './security/allow-options';

/** Props of `ZeroTrustNamespace`. Give exactly one of `name` and `namespace`. */
export interface ZeroTrustNamespaceProps {
  /**
   * Creates Namespace `name` with sidecar injection (`istio-injection: enabled`).
   *
   * @default - none; `namespace` must be given
   */
  readonly name?: string;
  /**
   * Layers the policies onto an `AmbientNamespace` (one Namespace object; L4 rules at ztunnel, L7
   * rules at waypoints).
   *
   * @default - none; `name` must be given
   */
  readonly namespace?: AmbientNamespace;
  /**
   * Mutual TLS mode of the namespace. `PERMISSIVE` also accepts plaintext and needs
   * `allowPermissiveMtls: true`.
   *
   * @default MtlsMode.STRICT
   */
  readonly mtls?: MtlsMode;
  /**
   * The explicit opt-in for `mtls: MtlsMode.PERMISSIVE` (a warning is still raised).
   *
   * @default false
   */
  readonly allowPermissiveMtls?: boolean;
  /**
   * Sidecar mode only: emit a `Sidecar` with `REGISTRY_ONLY`, so that workloads reach only the
   * `egressHosts`, the Kubernetes API server (always), the hosts of `ExternalApi`s declared for this
   * namespace and the namespaces (`<ns>/*`) whose ZeroTrustNamespace `allow()`s callers from this
   * one. Trap: REGISTRY_ONLY is not a security control (Istio says so; pair it with a
   * NetworkPolicy), and it cuts workloads off from every host nobody listed.
   *
   * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
   * @default false
   */
  readonly registryOnly?: boolean;
  /**
   * With `registryOnly: true`: the hosts workloads may reach, as `<namespace>/<host>`. An error
   * without `registryOnly` and in ambient.
   *
   * @default ['./*', 'istio-system/*'] (with registryOnly)
   */
  readonly egressHosts?: string[];
  /**
   * Sidecar mode only: emit the Namespace object. `false` adopts a namespace declared elsewhere
   * (by another tool or team): only the policies are emitted.
   *
   * @default true
   */
  readonly manageNamespace?: boolean;
  /**
   * Trust domain of the principals (`<trustDomain>/ns/<ns>/sa/<sa>`). ztunnel compares it literally.
   *
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * Sidecar mode only: extra labels of the Namespace. `istio.io/rev` replaces
   * `istio-injection: enabled` (with both, the injection label wins and the revision is ignored).
   *
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/**
 * Zero trust for one namespace: STRICT mTLS, an allow-nothing AuthorizationPolicy, and one ALLOW
 * policy per `allow()` naming the identities that may call a service; `requireJwt()` makes a token
 * really required of those callers (and adds none). Traps handled: `rules: [{}]` would allow everything (never emitted), a
 * RequestAuthentication alone does not require a token (always paired), principals never carry
 * `spiffe://`.
 *
 * Sidecar mode (`name`): Namespace with injection (unless `manageNamespace: false`), policies with
 * `selector`, a REGISTRY_ONLY `Sidecar` with `registryOnly: true`. Ambient mode (`namespace: ambientNamespace`): L4 rules at ztunnel, L7 rules at the waypoint
 * (`targetRefs`), the waypoints' identities allowed at ztunnel, an allow-nothing on each waypoint.
 * Evaluation order in Istio: CUSTOM, then DENY, then ALLOW (no ALLOW match means denied).
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @see https://istio.io/latest/docs/ambient/usage/l4-policy/
 */
export class ZeroTrustNamespace extends Construct implements INamespaceInfo {
  /** Name of the namespace. */
  public readonly name: string;
  /** Dataplane of the namespace. */
  public readonly mode: DataplaneMode;
  /** The declaring construct: this in sidecar mode, the AmbientNamespace in ambient mode. */
  public readonly construct: IConstruct;
  /** The AmbientNamespace the policies are layered on (ambient mode). */
  public readonly ambient?: AmbientNamespace;
  /** Mutual TLS mode. */
  public readonly mtls: MtlsMode;
  /** Trust domain of rendered principals. */
  public readonly trustDomain: string;
  /** Configured egress hosts (sidecar mode; empty in ambient). */
  public readonly egressHosts: string[];
  /**
   * The Namespace object (sidecar mode, unless `manageNamespace: false`); in ambient mode it is
   * `ambient.namespaceObject`.
   */
  public readonly namespaceObject?: ApiObject;
  /** Whether a REGISTRY_ONLY `Sidecar` scopes egress (sidecar mode, `registryOnly`). */
  public readonly registryOnly: boolean;
  /** The namespace-wide PeerAuthentication `default`. */
  public readonly peerAuthentication: PeerAuthentication;
  /** The allow-nothing AuthorizationPolicy (`spec: {}`). */
  public readonly allowNothing: AuthorizationPolicy;
  /** The REGISTRY_ONLY Sidecar `default` (sidecar mode with `registryOnly: true`). */
  public readonly sidecar?: Sidecar;

  private readonly names = new Set<string>(['allow-nothing']);
  private readonly policyList: AuthorizationPolicy[] = [];
  private readonly jwtList: JwtRequirement[] = [];
  private waypointPolicies?: WaypointPolicies;
  private readonly placements: Array<() => Attachment> = [];
  private readonly allowRecords: AllowRecord[] = [];
  private readonly jwtRecords: JwtRecord[] = [];

  public constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      throw MeshError.invalid(this, 'props', props, 'an object { name } or { namespace }');
    }
    if ((props.name === undefined) === (props.namespace === undefined)) {
      throw MeshError.invalid(this, 'name/namespace', { name: props.name, namespace: props.namespace?.name },
        'exactly one of `name` (a sidecar namespace) and `namespace` (an AmbientNamespace to layer on)');
    }
    if (props.namespace !== undefined && !(props.namespace instanceof AmbientNamespace)) {
      throw MeshError.invalid(this, 'namespace', props.namespace, 'an AmbientNamespace');
    }
    this.trustDomain = checkTrustDomain(this, 'trustDomain', props.trustDomain ?? DEFAULT_TRUST_DOMAIN);
    this.mtls = checkMtls(this, props.mtls, props.allowPermissiveMtls);
    const ctx = AppRuntime.of(this);
    if (props.name !== undefined) checkNotRootNamespace(this, 'name', props.name);

    let sidecarOptions: SidecarNamespaceOptions | undefined;
    if (props.namespace) {
      for (const prop of ['registryOnly', 'manageNamespace'] as const) {
        if (props[prop] !== undefined) {
          throw MeshError.invalid(this, prop, props[prop], 'omitted in an ambient namespace (the AmbientNamespace declares the Namespace; REGISTRY_ONLY has no effect there)');
        }
      }
      if (props.egressHosts !== undefined) {
        throw MeshError.invalid(this, 'egressHosts', props.egressHosts,
          'omitted in an ambient namespace (a Sidecar has no effect there; egress goes through ztunnel and egress waypoints)');
      }
      if (props.labels !== undefined) {
        throw MeshError.invalid(this, 'labels', props.labels, 'omitted in ambient mode (set labels on the AmbientNamespace)');
      }
      this.ambient = props.namespace;
      this.name = this.ambient.name;
      this.mode = DataplaneMode.AMBIENT;
      this.construct = this.ambient;
      this.egressHosts = [];
      this.registryOnly = false;
      this.namespaceObject = this.ambient.namespaceObject;
      this.claim(ctx);
    } else {
      this.name = checkDns1123Label(this, 'name', props.name);
      this.mode = DataplaneMode.SIDECAR;
      this.construct = this;
      const existing = ctx.namespace(this.name);
      if (existing && existing.mode === DataplaneMode.AMBIENT) {
        throw new MeshError(this, `namespace "${this.name}" is ambient (declared by ${describeConstruct(existing.construct)}); a namespace cannot `
          + 'be both sidecar-injected and ambient: pass `namespace: <the AmbientNamespace>` to layer zero trust on it');
      }
      sidecarOptions = checkSidecarNamespaceProps(this, props);
      this.egressHosts = [...sidecarOptions.egressHosts];
      this.registryOnly = sidecarOptions.registryOnly;
      this.claim(ctx);
      ctx.registerNamespace(this);
      if (sidecarOptions.labels) {
        this.namespaceObject = namespaceObject(this, 'namespace', this.name, sidecarOptions.labels);
      } else {
        ctx.info(this, `manageNamespace is false: no Namespace "${this.name}" is emitted; it must exist with sidecar injection enabled `
          + '(istio-injection: enabled or istio.io/rev)');
      }
    }

    // Placement errors (an L7 rule with no waypoint, ...) depend on bindings made after allow():
    // they are checked at synth, before any object is rendered, and thrown as MeshError.
    AppRuntime.of(this).addSynthCheck(this, () => {
      checkNotRootNamespace(this, props.name !== undefined ? 'name' : 'namespace.name', this.name);
      this.placements.forEach(place => place());
      this.waypointPolicies?.warnOpenConsumers();
      checkJwtRequirements(this, this.ambient, this.name, this.jwtRecords, this.allowRecords);
    });

    this.peerAuthentication = new PeerAuthentication(this, 'mtls', {
      metadata: { name: 'default', namespace: this.name },
      spec: { mtls: { mode: this.mtls as string as PeerAuthenticationSpecMtlsMode } },
    });
    this.allowNothing = new AuthorizationPolicy(this, 'allow-nothing', {
      metadata: { name: 'allow-nothing', namespace: this.name },
      spec: {},
    });
    if (this.mode === DataplaneMode.SIDECAR) {
      if (this.registryOnly) this.sidecar = registryOnlySidecar(this, this.name, this.egressHosts);
    } else {
      const policies = new WaypointPolicies(this, this.ambient!, this.trustDomain, (base: string) => this.claimName(undefined, base));
      this.waypointPolicies = policies;
      policies.sync();
      this.ambient!._onChange(() => policies.sync());
    }
  }

  /** The ALLOW policies created by `allow()` and `requireJwt()`, in call order. */
  public get policies(): AuthorizationPolicy[] {
    return [...this.policyList];
  }

  /** The JWT requirements created by `requireJwt()`. */
  public get jwtRequirements(): JwtRequirement[] {
    return [...this.jwtList];
  }

  /** The ztunnel ALLOW for the waypoints' identities (ambient with a waypoint in the path). */
  public get waypointPeersPolicy(): AuthorizationPolicy | undefined {
    return this.waypointPolicies?.peers;
  }

  /** The allow-nothing policies on this namespace's waypoints (ambient), one per waypoint. */
  public get waypointAllowNothingPolicies(): AuthorizationPolicy[] {
    return this.waypointPolicies?.waypointAllowNothing ?? [];
  }

  /** The waypoint a Service's traffic goes through (ambient), or undefined (sidecar mode or none). */
  public waypointFor(service?: string): WaypointRef | undefined {
    return this.ambient?.waypointFor(service);
  }

  /** The waypoint bound to a Service (or the namespace), whatever traffic it handles (ambient), or undefined. */
  public waypointBoundTo(service?: string): WaypointRef | undefined {
    return this.ambient?.waypointBoundTo(service);
  }

  /**
   * Allows `from` to call `to` (or any workload of the namespace): one ALLOW AuthorizationPolicy.
   * In ambient, rules with methods/paths, and any rule to a Service served by a waypoint, attach to
   * the waypoint (`targetRefs`); other rules are enforced by ztunnel (`selector`). A namespace-wide
   * L4 allow in a namespace with its own waypoint also gets `<name>-waypoint` on that waypoint.
   */
  public allow(options: AllowOptions): AuthorizationPolicy {
    if (options === null || typeof options !== 'object') {
      throw MeshError.invalid(this, 'allow()', options, 'an object { from, to?, methods?, paths?, ports? }');
    }
    const target = options.to === undefined ? undefined : this.targetService('to', options.to);
    const service = target?.name;
    const rule: RuleInput = {
      identities: checkIdentities(this, 'from', options.from),
      methods: checkMethods(this, 'methods', options.methods),
      paths: checkPaths(this, 'paths', options.paths),
      ports: checkPorts(this, 'ports', options.ports),
    };
    const name = this.claimName(options.name, `allow-${service ?? 'namespace'}`);
    const what = `allow(${name})`;
    warnBroadPrincipals(this, what, rule.identities);
    registerCallerNamespaces(this, this.name, rule.identities);
    // `to.port` restricts the port unless `ports` are given: the Service port at a waypoint, the
    // container port at sidecars and ztunnel (#15.4).
    const ports = (a: Attachment): readonly number[] => (rule.ports.length || !target ? rule.ports : targetPorts(this, target, a, what));
    const render = (attachment: () => Attachment): AuthorizationPolicySpec => lazy(() => {
      const a = attachment();
      const identities = rule.identities.map(i => resolveIngressIdentity(this, i, what));
      return { ...a, action: AuthorizationPolicySpecAction.ALLOW, rules: [renderRule({ ...rule, identities, ports: ports(a) }, this.trustDomain)] };
    });
    const ambient = this.ambient;
    let attachment: () => Attachment = () => selectorAttachment(this, this.name, service, what);
    if (ambient && (service !== undefined || isL7(rule))) {
      attachment = () => placeAmbient(this, ambient, { what, service, l7: isL7(rule), identities: rule.identities });
    }
    this.placements.push(() => { const a = attachment(); ports(a); return a; });
    this.allowRecords.push({ what, service, identities: rule.identities, attachment });
    const policy = this.policy(name, render(attachment));
    const own = ambient?.waypoint;
    if (ambient && service === undefined && !isL7(rule) && own && servesServices(own)) {
      this.policy(this.claimName(undefined, `${name}-waypoint`), render(() => waypointAttachment(undefined, own)));
    }
    if (ambient && service === undefined && !isL7(rule)) {
      // Enforced at ztunnel; a Service bound to another waypoint (useWaypointFor) is reached through
      // it, and its allow-nothing denies: the callers are also allowed there, on that Service.
      const mirrored = new Set<string>();
      const mirror = (): void => {
        for (const svc of ambient.boundServices) {
          let wp: WaypointRef | undefined; // undefined: a waypoint not declared yet (checked at synth)
          try { wp = ambient.waypointBoundTo(svc); } catch { wp = undefined; }
          if (mirrored.has(svc) || (wp && (!servesServices(wp) || (own?.namespace === wp.namespace && own.name === wp.name)))) continue;
          mirrored.add(svc);
          this.policy(this.claimName(undefined, `${name}-${svc}`), render(() => ({ targetRefs: [{ group: '', kind: 'Service', name: svc }] })));
        }
      };
      mirror();
      ambient._onChange(mirror);
    }
    return policy;
  }

  /**
   * Requires a valid JWT from `issuer` on `to` (or the whole namespace), optionally only on `paths`:
   * a RequestAuthentication and a DENY for requests without a token, so that the callers admitted
   * by `allow()` must present one. A token requirement adds no callers (ALLOW policies are ORed,
   * a token ALLOW would widen every `allow()`); `allowAnyCallerWithToken: true` is the warned
   * opt-in for "anyone with a token". Trap: a RequestAuthentication alone accepts requests without
   * a token; it is never emitted alone. In ambient it needs a waypoint serving `to`, and synth fails
   * when an `allow()` admits callers of `to` at ztunnel, bypassing the waypoint.
   */
  public requireJwt(options: JwtOptions): JwtRequirement {
    if (options === null || typeof options !== 'object') {
      throw MeshError.invalid(this, 'requireJwt()', options, 'an object { issuer, jwksUri, audiences?, to?, paths? }');
    }
    const service = options.to === undefined ? undefined : this.targetService('requireJwt.to', options.to).name;
    const base = this.claimName(options.name, `jwt-${service ?? 'namespace'}`);
    const ambient = this.ambient;
    const attachment = (): Attachment => (ambient
      ? placeAmbient(this, ambient, { what: `requireJwt(${base})`, service, l7: true, identities: [] })
      : selectorAttachment(this, this.name, service, `requireJwt(${base})`));
    this.placements.push(attachment);
    const anyCaller = options.allowAnyCallerWithToken === true;
    const req = addJwtRequirement(this, options, {
      names: {
        request: base,
        allow: anyCaller ? this.claimName(undefined, `${base}-allow`) : `${base}-allow`,
        deny: this.claimName(undefined, `${base}-require`),
      },
      namespace: this.name,
      attachment,
    });
    if (req.allow) this.policyList.push(req.allow);
    this.jwtList.push(req);
    this.jwtRecords.push({ what: `requireJwt(${base})`, service, anyCaller, attachment });
    return req;
  }

  private claim(ctx: AppRuntime): void {
    const claimed = zeroTrustNamespaces(ctx);
    const other = claimed.get(this.name);
    if (other) {
      throw new MeshError(this, `namespace "${this.name}" is already zero-trust (${describeConstruct(other)}); declare one ZeroTrustNamespace per namespace`);
    }
    claimed.set(this.name, this);
  }

  private targetService(prop: string, to: ServiceReference): ResolvedService {
    const svc = resolveService(this, prop, to);
    if (svc.namespace !== this.name) {
      throw MeshError.invalid(this, `${prop}.namespace`, svc.namespace, `"${this.name}", the namespace of this ZeroTrustNamespace (policies live with the callee)`);
    }
    return svc;
  }

  private claimName(given: string | undefined, base: string): string {
    return claimPolicyName(this, this.names, this.name, given, base);
  }

  private policy(name: string, spec: AuthorizationPolicySpec): AuthorizationPolicy {
    const p = new AuthorizationPolicy(this, `policy-${name}`, { metadata: { name, namespace: this.name }, spec });
    this.policyList.push(p);
    return p;
  }
}
