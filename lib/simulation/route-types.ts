// The parts of a RouteResult (named types: jsii, and so Python, has no inline object types).

/** Traffic mirrored by a route rule. */
export interface RouteMirror {
  /** Host the copy goes to. */
  readonly host: string;
  /**
   * Subset of the mirror host.
   *
   * @default - none
   */
  readonly subset?: string;
  /**
   * Port of the mirror host.
   *
   * @default - the request's port
   */
  readonly port?: number;
  /** Share of requests mirrored, 0..100. */
  readonly percent: number;
}

/** A fixed delay injected by a route rule. */
export interface RouteFaultDelay {
  /** The delay in milliseconds. */
  readonly fixedDelayMs: number;
  /** Share of requests delayed, 0..100. */
  readonly percent: number;
}

/** An abort injected by a route rule. */
export interface RouteFaultAbort {
  /**
   * HTTP status returned.
   *
   * @default - none (a gRPC status)
   */
  readonly httpStatus?: number;
  /**
   * gRPC status returned.
   *
   * @default - none (an HTTP status)
   */
  readonly grpcStatus?: string;
  /** Share of requests aborted, 0..100. */
  readonly percent: number;
}

/** Fault injection of a route rule. */
export interface RouteFault {
  /**
   * Injected delay.
   *
   * @default - none
   */
  readonly delay?: RouteFaultDelay;
  /**
   * Injected abort.
   *
   * @default - none
   */
  readonly abort?: RouteFaultAbort;
}

/** A regular-expression rewrite of the path. */
export interface RouteRegexRewrite {
  /** The expression matched. */
  readonly match: string;
  /** Its replacement. */
  readonly rewrite: string;
}

/** A rewrite of a route rule. */
export interface RouteRewrite {
  /**
   * New path (prefix).
   *
   * @default - unchanged
   */
  readonly uri?: string;
  /**
   * New authority (Host).
   *
   * @default - unchanged
   */
  readonly authority?: string;
  /**
   * Regular-expression path rewrite.
   *
   * @default - none
   */
  readonly uriRegexRewrite?: RouteRegexRewrite;
}

/** A redirect of a route rule. */
export interface RouteRedirect {
  /**
   * New path.
   *
   * @default - unchanged
   */
  readonly uri?: string;
  /**
   * New authority.
   *
   * @default - unchanged
   */
  readonly authority?: string;
  /**
   * New scheme.
   *
   * @default - unchanged
   */
  readonly scheme?: string;
  /**
   * New port.
   *
   * @default - unchanged
   */
  readonly port?: number;
  /** Redirect status code. */
  readonly statusCode: number;
}

/** A direct response of a route rule. */
export interface RouteDirectResponse {
  /** Status code. */
  readonly status: number;
  /**
   * Response body.
   *
   * @default - empty
   */
  readonly body?: string;
}
