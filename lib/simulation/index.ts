export { MeshSimulation } from './simulation';
export { SimulationResult } from './result';
export {
  SimulationRequest, SimulationSource, SimulationDestination, SimulationJwt, SimulationVia, SimulationIdentityLike,
  Decision, DecisionAction, EnforcementPoint, RouteResult, RouteBackend, RouteRetries, SimulationOptions,
} from './types';
