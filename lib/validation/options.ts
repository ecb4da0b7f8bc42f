/** Options of `validateManifests`. */
export interface ValidateOptions {
  /**
   * Treat references to objects outside the manifest set as errors instead of infos.
   *
   * @default false
   */
  readonly strict?: boolean;
}
