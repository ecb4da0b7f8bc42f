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
 *
 * The class does not `extend Error` in its declaration (jsii, which builds the Python package,
 * cannot derive from `Error`), yet every instance is a real `Error`: the constructor returns an
 * `Error` whose prototype chain is `MeshError.prototype` → `Error.prototype`, so stack traces,
 * `instanceof Error` and `instanceof MeshError` (within one copy of the package) all hold.
 */
export class MeshError {
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
  public readonly constructPath!: string;
  /** The message: the construct type and path, then the detail (`CanaryRoute shop/reviews: ...`). */
  public readonly message!: string;
  /** Always `MeshError`. */
  public readonly name!: string;
  /**
   * The stack trace, as `Error.stack`.
   *
   * @default - set by the JavaScript runtime
   */
  public readonly stack?: string;

  /**
   * @param scope the construct that raised the error; the root construct (the App) for an error
   *   about the whole App, whose detail then names the paths itself (no prefix)
   * @param detail what is wrong and what is allowed
   */
  public constructor(scope: IConstruct, detail: string) {
    const root = scope.node.path === ''; // the App: its path is empty
    const error = new Error(root ? detail : `${describeConstruct(scope)}: ${detail}`);
    Object.setPrototypeOf(error, new.target.prototype);
    Object.defineProperty(error, MESH_ERROR_SYMBOL, { value: true });
    Object.defineProperty(error, 'name', { value: 'MeshError', writable: true, configurable: true });
    Object.defineProperty(error, 'constructPath', { value: scope.node.path, enumerable: true });
    // A constructor may return another object: `new MeshError(...)` is this Error.
    return error as unknown as MeshError;
  }
}
// Instances are Errors: the prototype of MeshError.prototype is Error.prototype.
Object.setPrototypeOf(MeshError.prototype, Error.prototype);

/** A MeshError about no construct (plain manifests, the whole App): the message is `detail` alone. */
export function unscopedMeshError(detail: string): MeshError {
  // A root-like scope (empty path): no `<Type> <path>:` prefix, constructPath ''.
  return new MeshError({ node: { path: '' } } as unknown as IConstruct, detail);
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
