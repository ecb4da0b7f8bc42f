import type { MeshSimulation, SimulationResult } from '../simulation';
import type { Decision, DecisionAction, EnforcementPoint, RouteBackend, RouteResult, SimulationRequest } from '../simulation';
import { describeBackends, describeRequest, describeRoute, describeVerdict } from '../simulation/describe';

// Jest matchers over MeshSimulation: `expect(mesh).toAllow(req)`, `.toDeny(req)`, `.toRoute(req, { subset })`.
// They do not import jest: `expect.extend(meshMatchers)` (or `installMeshMatchers()`) registers them.

/** The decision fields a `toAllow` / `toDeny` expectation may pin (each one given must be equal). */
export interface ExpectedDecision {
  /**
   * The deciding action (`ALLOW`, `DEFAULT_ALLOW` for an allow; `DENY`, `DEFAULT_DENY` for a deny).
   *
   * @default - any action
   */
  readonly action?: DecisionAction;
  /**
   * `namespace/name` of the deciding policy.
   *
   * @default - any policy (or none)
   */
  readonly policy?: string;
  /**
   * 0-based index of the deciding rule in the policy's `rules`.
   *
   * @default - any rule
   */
  readonly rule?: number;
  /**
   * The enforcement point that decided.
   *
   * @default - any enforcement point
   */
  readonly enforcedAt?: EnforcementPoint;
}

/** What a `toRoute` expectation pins (each field given must hold). */
export interface ExpectedRoute {
  /**
   * The route object: `VirtualService ns/name`, `HTTPRoute ns/name`, or `Service ns/name` (default routing).
   *
   * @default - any route object
   */
  readonly resource?: string;
  /**
   * 0-based index of the matched rule in `http[]` / `rules[]`.
   *
   * @default - any rule
   */
  readonly rule?: number;
  /**
   * A backend host: an FQDN, or a prefix of one ending at a dot (`reviews` and `reviews.shop` both
   * stand for `reviews.shop.svc.cluster.local`).
   *
   * @default - any host
   */
  readonly host?: string;
  /**
   * A DestinationRule subset of the backends.
   *
   * @default - any subset (or none)
   */
  readonly subset?: string;
  /**
   * The share (0..100) of requests the backends selected by `host` and `subset` receive together.
   *
   * @default 100 when `host` or `subset` is given (all requests go there), else not checked
   */
  readonly percent?: number;
  /**
   * The exact backend list, in order (`port` is compared only when given).
   *
   * @default - not checked
   */
  readonly backends?: ReadonlyArray<{ readonly host: string; readonly subset?: string; readonly percent: number; readonly port?: number }>;
}

/** What jest passes to a matcher as `this` (only the fields the matchers read). */
export interface MeshMatcherContext {
  /**
   * True under `.not`.
   *
   * @default false
   */
  readonly isNot?: boolean;
}

/** The result of a matcher, as jest expects it. */
export interface MeshMatcherResult {
  /** True when the expectation holds (before `.not`). */
  readonly pass: boolean;
  /** The failure message. */
  readonly message: () => string;
}

/** The three matchers; register them with `expect.extend(meshMatchers)`. */
export const meshMatchers = {
  /**
   * Passes when the request is allowed at every enforcement point (and, with `expected`, the
   * deciding step has those fields). An `unknown` outcome never passes.
   */
  toAllow(this: MeshMatcherContext | undefined, received: unknown, request: SimulationRequest, expected: ExpectedDecision = {}): MeshMatcherResult {
    return verdictMatcher(this, 'toAllow', received, request, expected, true);
  },
  /**
   * Passes when the request is denied (a DENY policy, no matching ALLOW, an mTLS or token rejection,
   * or no route) and, with `expected`, the deciding step has those fields. An `unknown` outcome never passes.
   */
  toDeny(this: MeshMatcherContext | undefined, received: unknown, request: SimulationRequest, expected: ExpectedDecision = {}): MeshMatcherResult {
    return verdictMatcher(this, 'toDeny', received, request, expected, false);
  },
  /**
   * Passes when a route rule matches the request (no 404) and every field of `expected` holds;
   * `{ subset: 'canary' }` means all of the requests go to subset `canary`.
   */
  toRoute(this: MeshMatcherContext | undefined, received: unknown, request: SimulationRequest, expected: ExpectedRoute = {}): MeshMatcherResult {
    const isNot = this?.isNot === true;
    const r = simulate(received, 'toRoute', request);
    const problems = r.route ? routeProblems(r.route, expected) : ['no route rule matches (404)'];
    const pass = problems.length === 0;
    const want = describeExpectedRoute(expected);
    return {
      pass,
      message: () => [
        `expect(mesh).${isNot ? 'not.' : ''}toRoute(request${Object.keys(expected).length ? ', expected' : ''})`,
        '',
        `request:  ${describeRequest(request)}`,
        `expected: ${isNot ? 'not ' : ''}${want}`,
        `received: ${describeRoute(r.route)}`,
        ...(pass ? [] : problems.map(p => `  - ${p}`)),
        '',
        'explain():',
        ...indent(r.explain()),
      ].join('\n'),
    };
  },
};

/** The matchers' signatures on `expect(mesh)`. */
export interface MeshMatchers<R> {
  /** The request is allowed at every enforcement point (and the deciding step has the `expected` fields). */
  toAllow(request: SimulationRequest, expected?: ExpectedDecision): R;
  /** The request is denied (and the deciding step has the `expected` fields). */
  toDeny(request: SimulationRequest, expected?: ExpectedDecision): R;
  /** A route rule matches the request and sends it as `expected` says. */
  toRoute(request: SimulationRequest, expected?: ExpectedRoute): R;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // The type parameters must be those of @types/jest for the declarations to merge.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type
    interface Matchers<R, T = {}> extends MeshMatchers<R> {}
  }
}

/**
 * Registers the matchers on jest's `expect` (the global one unless another is passed).
 *
 * @param target an `expect` with `extend` (from `@jest/globals`, vitest's `expect`); the global `expect` when omitted
 */
export function installMeshMatchers(target?: { extend(matchers: object): void }): void {
  const e = target ?? (globalThis as any).expect;
  if (!e || typeof e.extend !== 'function') {
    throw new TypeError('installMeshMatchers: no global `expect` with `extend` (call it from a jest setup file, or pass `expect`)');
  }
  e.extend(meshMatchers);
}

function simulate(received: unknown, matcher: string, request: SimulationRequest): SimulationResult {
  if (!received || typeof (received as MeshSimulation).request !== 'function') {
    throw new TypeError(`expect(mesh).${matcher}(request): mesh must be a MeshSimulation (MeshSimulation.fromApp(app) or MeshSimulation.fromManifests(docs)), got ${show(received)}`);
  }
  return (received as MeshSimulation).request(request);
}

function verdictMatcher(ctx: MeshMatcherContext | undefined, matcher: 'toAllow' | 'toDeny', received: unknown, request: SimulationRequest,
  expected: ExpectedDecision, allow: boolean): MeshMatcherResult {
  const isNot = ctx?.isNot === true;
  const r = simulate(received, matcher, request);
  const verdictOk = r.unknown === undefined && r.allowed === allow;
  const problems = verdictOk ? decisionProblems(r.decision, expected) : [];
  const pass = verdictOk && problems.length === 0;
  const pinned = describeExpectedDecision(expected);
  return {
    pass,
    message: () => [
      `expect(mesh).${isNot ? 'not.' : ''}${matcher}(request${Object.keys(expected).length ? ', expected' : ''})`,
      '',
      `request:  ${describeRequest(request)}`,
      `expected: ${isNot ? 'not ' : ''}${allow ? 'allowed' : 'denied'}${pinned ? ` (${pinned})` : ''}`,
      `received: ${describeVerdict(r)}`,
      ...problems.map(p => `  - ${p}`),
      `route:    ${describeRoute(r.route)}`,
      '',
      'explain():',
      ...indent(r.explain()),
    ].join('\n'),
  };
}

function decisionProblems(d: Decision, expected: ExpectedDecision): string[] {
  const out: string[] = [];
  for (const k of ['action', 'policy', 'rule', 'enforcedAt'] as const) {
    if (expected[k] !== undefined && d[k] !== expected[k]) out.push(`decision.${k} is ${show(d[k])}, expected ${show(expected[k])}`);
  }
  return out;
}

function routeProblems(route: RouteResult, expected: ExpectedRoute): string[] {
  const out: string[] = [];
  if (expected.resource !== undefined && route.resource !== expected.resource) out.push(`route.resource is ${show(route.resource)}, expected ${show(expected.resource)}`);
  if (expected.rule !== undefined && route.rule !== expected.rule) out.push(`route.rule is ${show(route.rule)}, expected ${show(expected.rule)}`);
  if (expected.host !== undefined || expected.subset !== undefined || expected.percent !== undefined) {
    const selected = route.backends.filter(b => backendSelected(b, expected));
    const share = selected.reduce((n, b) => n + b.percent, 0);
    const want = expected.percent ?? 100;
    if (share !== want) out.push(`${describeSelection(expected)} receive${selected.length === 1 ? 's' : ''} ${share}%, expected ${want}%`);
  }
  if (expected.backends !== undefined) {
    const got = route.backends.map(b => ({ host: b.host, ...(b.subset !== undefined ? { subset: b.subset } : {}), percent: b.percent, port: b.port }));
    const same = got.length === expected.backends.length && expected.backends.every((e, i) =>
      e.host === got[i].host && e.subset === got[i].subset && e.percent === got[i].percent && (e.port === undefined || e.port === got[i].port));
    if (!same) out.push(`route.backends are ${describeBackends(route.backends)}, expected ${describeBackends(expected.backends)}`);
  }
  return out;
}

function backendSelected(b: RouteBackend, e: ExpectedRoute): boolean {
  const hostOk = e.host === undefined || b.host === e.host || b.host.startsWith(`${e.host}.`);
  return hostOk && (e.subset === undefined || b.subset === e.subset);
}

function describeSelection(e: ExpectedRoute): string {
  const parts = [e.host !== undefined ? `host ${e.host}` : undefined, e.subset !== undefined ? `subset ${e.subset}` : undefined].filter(Boolean);
  return parts.length ? `backends with ${parts.join(' and ')}` : 'all backends';
}

function describeExpectedDecision(e: ExpectedDecision): string {
  return (['action', 'policy', 'rule', 'enforcedAt'] as const).filter(k => e[k] !== undefined).map(k => `${k} ${show(e[k])}`).join(', ');
}

function describeExpectedRoute(e: ExpectedRoute): string {
  const parts: string[] = [];
  if (e.resource !== undefined) parts.push(e.resource);
  if (e.rule !== undefined) parts.push(`rule ${e.rule}`);
  if (e.host !== undefined || e.subset !== undefined || e.percent !== undefined) parts.push(`${describeSelection(e)} at ${e.percent ?? 100}%`);
  if (e.backends !== undefined) parts.push(`backends ${describeBackends(e.backends)}`);
  return parts.length ? `routed to ${parts.join(', ')}` : 'routed (a rule matches)';
}

function indent(text: string): string[] {
  return text.split('\n').map(l => `  ${l}`);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name && (v as object).constructor !== Object ? `a ${(v as object).constructor.name}` : JSON.stringify(v);
  return String(v);
}
