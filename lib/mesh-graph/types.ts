// The picture of a mesh: nodes grouped by namespace, and the edges between them.

/** What a node of the mesh graph stands for. */
export type MeshGraphNodeKind =
  /** A Kubernetes Service, or a MESH_INTERNAL ServiceEntry host. */
  | 'service'
  /** A version of a service: a DestinationRule subset, or a per-version Service (Gateway API). */
  | 'version'
  /** A workload: Deployment, StatefulSet, DaemonSet, Pod, ..., or a WorkloadEntry (VM). */
  | 'workload'
  /** An ingress or egress gateway (Istio Gateway, Gateway API Gateway). */
  | 'gateway'
  /** A waypoint (Gateway of class istio-waypoint). */
  | 'waypoint'
  /** A host outside the mesh (MESH_EXTERNAL ServiceEntry, or a host the set does not define). */
  | 'external'
  /** A caller named by an authorization policy: a service account, a namespace, or anyone. */
  | 'identity'
  /** Every workload of a namespace (the target of a policy without selector). */
  | 'namespace';

/** A node. */
export interface MeshGraphNode {
  /** Stable id (`service:shop/reviews`). */
  readonly id: string;
  /** What the node stands for. */
  readonly kind: MeshGraphNodeKind;
  /** What the picture shows. */
  readonly label: string;
  /**
   * The namespace the node is drawn in.
   *
   * @default - outside every namespace (external hosts, any caller)
   */
  readonly namespace?: string;
  /**
   * For a version: the id of its service (versions are drawn as a subgroup of the service).
   *
   * @default - a top-level node of its namespace
   */
  readonly parent?: string;
}

/** What an edge stands for. */
export type MeshGraphEdgeKind =
  /** Traffic routed by a VirtualService or an HTTPRoute/GRPCRoute/TCPRoute/TLSRoute rule. */
  | 'route'
  /** Callers an ALLOW AuthorizationPolicy lets through. */
  | 'allow'
  /** Traffic leaving the mesh through an egress waypoint. */
  | 'egress'
  /** A service whose traffic goes through a waypoint. */
  | 'waypoint'
  /** A service (or ServiceEntry) selects a workload. */
  | 'selects';

/** An edge. */
export interface MeshGraphEdge {
  /** Id of the source node. */
  readonly from: string;
  /** Id of the target node. */
  readonly to: string;
  /** What the edge stands for. */
  readonly kind: MeshGraphEdgeKind;
  /** Matches, weights (as shares of 100), methods, paths and ports; empty when there is nothing to say. */
  readonly label: string;
}

/** A namespace of the picture. */
export interface MeshGraphNamespace {
  /** The namespace's name. */
  readonly name: string;
  /** An allow-nothing policy (ALLOW without rules) covers the whole namespace, here or in the root namespace. */
  readonly denyByDefault: boolean;
  /** `istio.io/dataplane-mode: ambient` on the Namespace. */
  readonly ambient: boolean;
}

/** Options of MeshGraph. */
export interface MeshGraphOptions {
  /** The mesh's root namespace: an allow-nothing policy there covers every namespace. @default istio-system */
  readonly rootNamespace?: string;
  /** The cluster domain of Service FQDNs. @default cluster.local */
  readonly clusterDomain?: string;
}
