import { Lazy } from 'cdk8s';

/**
 * A value produced at synth time, typed as the value it produces. Use it for the spec of a child
 * object whose content depends on mutators called after the constructor: rendering stays pure
 * and runs once per synth.
 */
export function lazy<T>(produce: () => T): T {
  return Lazy.any({ produce }) as unknown as T;
}
