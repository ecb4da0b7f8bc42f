/** A finding of the walk: code, JSON path (with a leading '.' for root fields) and message. */
export interface Finding {
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

/** Where findings go. */
export type Out = Finding[];
