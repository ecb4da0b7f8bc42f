import { Visibility } from './model';

interface Group {
  readonly vis: Visibility;
  readonly positions: number[];
}

/**
 * Items grouped by visibility (`exportTo`), to find the items visible in a common namespace with
 * a given visibility without comparing every pair: items of equal visibility are looked up once,
 * namespaces through an index.
 */
export class VisibilityGroups<T> {
  private readonly groups = new Map<string, Group>();
  private readonly byNamespace = new Map<string, Group[]>();
  private readonly found = new Map<string, readonly T[]>();

  public constructor(private readonly items: readonly T[], visibilityOf: (item: T) => Visibility) {
    items.forEach((item, i) => {
      const vis = visibilityOf(item);
      let g = this.groups.get(vis.key);
      if (!g) {
        g = { vis, positions: [] };
        this.groups.set(vis.key, g);
        if (!vis.all) {
          for (const ns of vis.namespaces) {
            const list = this.byNamespace.get(ns);
            if (list) list.push(g); else this.byNamespace.set(ns, [g]);
          }
        }
      }
      g.positions.push(i);
    });
  }

  /** The items whose visibility overlaps `v` (as `visibilitiesOverlap` decides), in input order. */
  public overlapping(v: Visibility): readonly T[] {
    const cached = this.found.get(v.key);
    if (cached) return cached;
    const hit = new Set<Group>();
    if (v.all) {
      for (const g of this.groups.values()) if (g.vis.all || g.vis.namespaces.size > 0) hit.add(g);
    } else if (v.namespaces.size > 0) {
      const everywhere = this.groups.get('*');
      if (everywhere?.vis.all) hit.add(everywhere);
      for (const ns of v.namespaces) for (const g of this.byNamespace.get(ns) ?? []) hit.add(g);
    }
    const positions = [...hit].flatMap(g => g.positions);
    if (hit.size > 1) positions.sort((a, b) => a - b);
    const out = positions.map(i => this.items[i]);
    this.found.set(v.key, out);
    return out;
  }
}
