import { Findings, q } from './context';
import { Code } from '../codes';

const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const PART = /([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a duration the way Kubernetes CEL's `duration()` and Istio's JSON decoding accept it
 * (Go syntax: `1h30m`, `1.5s`, `250ms`) into nanoseconds; undefined when it does not parse (the
 * schema tier reports that).
 */
export function parseDurationNanos(text: string): bigint | undefined {
  let s = text;
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1n : 1n;
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m || m.index !== pos || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const unit = UNITS[m[3]];
    total += BigInt(m[1] || '0') * unit;
    const frac = m[2] ?? '';
    if (frac.length > 0) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    pos = PART.lastIndex;
  }
  return sign * total;
}

/**
 * CI2001: istiod accepts durations only to millisecond precision ("only durations to ms precision
 * are supported"). The CRD's CEL rules already require at least 1ms.
 */
export function checkDurationPrecision(f: Findings, path: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const nanos = parseDurationNanos(value);
  if (nanos === undefined || nanos < 1_000_000n) return;
  if (nanos % 1_000_000n !== 0n) {
    f.error(Code.CI2001, path, `duration ${q(value)} has sub-millisecond precision; Istio supports durations only to ms precision (e.g. "1500ms", "1.5s")`);
  }
}
