import { quote } from '../quote';

/** A short rendering of a value for messages (at most QUOTE_LIMIT characters, see ../quote). */
export function show(v: unknown): string {
  return quote(v);
}
