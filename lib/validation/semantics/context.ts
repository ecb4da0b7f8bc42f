import { DiagnosticCode } from '../codes';
import { diagnostic, Diagnostic } from '../diagnostic';
import { quote } from '../quote';

/** A plain JSON object, or undefined when the value is not one. */
export function obj(value: unknown): Record<string, any> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, any>) : undefined;
}

/** The value when it is an array, otherwise an empty array. */
export function arr(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** The value when it is a string, otherwise undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value when it is a finite number, otherwise undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** True when a field is present (not undefined and not null), as protobuf's "is set" for messages. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** True for a non-empty string. */
export function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

/** `base.key` for identifier-like keys, `base["key"]` otherwise. */
export function child(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

/** Collects the diagnostics of one document. */
export class Findings {
  public readonly list: Diagnostic[] = [];

  constructor(public readonly doc: any) {}

  /** The document's namespace ('' when none). */
  public get namespace(): string {
    return str(obj(this.doc?.metadata)?.namespace) ?? '';
  }

  /** Records an error: istiod's admission webhook rejects the object. */
  public error(code: DiagnosticCode, path: string, message: string): void {
    this.list.push(diagnostic(this.doc, code, 'error', path, message));
  }

  /** Records a warning: istiod accepts the object but warns. */
  public warn(code: DiagnosticCode, path: string, message: string): void {
    this.list.push(diagnostic(this.doc, code, 'warning', path, message));
  }
}

/** Quotes a value for a message (at most QUOTE_LIMIT characters of it, see ../quote). */
export function q(value: unknown): string {
  return quote(value);
}
