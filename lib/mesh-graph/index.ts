export { MeshGraph } from './mesh-graph';
export { MeshGraphNode, MeshGraphNodeKind, MeshGraphEdge, MeshGraphEdgeKind, MeshGraphNamespace, MeshGraphOptions } from './types';
