import { HostIndex, Obj, Visibility } from './model';

/** One list of a HostIndex, split by visibility: positions in the list, ascending. */
interface Bucket {
  readonly everywhere: number[];
  readonly byNamespace: Map<string, number[]>;
  /** Where the objects with each key are visible. */
  readonly keys: Map<string, { everywhere: boolean; readonly namespaces: Set<string> }>;
}

/** The first `max` positions of two ascending lists merged, without duplicates (they are disjoint). */
function mergeHead(a: readonly number[], b: readonly number[], max: number): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (out.length < max && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]); else out.push(b[j++]);
  }
  return out;
}

/**
 * A host index of objects with `exportTo`, answering "the objects for this host visible to this
 * namespace" (`lookup(host).filter(o => visibleTo(visibility(o), ns))`) without testing every
 * candidate: each list of the index is split once into the objects visible everywhere and, per
 * namespace, those exported to it.
 */
export class VisibleHostIndex {
  private readonly split = new Map<readonly Obj[], Bucket>();

  /**
   * @param hosts the objects by host
   * @param visibilityOf the visibility of an object
   * @param keysOf keys of an object that `hasKey` looks up (e.g. the subset names of a DestinationRule)
   */
  public constructor(
    private readonly hosts: HostIndex<Obj>,
    private readonly visibilityOf: (o: Obj) => Visibility,
    private readonly keysOf: (o: Obj) => readonly string[] = () => [],
  ) {}

  /** The first visible object for `host` from namespace `ns`, in `lookup` order. */
  public first(host: string, ns: string): Obj | undefined {
    for (const list of this.hosts.buckets(host)) {
      const head = this.visibleIn(list, ns, 1);
      if (head.length > 0) return head[0];
    }
    return undefined;
  }

  /** The first `max` visible objects for `host` from namespace `ns`, in `lookup` order, and how many there are. */
  public head(host: string, ns: string, max: number): { objects: Obj[]; total: number } {
    const objects: Obj[] = [];
    let total = 0;
    for (const list of this.hosts.buckets(host)) {
      const b = this.bucket(list);
      total += b.everywhere.length + (b.byNamespace.get(ns)?.length ?? 0);
      if (objects.length < max) objects.push(...this.visibleIn(list, ns, max - objects.length));
    }
    return { objects, total };
  }

  /** True if a visible object for `host` from namespace `ns` has `key` among its `keysOf` (see the constructor). */
  public hasKey(host: string, ns: string, key: string): boolean {
    for (const list of this.hosts.buckets(host)) {
      const where = this.bucket(list).keys.get(key);
      if (where && (where.everywhere || where.namespaces.has(ns))) return true;
    }
    return false;
  }

  private visibleIn(list: readonly Obj[], ns: string, max: number): Obj[] {
    const b = this.bucket(list);
    return mergeHead(b.everywhere, b.byNamespace.get(ns) ?? [], max).map(i => list[i]);
  }

  private bucket(list: readonly Obj[]): Bucket {
    let b = this.split.get(list);
    if (!b) {
      const bucket: Bucket = { everywhere: [], byNamespace: new Map(), keys: new Map() };
      list.forEach((o, i) => {
        const v = this.visibilityOf(o);
        for (const k of this.keysOf(o)) {
          let where = bucket.keys.get(k);
          if (!where) {
            where = { everywhere: false, namespaces: new Set() };
            bucket.keys.set(k, where);
          }
          if (v.all) where.everywhere = true; else for (const ns of v.namespaces) where.namespaces.add(ns);
        }
        if (v.all) {
          bucket.everywhere.push(i);
          return;
        }
        for (const ns of v.namespaces) {
          const positions = bucket.byNamespace.get(ns);
          if (positions) positions.push(i); else bucket.byNamespace.set(ns, [i]);
        }
      });
      b = bucket;
      this.split.set(list, b);
    }
    return b;
  }
}
