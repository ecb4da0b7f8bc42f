// The public surface of cdk8s-istio: an explicit, reviewed list (CHANGELOG records every change).
// The plain-JSON validator, the CLI and free functions are in the TypeScript-only entry
// `cdk8s-istio/tools` (lib/tools.ts).

// Shared vocabulary
export { MeshError, MeshErrors } from './mesh/errors';
export { ServiceTarget, ServiceResource, ServiceReference, ResolvedService, ResourceMetadata, ServiceResourcePort } from './mesh/service-target';
export { DEFAULT_CLUSTER_DOMAIN } from './mesh/hosts';
export { TrafficApi } from './mesh/traffic-api';
export { RetryCondition, RetryOn, RetryPolicy, Retries, CircuitBreaker, RETRY_CONDITIONS } from './mesh/resilience';
export { DataplaneMode, WaypointFor, WaypointRef, INamespaceInfo, IAmbientNamespace } from './mesh/dataplane';
export { MeshContext } from './app/mesh-context';
export { MeshWarning } from './app/types';
export { GatewayApiChannel } from './validation/options';

// Validation findings (the validator itself: cdk8s-istio/tools)
export { Diagnostic, Severity } from './validation';

// Security and dataplane: AmbientNamespace, ZeroTrustNamespace, identities
export { AmbientNamespace, AmbientNamespaceProps, UseWaypointOptions } from './ambient-namespace';
export { Waypoint, WaypointOptions } from './waypoint';
export { Identity, IdentityKind, IngressGatewayIdentityOptions, DEFAULT_TRUST_DOMAIN } from './identity';
export { ZeroTrustNamespace, ZeroTrustNamespaceProps, AllowOptions, MtlsMode, JwtOptions } from './zero-trust-namespace';
export { JwtRequirement } from './security/jwt';

// External APIs: ExternalApi, Egress, EgressWaypoint
export { ExternalApi, ExternalApiProps } from './external-api';
export { Egress, EgressMode, EgressGatewayOptions, EgressWaypointRef } from './egress';
export { EgressWaypoint, EgressWaypointProps } from './egress-waypoint';
export { ExternalProtocol, ExternalResolution } from './external/types';

// Workloads outside Kubernetes, telemetry, rate limits (#20)
export { VmWorkload, VmWorkloadProps, VmPort, VmInstance } from './vm-workload';
export { WorkloadPort } from './workloads/ports';
export { MeshTelemetry, MeshTelemetryProps } from './mesh-telemetry';
export { TracingOptions, AccessLogOptions, MetricsOptions, MetricOverride } from './observability/validate';
export { Tag, TagOverride, TelemetryMode, IstioMetric, DEFAULT_MESH_PROVIDERS } from './observability/tags';
export { PolicyTarget } from './observability/targets';
export { RateLimit, RateLimitProps, RateLimitGateway, GatewayRateLimitTarget, LocalRateLimitOptions, PathRateLimit, GlobalRateLimitOptions, RateLimitDescriptor } from './rate-limit';

// Traffic: CanaryRoute, ResilientService and their vocabulary
export { CanaryRoute, CanaryRouteProps, CanaryBackendServices, IngressBinding, GatewayReference } from './canary-route';
export { WorkloadResource, IPodMetadata } from './traffic/workload';
export { RouteProtocol } from './traffic/protocol';
export { ResilientService, ResilientServiceProps, FaultInjection, FaultDelay, FaultAbort } from './resilient-service';
export { RequestMatch, MatchCondition, MatchField, MatchType, HttpMethod } from './request-match';
export { LoadBalancer, ConsistentHash, ConsistentHashOptions, CookieHashOptions, MAGLEV_MAX_TABLE_SIZE, RING_HASH_MAX_SIZE } from './load-balancer';
export { OutlierDetection } from './mesh/resilience';
export { TrafficTargetOptions } from './traffic/options';
export { TrafficObjects, ITrafficObjectsHook } from './traffic/model';

// Ingress and routing: IngressGateway and its vocabulary
export { IngressGateway, IngressGatewayProps, ExposeOptions, HELM_GATEWAY_SELECTOR } from './ingress-gateway';
export {
  Listener, ListenerProtocol, ListenerBaseOptions, HttpsListenerOptions, HttpListenerOptions, TlsPassthroughListenerOptions,
  TcpListenerOptions, TlsCertificate, TlsCertificateOptions, RouteNamespaces, PathMatch,
} from './ingress/listener';
export { HttpRouter, HttpRouterProps, HttpRouterHost } from './http-router';
export { HttpRule, HttpBackend, HttpRedirectOptions, HttpRespondOptions, CorsOptions } from './ingress/http-rule';

// cdk8s validation plugin (`validations:` in cdk8s.yaml)
export { IstioValidation, IstioValidationProps, PluginValidationContext, PluginViolation, PluginViolatingResource } from './plugin';

// Simulation: where a request goes and whether it is allowed, offline
export {
  MeshSimulation, SimulationResult, SimulationRequest, SimulationSource, SimulationDestination, SimulationJwt, SimulationVia,
  SimulationIdentityLike, Decision, DecisionAction, EnforcementPoint, RouteResult, RouteBackend, RouteRetries, RouteMirror, RouteFault, RouteFaultDelay, RouteFaultAbort,
  RouteRewrite, RouteRegexRewrite, RouteRedirect, RouteDirectResponse, SimulationOptions,
} from './simulation';

// Generated bindings (cdk8s import of crds/), as namespaces: the L1 classes the constructs expose
// as children (`networking.VirtualService`, `security.AuthorizationPolicy`, `gatewayApi.HttpRoute`).
export * as networking from '../imports/networking.istio.io';
export * as security from '../imports/security.istio.io';
export * as gatewayApi from '../imports/gateway.networking.k8s.io';
