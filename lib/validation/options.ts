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
  readonly gatewayApiChannel?: 'standard' | 'experimental';
}
