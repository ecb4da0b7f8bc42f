// cdk8s-istio/testing: helpers for users' unit tests (jest). An explicit export list.

// Jest matchers over MeshSimulation: expect(mesh).toAllow(req) / .toDeny(req) / .toRoute(req, { subset })
export { meshMatchers, installMeshMatchers, MeshMatchers, ExpectedDecision, ExpectedRoute, MeshMatcherContext, MeshMatcherResult } from './matchers';
export { describeRequest, describeVerdict, describeDecision, describeRoute } from '../simulation/describe';

// Stable, validated YAML of a chart or App for toMatchSnapshot()
export { synthSnapshot } from './snapshot';
