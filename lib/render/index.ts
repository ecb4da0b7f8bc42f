// One renderer per concept, shared by every construct and both APIs (see README "Architecture").
// A construct checks its props once into an intent, then renders each concept through the
// function here; a feature a target cannot express is rejected by that function, so the same
// input fails the same way in every construct (test/render/table.test.ts).
export { istioRetries, gatewayApiRetries, GatewayApiRetries } from './retries';
export { renderTimeout } from './timeouts';
export { connectionPool } from './connection-pool';
export { outlierDetection } from './outlier-detection';
export { clientTls, ClientTls, ClientTlsMode } from './tls';
