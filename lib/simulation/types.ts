import { RouteDirectResponse, RouteFault, RouteMirror, RouteRedirect, RouteRewrite } from './route-types';
// Public request and result types of MeshSimulation.

/** A mesh workload that sends a request. */
export interface SimulationSource {
  /** Namespace of the calling workload. */
  readonly namespace: string;
  /**
   * Service account of the calling workload (its mTLS principal is `<trustDomain>/ns/<ns>/sa/<sa>`).
   *
   * @default 'default'
   */
  readonly serviceAccount?: string;
  /**
   * Pod labels of the calling workload (for VirtualService `sourceLabels`).
   *
   * @default {}
   */
  readonly labels?: Record<string, string>;
  /**
   * True when the caller has no mesh proxy (no sidecar, not ambient) and sends plaintext: it has no
   * principal and no namespace in authorization rules.
   *
   * @default - from the caller's Namespace in the set (`istio-injection`, `istio.io/rev`,
   * `istio.io/dataplane-mode`); a namespace not in the set is taken as a mesh namespace (stated in `assumptions`)
   */
  readonly plaintext?: boolean;
  /**
   * True when the caller is an ingress gateway (an Envoy gateway, not a workload): it skips an
   * ambient destination's waypoint unless the Service or Namespace sets `istio.io/ingress-use-waypoint: "true"`.
   *
   * @default false (true for an `Identity.ingressGateway()`)
   */
  readonly gateway?: boolean;
}

/** Where a request is addressed. */
export interface SimulationDestination {
  /**
   * Host as the caller writes it: `reviews.shop.svc.cluster.local`, `reviews.shop`, `reviews`
   * (resolved in `namespace`, or the caller's namespace) or an external host of a ServiceEntry.
   */
  readonly host: string;
  /** Port the caller connects to (the Service port, not the container port). */
  readonly port: number;
  /**
   * Namespace in which a short host (`reviews`) resolves.
   *
   * @default - the caller's namespace
   */
  readonly namespace?: string;
}

/** A JSON Web Token carried by the request (`Authorization: Bearer ...`). */
export interface SimulationJwt {
  /** Issuer (`iss` claim). */
  readonly issuer: string;
  /**
   * Subject (`sub` claim); the request principal is `<iss>/<sub>`.
   *
   * @default 'user'
   */
  readonly subject?: string;
  /**
   * Other claims (`aud`, `groups`, ...), for `request.auth.claims[...]` conditions.
   *
   * @default {}
   */
  readonly claims?: Record<string, string | string[]>;
  /**
   * False for a token that fails validation (bad signature, expired, wrong audience): a
   * RequestAuthentication that sees it rejects the request with 401.
   *
   * @default true
   */
  readonly valid?: boolean;
}

/** The ingress gateway a request enters through. */
export interface SimulationVia {
  /** `namespace/name` of a Gateway API Gateway or an Istio Gateway in the set. */
  readonly gateway: string;
  /**
   * Service account of the gateway's pods (the identity the destination sees).
   *
   * @default - `<name>-istio` for a Gateway API Gateway; 'istio-ingress' in namespace 'istio-ingress'
   * (Istio's Helm gateway) for an Istio Gateway
   */
  readonly serviceAccount?: string;
  /**
   * Namespace of the gateway's pods.
   *
   * @default - the Gateway's namespace for a Gateway API Gateway; 'istio-ingress' for an Istio Gateway
   */
  readonly namespace?: string;
}

/** Something that names a caller: a source, or an `Identity` of a service account. */
export interface SimulationIdentityLike {
  /**
   * Namespace of the identity.
   *
   * @default - none (required unless the caller comes `via` a gateway)
   */
  readonly namespace?: string;
  /**
   * Service account of the identity (`Identity.serviceAccountName`).
   *
   * @default 'default'
   */
  readonly serviceAccountName?: string;
  /**
   * True for `Identity.ingressGateway()`.
   *
   * @default false
   */
  readonly isIngressGateway?: boolean;
}

/** One request to simulate. */
export interface SimulationRequest {
  /**
   * The caller. May be omitted with `via` (a client outside the mesh calling the gateway).
   *
   * @default - an external plaintext client (only with `via`)
   */
  readonly from?: SimulationSource | SimulationIdentityLike;
  /** Destination host and port. */
  readonly to: SimulationDestination;
  /**
   * HTTP method.
   *
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * Request path with optional query string (`/api/x?debug=1`).
   *
   * @default '/'
   */
  readonly path?: string;
  /**
   * Request headers (names are case-insensitive).
   *
   * @default {}
   */
  readonly headers?: Record<string, string>;
  /**
   * A token carried by the request.
   *
   * @default - no token
   */
  readonly jwt?: SimulationJwt;
  /**
   * What the caller sends: HTTP requests, or a TCP or TLS connection (TLS: the SNI is `to.host`;
   * VirtualService `tcp`/`tls` rules, TCPRoute and TLSRoute apply, authorization sees L4 attributes only).
   *
   * @default - the destination port's declared protocol (Service `appProtocol` or port name prefix,
   * ServiceEntry port `protocol`, gateway server or listener protocol); HTTP when undeclared
   */
  readonly protocol?: 'HTTP' | 'TCP' | 'TLS';
  /**
   * The ingress gateway the request enters through; `to.host` is then the Host header.
   *
   * @default - a request inside the mesh
   */
  readonly via?: SimulationVia;
}

/** Who decided, at which enforcement point. */
export type DecisionAction = 'ALLOW' | 'DENY' | 'CUSTOM' | 'DEFAULT_ALLOW' | 'DEFAULT_DENY';

/** Where a decision is enforced. */
export type EnforcementPoint = 'sidecar' | 'ztunnel' | 'waypoint' | 'gateway' | 'none';

/** The authorization decision at one enforcement point. */
export interface Decision {
  /** What decided: a policy (ALLOW/DENY/CUSTOM) or the default. */
  readonly action: DecisionAction;
  /**
   * `namespace/name` of the deciding policy (AuthorizationPolicy, or PeerAuthentication/RequestAuthentication for a rejection).
   *
   * @default - none (a default decision)
   */
  readonly policy?: string;
  /**
   * 0-based index of the matching rule in the policy's `rules`.
   *
   * @default - none (a default decision, or a PeerAuthentication/RequestAuthentication rejection)
   */
  readonly rule?: number;
  /** The enforcement point. */
  readonly enforcedAt: EnforcementPoint;
  /** One sentence: why. */
  readonly reason: string;
}

/** One backend a route sends to. */
export interface RouteBackend {
  /** Destination host (FQDN for Services). */
  readonly host: string;
  /**
   * Destination port, when known.
   *
   * @default - the request's port
   */
  readonly port?: number;
  /**
   * DestinationRule subset, when the route names one.
   *
   * @default - none (every endpoint of the host)
   */
  readonly subset?: string;
  /** Share of the requests, 0..100 (weights are relative). */
  readonly percent: number;
}

/** Retries that apply to a route. */
export interface RouteRetries {
  /** Number of retries (total tries = 1 + attempts); 0 when retries are off. */
  readonly attempts: number;
  /**
   * Per-try timeout in milliseconds, when set.
   *
   * @default - none (each try may take the whole route timeout)
   */
  readonly perTryTimeoutMs?: number;
  /**
   * Retry conditions, comma-separated.
   *
   * @default - none (retries off)
   */
  readonly retryOn?: string;
}

/** Where a request is routed. */
export interface RouteResult {
  /** `VirtualService ns/name`, `HTTPRoute ns/name`, or `Service ns/name` (no route object: default routing). */
  readonly resource: string;
  /**
   * 0-based index of the matched rule in `http[]` / `rules[]`; undefined for default routing.
   *
   * @default - none (default routing, no route object)
   */
  readonly rule?: number;
  /**
   * `TCP` or `TLS` when the route is a VirtualService `tcp`/`tls` rule, a TCPRoute or a TLSRoute
   * (`rule` then indexes `tcp[]`/`tls[]` or `rules[]`).
   *
   * @default - an HTTP route
   */
  readonly protocol?: 'TCP' | 'TLS';
  /** Backends and their share. */
  readonly backends: RouteBackend[];
  /**
   * Mirrored traffic.
   *
   * @default - none
   */
  readonly mirror?: RouteMirror;
  /**
   * Request timeout in milliseconds.
   *
   * @default - none (no timeout)
   */
  readonly timeoutMs?: number;
  /** Retry policy in effect. */
  readonly retries: RouteRetries;
  /**
   * Fault injection of the rule.
   *
   * @default - none
   */
  readonly fault?: RouteFault;
  /**
   * Rewrite of the rule.
   *
   * @default - none
   */
  readonly rewrite?: RouteRewrite;
  /**
   * Redirect of the rule (no backend is called).
   *
   * @default - none
   */
  readonly redirect?: RouteRedirect;
  /**
   * Direct response of the rule (no backend is called).
   *
   * @default - none
   */
  readonly directResponse?: RouteDirectResponse;
  /**
   * Request headers the rule sets or removes.
   *
   * @default - none
   */
  readonly headers?: unknown;
}

/** Options of `MeshSimulation.fromManifests()`. */
export interface SimulationOptions {
  /**
   * Istio's root namespace: its policies apply mesh-wide.
   *
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * Trust domain of principals.
   *
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * Cluster DNS domain of Service hosts.
   *
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}
