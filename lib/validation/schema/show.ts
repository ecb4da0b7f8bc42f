/** A short rendering of a value for messages. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
  } catch {
    s = String(v);
  }
  if (s === undefined) s = String(v);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}
