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

  /** Everything reported so far. */
  public get diagnostics(): readonly Diagnostic[] {
    return this.out;
  }
}

/** One cross-resource analyzer. */
export type Analyzer = (ctx: GraphContext) => void;
