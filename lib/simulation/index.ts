export { MeshSimulation } from './simulation';
export { SimulationResult } from './result';
export {
  SimulationRequest, SimulationSource, SimulationDestination, SimulationJwt, SimulationVia, SimulationIdentityLike,
  Decision, DecisionAction, EnforcementPoint, RouteResult, RouteBackend, RouteRetries, SimulationOptions,
} from './types';
export { RouteMirror, RouteFault, RouteFaultDelay, RouteFaultAbort, RouteRewrite, RouteRegexRewrite, RouteRedirect, RouteDirectResponse } from './route-types';
