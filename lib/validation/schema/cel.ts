import { Environment } from '@marcbachmann/cel-js';
import { CelIp, CelUrl, parseIp, parseRequestUri, urlHostname, urlPort, urlQuery } from './k8s-cel-lib';
import { re2ToJs } from './regex';

// CEL for `x-kubernetes-validations`: one shared environment with `self` and `oldSelf` as dyn,
// the Kubernetes library functions the CRDs use, and `matches()` patterns rewritten from RE2 to
// JavaScript syntax at compile time. Every distinct expression is compiled once.

/** Compile and evaluation counters for one distinct CEL expression (the coverage test reads them). */
export interface CelRuleStats {
  /** The expression as written in the CRD. */
  readonly expression: string;
  /** True when it references `oldSelf` (a transition rule: skipped on create). */
  readonly transition: boolean;
  /** Parse or type-check error, when it does not compile. */
  readonly compileError?: string;
  /** Number of evaluations (successful or not). */
  evaluations: number;
  /** Number of evaluations that failed with a runtime error. */
  errors: number;
  /** Number of times it was skipped as a transition rule. */
  skipped: number;
  /** Runtime error messages seen (distinct, at most 5). */
  readonly errorMessages: string[];
}

/** A compiled CEL expression. */
export interface CelProgram {
  readonly stats: CelRuleStats;
  /** Evaluates with `self`; throws on a runtime error. Undefined when it did not compile. */
  readonly run?: (self: unknown) => unknown;
}

let env: Environment | undefined;

function environment(): Environment {
  if (env !== undefined) return env;
  const e = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true })
    .registerVariable('self', 'dyn')
    .registerVariable('oldSelf', 'dyn')
    .registerType('net.URL', CelUrl)
    .registerType('net.IP', CelIp)
    .registerFunction('isURL(string): bool', (s: string) => typeof parseRequestUri(s) !== 'string')
    .registerFunction('url(string): net.URL', (s: string) => {
      const u = parseRequestUri(s);
      if (typeof u === 'string') throw new Error(`URL parse error during conversion from string: ${u}`);
      return u;
    })
    .registerFunction('net.URL.getScheme(): string', (u: CelUrl) => u.scheme)
    .registerFunction('net.URL.getHost(): string', (u: CelUrl) => u.host)
    .registerFunction('net.URL.getHostname(): string', (u: CelUrl) => urlHostname(u))
    .registerFunction('net.URL.getPort(): string', (u: CelUrl) => urlPort(u))
    .registerFunction('net.URL.getEscapedPath(): string', (u: CelUrl) => u.path)
    .registerFunction('net.URL.getQuery(): map<string, list<string>>', (u: CelUrl) => urlQuery(u))
    .registerFunction('__hasField(dyn, string): bool', (obj: unknown, field: string) => hasField(obj, field))
    .registerFunction('__goDuration(string): string', (s: string) => goDuration(s))
    .registerFunction('isIP(string): bool', (s: string) => typeof parseIp(s) !== 'string')
    .registerFunction('ip(string): net.IP', (s: string) => {
      const ip = parseIp(s);
      if (typeof ip === 'string') throw new Error(ip);
      return ip;
    })
    .registerFunction('net.IP.family(): int', (ip: CelIp) => BigInt(ip.family))
    .registerFunction('net.IP.isUnspecified(): bool', (ip: CelIp) => ip.bytes.every(b => b === 0))
    .registerFunction('net.IP.isLoopback(): bool', (ip: CelIp) =>
      ip.family === 4 ? ip.bytes[0] === 127 : ip.bytes.slice(0, 15).every(b => b === 0) && ip.bytes[15] === 1);
  env = e;
  return e;
}

/** Names of every function, method and macro the CEL environment provides. */
export function implementedFunctions(): Set<string> {
  return new Set(environment().getDefinitions().functions.map(f => f.name));
}

/** Walks a cel-js AST, calling `visit` on every node. */
export function walkAst(node: any, visit: (n: any) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) walkAst(n, visit);
    return;
  }
  if (typeof node.op !== 'string') return;
  visit(node);
  if (Array.isArray(node.args)) walkAst(node.args, visit);
  else if (node.args !== null && typeof node.args === 'object') walkAst(node.args, visit);
}

/** Names of the functions, methods and macros an expression calls. */
export function calledFunctions(expression: string): Set<string> {
  const out = new Set<string>();
  walkAst(environment().parse(expression).ast, n => {
    if ((n.op === 'call' || n.op === 'rcall') && typeof n.args[0] === 'string') out.add(n.args[0]);
  });
  return out;
}

/** `has(e.f)` for any `e`, as the CEL spec defines it (cel-js accepts only `a.b.c` chains). */
function hasField(obj: unknown, field: string): boolean {
  if (obj instanceof Map) return obj.has(field);
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    return Object.prototype.hasOwnProperty.call(obj, field) && (obj as any)[field] !== undefined;
  }
  throw new Error(`has(): invalid type for field selection ${JSON.stringify(field)}`);
}

/**
 * Rewrites `has(e.f)` whose operand `e` is not a plain identifier chain (e.g. `self[0].matches`)
 * into `__hasField(e, "f")`, which cel-js can evaluate.
 */
function rewriteHas(expression: string, ast: any): string {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  walkAst(ast, n => {
    if (n.op !== 'call' || n.args[0] !== 'has' || n.args[1]?.length !== 1) return;
    const sel = n.args[1][0];
    if (sel?.op !== '.') return;
    let e = sel.args[0];
    while (e.op === '.' || e.op === '.?') e = e.args[0];
    if (e.op === 'id') return;
    const operand = sel.args[0];
    edits.push({ start: n.start, end: n.end, text: `__hasField(${expression.slice(operand.start, operand.end)}, ${JSON.stringify(sel.args[1])})` });
  });
  // Outermost edits only (an inner has() inside an outer rewritten operand is rewritten on the next pass).
  edits.sort((a, b) => a.start - b.start);
  const kept: typeof edits = [];
  for (const e of edits) if (!kept.some(k => e.start >= k.start && e.end <= k.end)) kept.push(e);
  let out = expression;
  for (const e of kept.reverse()) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * Go's `time.ParseDuration` (used by Kubernetes CEL's `duration()`) also accepts a bare `0` and the
 * Greek mu in `μs`; cel-js does not, so arguments are normalised first.
 */
function goDuration(s: string): string {
  if (s === '0' || s === '+0' || s === '-0') return '0s';
  return s.includes('\u03bc') ? s.replace(/\u03bcs/g, 'us') : s;
}

/** Wraps non-literal `duration(x)` arguments as `duration(__goDuration(x))`. */
function rewriteDuration(expression: string, ast: any): string {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  walkAst(ast, n => {
    if (n.op !== 'call' || n.args[0] !== 'duration' || n.args[1]?.length !== 1) return;
    const arg = n.args[1][0];
    if (arg.op === 'value') return;
    edits.push({ start: arg.start, end: arg.end, text: `__goDuration(${expression.slice(arg.start, arg.end)})` });
  });
  let out = expression;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Rewrites the literal RE2 patterns of `matches()` calls to JavaScript syntax. */
function rewriteRegexLiterals(expression: string, ast: any): string {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  walkAst(ast, n => {
    let arg: any;
    if (n.op === 'rcall' && n.args[0] === 'matches') arg = n.args[2]?.[0];
    else if (n.op === 'call' && n.args[0] === 'matches') arg = n.args[1]?.[1];
    if (arg?.op === 'value' && typeof arg.args === 'string') {
      const js = re2ToJs(arg.args);
      if (js !== arg.args) {
        edits.push({ start: arg.start, end: arg.end, text: `"${js.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` });
      }
    }
  });
  let out = expression;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

const programs = new Map<string, CelProgram>();

/** Compiles `expression` (once per distinct expression). */
export function compileCel(expression: string): CelProgram {
  const known = programs.get(expression);
  if (known !== undefined) return known;
  const e = environment();
  let program: CelProgram;
  try {
    const parsed = e.parse(expression);
    let transition = false;
    walkAst(parsed.ast, n => {
      if (n.op === 'id' && n.args === 'oldSelf') transition = true;
    });
    let source = expression;
    let ast = parsed.ast;
    for (let i = 0; i < 5; i++) {
      const next = rewriteHas(source, ast);
      if (next === source) break;
      source = next;
      ast = e.parse(source).ast;
    }
    source = rewriteDuration(source, ast);
    if (source !== expression) ast = e.parse(source).ast;
    source = rewriteRegexLiterals(source, ast);
    const fn = source === expression ? parsed : e.parse(source);
    const check = fn.check();
    const stats = newStats(expression, transition, check.valid ? undefined : check.error?.message ?? 'type check failed');
    program = check.valid ? { stats, run: (self: unknown) => fn({ self }) } : { stats };
  } catch (err) {
    program = { stats: newStats(expression, /\boldSelf\b/.test(expression), (err as Error).message) };
  }
  programs.set(expression, program);
  return program;
}

function newStats(expression: string, transition: boolean, compileError?: string): CelRuleStats {
  return { expression, transition, compileError, evaluations: 0, errors: 0, skipped: 0, errorMessages: [] };
}

/** Counters of every CEL expression compiled so far. */
export function celStats(): CelRuleStats[] {
  return [...programs.values()].map(p => p.stats);
}

/** Number of transition-rule (`oldSelf`) evaluations skipped so far. */
export function skippedTransitionRules(): number {
  return celStats().reduce((n, s) => n + s.skipped, 0);
}

/** Result of one evaluation. */
export type CelResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Runs a compiled program, counting the evaluation. */
export function runCel(program: CelProgram, self: unknown): CelResult {
  const stats = program.stats;
  if (program.run === undefined) return { ok: false, error: `compilation failed: ${stats.compileError}` };
  stats.evaluations++;
  try {
    return { ok: true, value: program.run(self) };
  } catch (err) {
    stats.errors++;
    const message = String((err as Error).message ?? err).split('\n')[0];
    if (stats.errorMessages.length < 5 && !stats.errorMessages.includes(message)) stats.errorMessages.push(message);
    return { ok: false, error: message };
  }
}

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for',
  'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const ESCAPABLE = /^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/;

/**
 * The CEL name of an object property, escaped as Kubernetes does (`namespace` -> `__namespace__`,
 * `__` -> `__underscores__`, `.` -> `__dot__`, `-` -> `__dash__`, `/` -> `__slash__`), or
 * undefined when the name cannot be accessed from CEL.
 */
export function escapeCelName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!ESCAPABLE.test(name)) return undefined;
  if (!/[_.\-/]/.test(name)) return name;
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/**
 * The syntax error of a CEL expression, or undefined when it parses. Only the grammar is checked
 * (no variables, no types), as istiod parses a Telemetry access-log filter.
 */
export function celSyntaxError(expression: string): string | undefined {
  try {
    environment().parse(expression);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}
