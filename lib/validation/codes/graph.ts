import { CodeSpec, TierSpec } from './types';

/** The graph tier: its heading and introduction in docs/diagnostic-codes.md. */
export const GRAPH_TIER: TierSpec = {
  tier: 'graph',
  heading: "Tier 3: cross-resource analysis (`IST0xxx`, `CI3xxx`)",
  intro: [
    "Run over the whole manifest set (`lib/validation/graph/`). Hosts resolve as istiod resolves",
    "them: a short name in the namespace of the object that mentions it, wildcards (`*.ns.svc.cluster.local`)",
    "cover the names below them, and `exportTo` limits where a VirtualService, DestinationRule or",
    "ServiceEntry is visible. A reference is checked when the set holds objects of the target's kind",
    "in the target's namespace (DestinationRules: of the VirtualService's or the host's namespace;",
    "ServiceEntries for non-cluster hosts: of the VirtualService's namespace); otherwise the target is",
    "outside the set (a shared ingress Gateway, a Service deployed by another tool): `info`, or `error`",
    "with `strict` (`--strict`, `MeshContext.strict`). An object suppresses findings about itself with the",
    "annotation `galley.istio.io/analyze-suppress: \"IST0101,CI3004\"` (or `\"*\"`), as in `istioctl analyze`.",
    "The root namespace for mesh-wide policies is `istio-system`.",
  ].join('\n'),
};

/** The codes of the graph tier, in documentation order: default severity, title and meaning. */
export const GRAPH_CODES = {
  IST0101: { severity: 'error', title: "Referenced resource not found", doc: "Referenced resource not found: a VirtualService's Gateway (`spec.gateways`, match `gateways`); the subset of a route or mirror destination in the DestinationRules for that host; a destination host (no Service or ServiceEntry) or a port the Service does not expose; the waypoint named by an `istio.io/use-waypoint` label; an HTTPRoute/GRPCRoute/TLSRoute/TCPRoute parent (Gateway, its listener `sectionName`, Service, ServiceEntry) or backend (Service, ServiceEntry, request mirrors included). `info` when the target is outside the set" },
  IST0109: { severity: 'error', title: "Conflicting mesh gateway VirtualService hosts", doc: "Several VirtualServices bound to the mesh gateway (no `gateways`, or `mesh` listed) define the same host and are visible in a common namespace: which one sidecars use is undefined; merge them" },
  IST0111: { severity: 'error', title: "Conflicting Sidecar workload selectors", doc: "More than one Sidecar without `workloadSelector` in one namespace: undefined behaviour" },
  IST0112: { severity: 'error', title: "VirtualService destination port selection required", doc: "A VirtualService destination without `port` to a Service or ServiceEntry that exposes several ports" },
  IST0123: { severity: 'error', title: "Namespace with multiple injection labels", doc: "A Namespace labelled both `istio-injection: enabled` and `istio.io/rev`: the injection label wins and the revision is ignored (a warning in `istioctl analyze`; an error here, since pods silently get the default revision)" },
  IST0130: { severity: 'warning', title: "VirtualService unreachable rule", doc: "A VirtualService rule (http, tls, tcp) is never used: an earlier rule has no match (catch-all), or every match of the rule is taken by earlier rules (see IST0131)" },
  IST0131: { severity: 'info', title: "VirtualService ineffective match", doc: "One match of a VirtualService rule is never used: it repeats a match of an earlier rule (the match `name` does not count) or, for HTTP, an earlier match covers it (a `prefix` covering this `prefix`/`exact`, the same conditions minus some)" },
  IST0132: { severity: 'warning', title: "VirtualService host not found in Gateway", doc: "A VirtualService host that its Gateway does not serve: no server host matches it, counting only server hosts whose `namespace/` prefix admits the VirtualService's namespace" },
  IST0145: { severity: 'error', title: "Conflicting Gateways", doc: "Istio Gateways with the same workload selector define servers on the same port with overlapping hosts" },
  IST0177: { severity: 'warning', title: "ServiceEntry conflicting port protocols", doc: "ServiceEntries visible in a common namespace declare the same host and port number with different protocols" },
  CI3001: { severity: 'error', title: "Cross-namespace backend without ReferenceGrant", doc: "A Gateway API route's backendRef (or mirror backend) into another namespace that no ReferenceGrant in that namespace allows (`from` the route's kind and namespace, `to` the backend's kind and name): the backend is not resolved. `info` when the target namespace is not in the set" },
  CI3002: { severity: 'error', title: "Service routed by both VirtualService and HTTPRoute", doc: "One service is routed both by a mesh VirtualService and by an HTTPRoute/GRPCRoute whose parent is that Service (or a ServiceEntry with that host): mixing the APIs for one service is unsupported and undefined" },
  CI3003: { severity: 'error', title: "DestinationRule TLS mode conflicts with STRICT mTLS", doc: "A DestinationRule sets `tls.mode` `DISABLE` or `SIMPLE` (top level, per port or per subset) for an in-mesh service whose workloads require mTLS through a STRICT PeerAuthentication (workload selector matching the Service's selector, namespace, or root namespace): connections are rejected" },
  CI3004: { severity: 'warning', title: "RequestAuthentication without a requiring AuthorizationPolicy", doc: "A RequestAuthentication that no AuthorizationPolicy for the same workloads (same namespace or root, same or broader selector, same `targetRefs`) backs with a `requestPrincipals` requirement (ALLOW `requestPrincipals`/`request.auth.*` condition, or DENY `notRequestPrincipals`): requests without a token are accepted" },
  CI3005: { severity: 'error', title: "Selector policy that ztunnel cannot enforce", doc: "In an ambient namespace (Namespace labelled `istio.io/dataplane-mode: ambient`), an AuthorizationPolicy without `targetRefs` (selector or namespace-wide) uses HTTP attributes (methods, paths, hosts, request principals, remote IPs, non-L4 `when` keys) or action CUSTOM/AUDIT: ztunnel enforces it; an ALLOW drops those rules and denies, an HTTP-only DENY never fires, CUSTOM/AUDIT are not enforced. Also a RequestAuthentication without `targetRefs` there: neither ztunnel nor waypoints validate its tokens" },
  CI3006: { severity: 'error', title: "targetRefs policy on a service without a waypoint", doc: "A policy (AuthorizationPolicy, RequestAuthentication, Telemetry, WasmPlugin) whose `targetRefs` name a Service or ServiceEntry not bound to a waypoint (`istio.io/use-waypoint` on it or its Namespace, `none` opts out): nothing enforces it. `info` when the Service or its Namespace document is not in the set" },
  CI3007: { severity: 'error', title: "Waypoint identity not allowed", doc: "A namespace whose traffic goes through a waypoint (Namespace or Service `istio.io/use-waypoint`) is under an allow-nothing AuthorizationPolicy (its own or the root namespace's) but no ALLOW policy without `targetRefs` admits the waypoint's identity (`<trust domain>/ns/<ns>/sa/<waypoint service account>`): ztunnel denies every request the waypoint forwards" },
  CI3008: { severity: 'warning', title: "Fault injection disables retries and timeout", doc: "A VirtualService HTTP route injects faults and also sets retries (attempts > 0) or a timeout: Istio disables retries and timeouts on a route with fault injection" },
  CI3009: { severity: 'error', title: "HTTP route on an ambient Service without a waypoint", doc: "An HTTPRoute/GRPCRoute whose parent is a Service in an ambient namespace that is not bound to a waypoint: ztunnel does not route HTTP, the route is not respected" },
  CI3010: { severity: 'error', title: "Waypoint binding not allowed by the waypoint", doc: "A Namespace, Service or ServiceEntry is bound (`istio.io/use-waypoint` + `istio.io/use-waypoint-namespace`) to a waypoint of another namespace whose HBONE listener's `allowedRoutes` does not admit the binding's namespace (default `Same`; `Selector` evaluated on the Namespace labels and `kubernetes.io/metadata.name`): istiod refuses the binding and traffic bypasses the waypoint" },
  CI3011: { severity: 'error', title: "Waypoint does not serve the bound traffic", doc: "A Service or ServiceEntry bound to a waypoint for `workload` traffic only (`istio.io/waypoint-for`), or anything bound to a `none` waypoint: the waypoint does not serve that traffic" },
  CI3012: { severity: 'error', title: "Consumer route ignored by the waypoint", doc: "An HTTPRoute/GRPCRoute whose parent is a waypoint-bound Service of an ambient namespace lives in neither the Service's namespace nor the waypoint's (a consumer route): waypoints ignore it" },
  CI3013: { severity: 'warning', title: "WorkloadEntry selected by no service", doc: "A WorkloadEntry whose labels match the selector of no Service (`spec.selector`) and no ServiceEntry (`workloadSelector`) in its namespace: nothing sends traffic to it. `info` when the set holds no Service or ServiceEntry of that namespace" },
} as const satisfies Record<string, CodeSpec>;
