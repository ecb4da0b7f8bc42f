import { MeshError } from '../../lib';

/**
 * Runs `build` for property tests: 'accepted' when it returns, 'rejected' when it throws MeshError;
 * any other error (TypeError, ...) is rethrown and fails the property.
 */
export function attempt(build: () => void): 'accepted' | 'rejected' {
  try {
    build();
    return 'accepted';
  } catch (e) {
    if (e instanceof MeshError) return 'rejected';
    throw e;
  }
}
