export { analyzeDrTlsStrict } from './dr-tls-strict';
export { analyzeGatewayConflicts } from './gateway-conflicts';
export { analyzeMeshVsConflicts } from './mesh-vs-conflicts';
export { analyzeRequestAuth } from './request-auth';
export { analyzeServiceEntryProtocols } from './service-entry-protocols';
export { analyzeVsDestinations } from './vs-destinations';
export { analyzeVsHttpRouteMix } from './vs-httproute-mix';
export { analyzeVsSubsets } from './vs-subsets';
