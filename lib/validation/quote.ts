/**
 * The longest rendering of a value that a diagnostic message quotes (the API server quotes
 * about as much). Longer values are cut and say how long they were; the whole value stays in the
 * manifest at the diagnostic's path.
 */
export const QUOTE_LIMIT = 200;

/** A value rendered as JSON for a message, at most QUOTE_LIMIT characters of it. */
export function quote(value: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(value, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
  } catch {
    s = undefined;
  }
  if (s === undefined) s = String(value);
  if (s.length <= QUOTE_LIMIT) return s;
  return `${s.slice(0, QUOTE_LIMIT)}... (${s.length} characters)`;
}
