import { Diagnostic } from '../diagnostic';
import { ValidateOptions } from '../options';

/**
 * Tier 3: cross-resource analysis over a whole manifest set. Each diagnostic carries the
 * `index` of the document it belongs to.
 */
export function analyzeGraph(_docs: readonly unknown[], _options: ValidateOptions = {}): Diagnostic[] {
  return [];
}
