import { DiagnosticCode } from '../../codes';
import { Diagnostic, diagnostic, Severity } from '../../diagnostic';
import { ValidateOptions } from '../../options';
import { GraphIndex, Obj } from './model';

/** The annotation with which `istioctl analyze` findings are suppressed on an object. */
export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

/**
 * The codes suppressed on an object by `galley.istio.io/analyze-suppress`: a comma-separated
 * list of codes, or `*` for all (istioctl's format).
 */
export function suppressedCodes(o: Obj): ReadonlySet<string> {
  const value = o.annotations[SUPPRESS_ANNOTATION];
  if (typeof value !== 'string') return new Set();
  return new Set(value.split(',').map(c => c.trim()).filter(c => c.length > 0));
}

/** What an analyzer gets: the indexed set and a way to report. */
export class GraphContext {
  private readonly out: Diagnostic[] = [];
  private readonly suppressions = new Map<number, ReadonlySet<string>>();

  public constructor(public readonly index: GraphIndex, public readonly options: ValidateOptions) {}

  /** Reports a finding about document `o`, unless `o` suppresses the code. */
  public report(o: Obj, code: DiagnosticCode, severity: Severity, path: string, message: string): void {
    let suppressed = this.suppressions.get(o.index);
    if (!suppressed) {
      suppressed = suppressedCodes(o);
      this.suppressions.set(o.index, suppressed);
    }
    if (suppressed.has('*') || suppressed.has(code)) return;
    this.out.push({ ...diagnostic(o.doc, code, severity, path, message), index: o.index });
  }

  /**
   * Reports a reference from `o` that does not resolve. When the set holds no object of the
   * target's kind (`kindPresent` false), the target is outside the set: `info`, or `error` under
   * `strict`. Otherwise the target is missing: `error`.
   */
  public missing(o: Obj, code: DiagnosticCode, kindPresent: boolean, path: string, message: string): void {
    if (kindPresent || this.options.strict) {
      this.report(o, code, 'error', path, message);
    } else {
      this.report(o, code, 'info', path, `${message} (not in the manifest set; checked only when it is)`);
    }
  }

  /**
   * Reports a reference from `o` to the `gk` object `namespace/name` that is not in the set
   * (#15 item 11). Under `strict`: `error`. Otherwise the set is not the cluster: when it holds
   * other objects of that kind in that namespace (objects the calling library generated do not
   * count, see `ValidateOptions.generated`), a `warning` with a "did you mean" suggestion when a
   * close name exists; when it holds none, an `info`. Never an error outside `strict`: a target in
   * the set that is wrong (a missing subset, a port the Service lacks) is reported elsewhere.
   */
  public unresolved(o: Obj, code: DiagnosticCode, gk: string, namespace: string, name: string, path: string, message: string): void {
    if (this.options.strict) return this.report(o, code, 'error', path, message);
    const generated = new Set(this.options.generated ?? []);
    const others = this.index.allIn(gk, namespace).filter(x => !generated.has(x.index)).map(x => x.name);
    if (others.length === 0) {
      return this.report(o, code, 'info', path, `${message} (not in the manifest set; checked only when it is)`);
    }
    const close = closestName(name, others);
    const kind = gk.slice(gk.indexOf('/') + 1);
    this.report(o, code, 'warning', path, `${message}${close ? `; did you mean "${close}"?` : ''} (the set has other ${kind}s in `
      + `namespace ${namespace}; if it is defined elsewhere, ignore this, or use strict mode to make it an error)`);
  }

  /** Everything reported so far. */
  public get diagnostics(): readonly Diagnostic[] {
    return this.out;
  }
}

/** One cross-resource analyzer. */
export type Analyzer = (ctx: GraphContext) => void;

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The name among `names` closest to `name` when it looks like a typo of it: at most 2 edits, and
 * fewer than a third of the longer name (`ratngs` -> `ratings`; `httpbin` is not `httpbin-v1`).
 */
export function closestName(name: string, names: readonly string[]): string | undefined {
  let best: { n: string; d: number } | undefined;
  for (const n of [...new Set(names)].sort()) {
    const d = editDistance(name, n);
    if (d > 0 && d <= 2 && d * 3 < Math.max(name.length, n.length) && (!best || d < best.d)) best = { n, d };
  }
  return best?.n;
}
