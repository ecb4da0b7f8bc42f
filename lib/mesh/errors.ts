import type { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The brand of MeshError: `Symbol.for` is shared by every copy of the package in one process. */
const MESH_ERROR_SYMBOL = Symbol.for('cdk8s-istio.MeshError');

/**
 * Recognises the errors of cdk8s-istio.
 *
 * Use `MeshErrors.isMeshError(e)` rather than `e instanceof MeshError`: when an app loads two
 * copies of the package (a library built on cdk8s-istio with its own dependency), `instanceof`
 * fails for errors of the other copy; the symbol brand does not.
 */
export class MeshErrors {
  /** True when `x` is an error thrown by cdk8s-istio (any copy of the package). */
  public static isMeshError(x: any): x is MeshError {
    return x !== null && typeof x === 'object' && MESH_ERROR_SYMBOL in x;
  }

  private constructor() {}
}

/**
 * The one error type of cdk8s-istio.
 *
 * Thrown for invalid construct props and for whole-app checks. The message starts with the
 * construct type and path (`CanaryRoute shop/reviews: ...`) and names the prop, the value and
 * what is allowed; `constructPath` carries the path on its own for tooling. Recognise it with
 * `MeshErrors.isMeshError(e)` (a symbol brand that works across copies of the package).
 */
export class MeshError extends Error {
  /**
   * An error about one prop of a construct:
   * `<Type> <path>: <prop> must be <allowed>, got <value>`.
   *
   * @param scope the construct whose prop is invalid
   * @param prop the prop, as the user wrote it (`retries.attempts`)
   * @param value the value the user gave
   * @param allowed what is allowed, as a phrase that follows "must be"
   */
  public static invalid(scope: IConstruct, prop: string, value: unknown, allowed: string): MeshError {
    return new MeshError(scope, `${prop} must be ${allowed}, got ${formatValue(value)}`);
  }

  /** The construct path (`app/chart/reviews`) of the construct that raised the error ('' for the App as a whole). */
  public readonly constructPath: string;

  /**
   * @param scope the construct that raised the error, or undefined for an error about the whole App
   *   (the detail then names the paths itself)
   * @param detail what is wrong and what is allowed
   */
  public constructor(scope: IConstruct | undefined, detail: string) {
    super(scope ? `${describeConstruct(scope)}: ${detail}` : detail);
    Object.setPrototypeOf(this, new.target.prototype);
    Object.defineProperty(this, MESH_ERROR_SYMBOL, { value: true });
    this.name = 'MeshError';
    this.constructPath = scope?.node.path ?? '';
  }
}

/** `CanaryRoute test/reviews`: the type and path of a construct, as errors and warnings start. */
export function describeConstruct(scope: IConstruct): string {
  return `${scope.constructor.name} ${scope.node.path}`;
}

/**
 * True for a cdk8s `Duration`, recognized by its methods: this module (and the validator, which
 * uses the prop checkers) must not load cdk8s, and a Duration from a second copy of cdk8s counts.
 */
export function isDuration(value: unknown): value is Duration {
  const d = value as Duration | null | undefined;
  return typeof d === 'object' && d !== null && typeof d.toMilliseconds === 'function' && typeof d.toIsoString === 'function';
}

/** Renders a user value for a message: strings quoted, durations readable, objects as JSON. */
export function formatValue(value: unknown): string {
  if (isDuration(value)) {
    return `${value.toMilliseconds({ integral: false })}ms`;
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
