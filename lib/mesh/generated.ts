import { ApiObject } from 'cdk8s';

// Objects the library creates on its own account (not written by the user), such as the
// per-version Services of a Gateway API canary. The App's validation tells the graph tier about
// them: they never decide whether a reference is missing (#15 item 11).

const GENERATED = new WeakSet<ApiObject>();

/** Marks `o` as created by the library; returns it. */
export function markGenerated<T extends ApiObject>(o: T): T {
  GENERATED.add(o);
  return o;
}

/** True when the library created `o` itself. */
export function isGenerated(o: ApiObject): boolean {
  return GENERATED.has(o);
}
