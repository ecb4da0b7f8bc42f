/** A string reversed (by UTF-16 code units): `x.endsWith(s)` iff `reverse(x).startsWith(reverse(s))`. */
function reverse(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
}

/**
 * Hosts (exact, `*.suffix` or `*`) indexed to answer which values have a host that overlaps a
 * wildcard host, as `hostsOverlap` decides, without comparing every pair: for a wildcard `*S`, a
 * wildcard `*T` overlaps when T is a suffix of S (looked up per suffix of S) or S is a suffix of
 * T, and an exact host x when S is a suffix of x (both found by a prefix range over the reversed
 * strings, sorted).
 */
export class OverlapIndex<T> {
  private readonly wildcardBySuffix = new Map<string, T[]>();
  private readonly reversed: { key: string; value: T }[] = [];
  private sorted = true;

  /** Adds `value` under `host`. */
  public add(host: string, value: T): void {
    const text = host.startsWith('*') ? host.slice(1) : host;
    if (host.startsWith('*')) {
      const list = this.wildcardBySuffix.get(text);
      if (list) list.push(value); else this.wildcardBySuffix.set(text, [value]);
    }
    this.reversed.push({ key: reverse(text), value });
    this.sorted = false;
  }

  /** The values with at least one host that overlaps `wildcard` (`*` or `*suffix`). */
  public overlappingWildcard(wildcard: string): Set<T> {
    const suffix = wildcard.slice(1);
    const out = new Set<T>();
    for (let i = 0; i <= suffix.length; i++) {
      for (const v of this.wildcardBySuffix.get(suffix.slice(i)) ?? []) out.add(v);
    }
    if (!this.sorted) {
      this.reversed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.sorted = true;
    }
    const prefix = reverse(suffix);
    let lo = 0;
    let hi = this.reversed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.reversed[mid].key < prefix) lo = mid + 1; else hi = mid;
    }
    for (let i = lo; i < this.reversed.length && this.reversed[i].key.startsWith(prefix); i++) out.add(this.reversed[i].value);
    return out;
  }
}
