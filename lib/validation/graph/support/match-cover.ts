/** JSON with sorted keys, so that equal values compare equal whatever their key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map(k => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A match without its `name` (which does not take part in matching), canonical. */
export function matchKey(m: unknown): string {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return canonical(m);
  return canonical(Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'name')));
}

/** Fields of an HTTPMatchRequest that are a StringMatch. */
const STRING_FIELDS = new Set(['uri', 'scheme', 'method', 'authority']);
/** Fields that are maps of StringMatch. */
const MAP_FIELDS = new Set(['headers', 'queryParams']);

/** True if every string StringMatch `b` accepts is accepted by `a` (exact/prefix only; regex only when equal). */
function stringCovers(a: any, b: any): boolean {
  if (canonical(a) === canonical(b)) return true;
  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') return false;
  if (Object.keys(a).length !== 1 || typeof a.prefix !== 'string') return false;
  const bv = typeof b.prefix === 'string' ? b.prefix : typeof b.exact === 'string' ? b.exact : undefined;
  return Object.keys(b).length === 1 && bv !== undefined && bv.startsWith(a.prefix);
}

/**
 * True if every request that HTTP match `b` selects is also selected by the earlier match `a`,
 * so that `b` is never used. Conservative: besides equal conditions, only `prefix` StringMatches
 * widen (`prefix: /api` covers `prefix: /api/v1` and `exact: /api/x`); anything else must be equal.
 */
export function matchCovers(a: any, b: any): boolean {
  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') return false;
  for (const [k, av] of Object.entries(a)) {
    if (k === 'name') continue;
    const bv = (b as any)[k];
    if (bv === undefined) return false;
    if (STRING_FIELDS.has(k)) {
      if (k === 'uri' && Boolean(a.ignoreUriCase) !== Boolean(b.ignoreUriCase)) return false;
      if (!stringCovers(av, bv)) return false;
    } else if (MAP_FIELDS.has(k)) {
      if (av === null || typeof av !== 'object' || bv === null || typeof bv !== 'object') return false;
      for (const [hk, hv] of Object.entries(av as object)) {
        if (!(hk in (bv as object)) || !stringCovers(hv, (bv as any)[hk])) return false;
      }
    } else if (canonical(av) !== canonical(bv)) {
      return false;
    }
  }
  return true;
}
