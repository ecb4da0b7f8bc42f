import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

// The App's ApiObjects by kind, for constructs that read what else the App declares (a Service's
// ports, the Gateways that select an ingress) while they render. Built on the first lookup and
// kept until the current synchronous run ends (a microtask) or `forgetAppObjects` is called, as
// every synth does first: one walk of the App per synth instead of one per lookup (a lookup per
// policy rule made synth quadratic in the number of services). Rendered JSON is kept for the
// same span.

interface AppObjects {
  readonly byKind: Map<string, ApiObject[]>;
  readonly json: Map<ApiObject, unknown>;
  readonly derived: Map<string, unknown>;
}

const INDEXES = new WeakMap<IConstruct, AppObjects>();

function indexOf(scope: IConstruct): AppObjects {
  const root = scope.node.root;
  let index = INDEXES.get(root);
  if (index) return index;
  index = { byKind: new Map(), json: new Map(), derived: new Map() };
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const list = index.byKind.get(c.kind);
    if (list) list.push(c);
    else index.byKind.set(c.kind, [c]);
  }
  INDEXES.set(root, index);
  queueMicrotask(() => INDEXES.delete(root));
  return index;
}

/** The ApiObjects of `kind` in the App that contains `scope`, in tree order. */
export function appObjectsOfKind(scope: IConstruct, kind: string): readonly ApiObject[] {
  return indexOf(scope).byKind.get(kind) ?? [];
}

/**
 * A structure derived from the App's objects (a lookup table), built once by `build` and kept
 * like the index. `key` names the structure; one key, one builder.
 */
export function derivedFromApp<T>(scope: IConstruct, key: string, build: () => T): T {
  const index = indexOf(scope);
  if (!index.derived.has(key)) index.derived.set(key, build());
  return index.derived.get(key) as T;
}

/** `o.toJson()`, or undefined when it throws (its own validation reports why); kept like the index. */
export function renderedJson(scope: IConstruct, o: ApiObject): any {
  const index = indexOf(scope);
  if (!index.json.has(o)) {
    let doc: unknown;
    try {
      doc = o.toJson();
    } catch {
      doc = undefined;
    }
    index.json.set(o, doc);
  }
  return index.json.get(o);
}

/** Drops the index of the App that contains `scope` (its constructs may have changed). */
export function forgetAppObjects(scope: IConstruct): void {
  INDEXES.delete(scope.node.root);
}
