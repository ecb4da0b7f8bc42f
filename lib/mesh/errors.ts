import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The one error type of cdk8s-istio.
 *
 * Thrown for invalid construct props and for whole-app checks. The message starts with the
 * construct type and path (`CanaryRoute shop/reviews: ...`) and names the prop, the value and
 * what is allowed; `constructPath` carries the path on its own for tooling.
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

  /** The construct path (`app/chart/reviews`) of the construct that raised the error. */
  public readonly constructPath: string;

  /**
   * @param scope the construct that raised the error
   * @param detail what is wrong and what is allowed
   */
  public constructor(scope: IConstruct, detail: string) {
    super(`${describeConstruct(scope)}: ${detail}`);
    this.name = 'MeshError';
    this.constructPath = scope.node.path;
  }
}

/** `CanaryRoute test/reviews`: the type and path of a construct, as errors and warnings start. */
export function describeConstruct(scope: IConstruct): string {
  return `${scope.constructor.name} ${scope.node.path}`;
}

/** Renders a user value for a message: strings quoted, durations readable, objects as JSON. */
export function formatValue(value: unknown): string {
  if (value instanceof Duration) {
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
