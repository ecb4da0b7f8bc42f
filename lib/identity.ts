import { IConstruct } from 'constructs';
import { isDns1123Label, isDns1123Subdomain } from './mesh/checks';
import { MeshError } from './mesh/errors';
import { WaypointRef } from './mesh/dataplane';

const DEFAULT_INGRESS = new WeakSet<object>();

/** True for `Identity.ingressGateway()` without options (the assumed Helm-installed gateway). */
export function isDefaultIngressGateway(id: unknown): boolean {
  return typeof id === 'object' && id !== null && DEFAULT_INGRESS.has(id);
}

/** The trust domain Istio uses unless the mesh configures another one. */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/** What an `Identity` names. */
export enum IdentityKind {
  /** One Kubernetes service account: rendered as the principal `<trustDomain>/ns/<ns>/sa/<sa>`. */
  SERVICE_ACCOUNT = 'SERVICE_ACCOUNT',
  /** Every workload of a namespace: rendered in `source.namespaces`. */
  NAMESPACE = 'NAMESPACE',
  /** A principal written out by the user (`<trustDomain>/ns/<ns>/sa/<sa>`, `*`, or a prefix/suffix wildcard). */
  PRINCIPAL = 'PRINCIPAL',
}

/** Options of `Identity.ingressGateway()`. */
export interface IngressGatewayIdentityOptions {
  /**
   * Namespace the ingress gateway runs in.
   *
   * @default 'istio-ingress' (the namespace of Istio's Helm install instructions)
   */
  readonly namespace?: string;
  /**
   * Service account of the gateway pods.
   *
   * @default - `<gatewayName>-istio` when `gatewayName` is set (a Gateway API Gateway of class
   * `istio`, deployed by istiod), otherwise 'istio-ingress' (the Helm chart `istio/gateway` installed
   * as release `istio-ingress`)
   */
  readonly serviceAccount?: string;
  /**
   * Name of a Gateway API `Gateway` of class `istio` that istiod deploys: its service account is
   * `<gatewayName>-istio`. Do not combine with `serviceAccount`.
   *
   * @default - not a Gateway API gateway; see `serviceAccount`
   */
  readonly gatewayName?: string;
}

/**
 * A workload identity that an authorization rule admits: a service account, a whole namespace, an
 * ingress gateway or a waypoint.
 *
 * Principals are rendered `<trustDomain>/ns/<ns>/sa/<sa>`, never with `spiffe://` (which never
 * matches, see istio/ztunnel#1901). Principals need mTLS between the peers.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export class Identity {
  /** The workloads running as service account `serviceAccount` in `namespace`. */
  public static serviceAccount(namespace: string, serviceAccount: string): Identity {
    return new Identity(IdentityKind.SERVICE_ACCOUNT, namespace, serviceAccount, undefined, false);
  }

  /** Every workload in namespace `namespace` (`source.namespaces`). */
  public static anyInNamespace(namespace: string): Identity {
    return new Identity(IdentityKind.NAMESPACE, namespace, undefined, undefined, false);
  }

  /**
   * An Istio ingress gateway.
   *
   * Default: `cluster.local/ns/istio-ingress/sa/istio-ingress`, the gateway of Istio's Helm install
   * (`helm install istio-ingress istio/gateway -n istio-ingress`). For a Gateway API `Gateway` named
   * `public` in `istio-ingress`, pass `{ gatewayName: 'public' }` (service account `public-istio`).
   *
   * @see https://istio.io/latest/docs/setup/install/helm/
   */
  public static ingressGateway(options: IngressGatewayIdentityOptions = {}): Identity {
    const namespace = options.namespace ?? 'istio-ingress';
    let sa = options.serviceAccount;
    if (sa === undefined) {
      sa = options.gatewayName !== undefined ? `${options.gatewayName}-istio` : 'istio-ingress';
    }
    const conflict = options.serviceAccount !== undefined && options.gatewayName !== undefined;
    const id = new Identity(IdentityKind.SERVICE_ACCOUNT, namespace, sa, undefined, true, conflict);
    if (options.namespace === undefined && options.serviceAccount === undefined && options.gatewayName === undefined) DEFAULT_INGRESS.add(id);
    return id;
  }

  /** The identity of a waypoint proxy: its service account is named like its Gateway. */
  public static waypoint(waypoint: WaypointRef): Identity {
    return new Identity(IdentityKind.SERVICE_ACCOUNT, waypoint.namespace, waypoint.name, undefined, false);
  }

  /**
   * A principal written out: `<trustDomain>/ns/<ns>/sa/<sa>`, `*` (any mTLS peer), or with a
   * prefix/suffix `*`. Without `spiffe://` — a `spiffe://` principal never matches.
   */
  public static principal(principal: string): Identity {
    return new Identity(IdentityKind.PRINCIPAL, undefined, undefined, principal, false);
  }

  /** What this identity names. */
  public readonly kind: IdentityKind;
  /** Namespace of a service account or namespace identity. */
  public readonly namespace?: string;
  /** Service account of a service-account identity. */
  public readonly serviceAccountName?: string;
  /** Principal of a `PRINCIPAL` identity, as written. */
  public readonly rawPrincipal?: string;
  /** True for `Identity.ingressGateway()`: traffic from it does not cross a waypoint unless asked to. */
  public readonly isIngressGateway: boolean;
  private readonly conflictingOptions: boolean;

  private constructor(kind: IdentityKind, namespace: string | undefined, serviceAccount: string | undefined,
    rawPrincipal: string | undefined, isIngressGateway: boolean, conflictingOptions = false) {
    this.kind = kind;
    this.namespace = namespace;
    this.serviceAccountName = serviceAccount;
    this.rawPrincipal = rawPrincipal;
    this.isIngressGateway = isIngressGateway;
    this.conflictingOptions = conflictingOptions;
  }

  /**
   * Checks the identity for use in a policy of `scope`; throws `MeshError` naming `prop`.
   *
   * @param scope the construct that uses the identity (named in errors)
   * @param prop the prop that holds it (`from[0]`)
   */
  public validate(scope: IConstruct, prop: string): void {
    if (this.conflictingOptions) {
      throw MeshError.invalid(scope, prop, { serviceAccount: this.serviceAccountName, namespace: this.namespace },
        'Identity.ingressGateway() with either serviceAccount or gatewayName, not both');
    }
    if (this.kind === IdentityKind.PRINCIPAL) {
      checkPrincipal(scope, prop, this.rawPrincipal);
      return;
    }
    if (!isDns1123Label(this.namespace)) {
      throw MeshError.invalid(scope, `${prop}.namespace`, this.namespace, 'a namespace name (DNS-1123 label)');
    }
    if (this.kind === IdentityKind.SERVICE_ACCOUNT && !isDns1123Subdomain(this.serviceAccountName)) {
      throw MeshError.invalid(scope, `${prop}.serviceAccount`, this.serviceAccountName, 'a service account name (DNS-1123 subdomain)');
    }
  }

  /**
   * The principal of a service-account or `PRINCIPAL` identity in `trustDomain`; undefined for a
   * namespace identity.
   */
  public toPrincipal(trustDomain: string = DEFAULT_TRUST_DOMAIN): string | undefined {
    switch (this.kind) {
      case IdentityKind.SERVICE_ACCOUNT:
        return `${trustDomain}/ns/${this.namespace}/sa/${this.serviceAccountName}`;
      case IdentityKind.PRINCIPAL:
        return this.rawPrincipal;
      default:
        return undefined;
    }
  }

  /** Readable form for messages: `serviceAccount shop/productpage`, `namespace shop`, `principal "..."`. */
  public toString(): string {
    switch (this.kind) {
      case IdentityKind.SERVICE_ACCOUNT:
        return `${this.isIngressGateway ? 'ingressGateway' : 'serviceAccount'} ${this.namespace}/${this.serviceAccountName}`;
      case IdentityKind.NAMESPACE:
        return `namespace ${this.namespace}`;
      default:
        return `principal ${JSON.stringify(this.rawPrincipal)}`;
    }
  }
}

const PRINCIPAL = /^\*?[A-Za-z0-9._~\-/:]*\*?$/;

/** Requires a principal without `spiffe://`, without spaces, with `*` only at the start or end. */
export function checkPrincipal(scope: IConstruct, prop: string, value: unknown): string {
  if (typeof value === 'string' && value.toLowerCase().startsWith('spiffe://')) {
    throw MeshError.invalid(scope, prop, value,
      `a principal without the "spiffe://" prefix (Istio compares "<trustDomain>/ns/<ns>/sa/<sa>"; a spiffe:// principal never matches), e.g. ${JSON.stringify(value.slice('spiffe://'.length))}`);
  }
  if (typeof value !== 'string' || value.length === 0 || !PRINCIPAL.test(value) || value === '**') {
    throw MeshError.invalid(scope, prop, value,
      'a principal "<trustDomain>/ns/<namespace>/sa/<serviceAccount>", "*", or one with a leading or trailing "*"');
  }
  return value;
}

/** Requires a trust domain: a DNS name such as `cluster.local` or `prod.example.com`. */
export function checkTrustDomain(scope: IConstruct, prop: string, value: unknown): string {
  if (!isDns1123Subdomain(value)) {
    throw MeshError.invalid(scope, prop, value, 'a trust domain (lowercase DNS name such as "cluster.local"), without "spiffe://"');
  }
  return value;
}
