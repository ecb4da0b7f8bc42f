/**
 * The Gateway API release channel whose CRDs the cluster has.
 *
 * @see https://gateway-api.sigs.k8s.io/concepts/versioning/#release-channels
 */
export enum GatewayApiChannel {
  /** Standard channel: experimental fields (HTTPRoute `rules[].retry`) are unknown fields. */
  STANDARD = 'standard',
  /** Experimental channel: its extra fields are accepted and checked. */
  EXPERIMENTAL = 'experimental',
}

/** Options of `validateManifests`. */
export interface ValidateOptions {
  /**
   * Treat references to objects outside the manifest set as errors instead of infos.
   *
   * @default false
   */
  readonly strict?: boolean;

  /**
   * The Gateway API release channel whose CRDs the cluster has. `experimental` also accepts
   * experimental-channel fields that the vendored standard-channel CRDs lack (HTTPRoute
   * `rules[].retry`) and checks their shape; `standard` rejects them as unknown fields, as a
   * standard-channel API server does.
   *
   * @default 'standard'
   */
  readonly gatewayApiChannel?: GatewayApiChannel | 'standard' | 'experimental';

  /**
   * Indices (in the input) of documents that the calling library generated itself, such as the
   * per-version Services of a Gateway API canary: they never decide whether a reference is
   * missing (the set holding them does not make an unresolved reference a warning).
   *
   * @default - none
   */
  readonly generated?: readonly number[];
}
