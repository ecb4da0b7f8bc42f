// cdk8s-istio/tools: the TypeScript-only entry point (not part of the jsii API). The plain-JSON
// validator, its diagnostic-code registry, the CLI, and the free helper functions.

// Validation of plain manifests
export { validateManifests, Diagnostic, Severity, ValidateOptions, formatDiagnostic } from './validation';
export { Code, DiagnosticCode, DiagnosticCodeInfo, DiagnosticTier, DIAGNOSTIC_CODES, diagnosticCodeInfo } from './validation';

// The CLI, callable in-process
export { runCli, CliIo, CliDeps } from './cli';

// Free functions of the vocabulary
export { resolveService } from './mesh/service-target';
export { serviceFqdn, resolveHost } from './mesh/hosts';
export { istioDuration, gatewayApiDuration, formatMillis, GATEWAY_API_DURATION } from './mesh/duration';
export { escapeRegex } from './request-match';

// The picture of a mesh (Mermaid, Graphviz) from plain manifests or an App
export { MeshGraph, MeshGraphNode, MeshGraphNodeKind, MeshGraphEdge, MeshGraphEdgeKind, MeshGraphNamespace, MeshGraphOptions } from './mesh-graph';
