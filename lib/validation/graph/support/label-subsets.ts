/** Label values that compare with `===` as their JSON text does (what a subset key can stand for). */
function primitive(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** Subsets of at most this many labels are enumerated; larger label sets are scanned. */
const MAX_ENUMERATED = 10;

/** One text per label set: equal for label sets with equal keys and (primitive) values. */
function keyOf(entries: readonly [string, unknown][]): string {
  return JSON.stringify([...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/**
 * Policies indexed by their label selector (`matchLabels`), to find the policies whose selector
 * is a subset of a workload's labels (`Object.keys(sel).every(k => labels[k] === sel[k])`)
 * without testing each one: the labels' subsets are looked up by key, and of the policies with
 * equal selectors only the first added is kept (callers want the first match, or any). Selectors
 * with values that are not strings, finite numbers, booleans or null are kept aside and tested
 * one by one, as are all of them for a workload with more than 10 labels.
 */
export class SelectorIndex<T> {
  private readonly bySelector = new Map<string, T>();
  private readonly others: { sel: any; value: T }[] = [];
  private readonly all: { sel: any; value: T }[] = [];

  /** Adds `value` with its selector `sel` (a non-empty object). */
  public add(sel: any, value: T): void {
    this.all.push({ sel, value });
    const entries = Object.keys(sel).map((k): [string, unknown] => [k, sel[k]]);
    if (!entries.every(([, v]) => primitive(v))) {
      this.others.push({ sel, value });
      return;
    }
    const key = keyOf(entries);
    if (!this.bySelector.has(key)) this.bySelector.set(key, value);
  }

  /**
   * Values whose selector is a subset of `labels` (not in input order): for each such selector,
   * at least the first value added with it.
   */
  public matching(labels: any): T[] {
    const matches = (sel: any) => Object.keys(sel).every(k => labels[k] === sel[k]);
    const entries = Object.keys(labels).map((k): [string, unknown] => [k, labels[k]]).filter(([, v]) => primitive(v));
    if (entries.length > MAX_ENUMERATED) return this.all.filter(x => matches(x.sel)).map(x => x.value);
    const out: T[] = [];
    for (let mask = 1; mask < 1 << entries.length; mask++) {
      const subset = entries.filter((_e, i) => mask & (1 << i));
      const hit = this.bySelector.get(keyOf(subset));
      if (hit !== undefined) out.push(hit);
    }
    for (const x of this.others) if (matches(x.sel)) out.push(x.value);
    return out;
  }
}
