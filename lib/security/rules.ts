import { IConstruct } from 'constructs';
import { AuthorizationPolicySpecRules, AuthorizationPolicySpecRulesToOperation } from '../../imports/security.istio.io';
import { Identity, IdentityKind } from '../identity';
import { checkPort } from '../mesh/checks';
import { MeshError } from '../mesh/errors';

// Input checks and rendering of AuthorizationPolicy rules for ZeroTrustNamespace.

/** A validated `allow()` rule: who (identities) and what (operation). */
export interface RuleInput {
  readonly identities: readonly Identity[];
  readonly methods: readonly string[];
  readonly paths: readonly string[];
  readonly ports: readonly number[];
}

/** Requires a non-empty list of `Identity`, all of one kind (principals or namespaces). */
export function checkIdentities(scope: IConstruct, prop: string, value: unknown): Identity[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw MeshError.invalid(scope, prop, value,
      'a non-empty list of identities (Identity.serviceAccount(ns, sa), Identity.anyInNamespace(ns), Identity.ingressGateway()); '
      + 'an allow() without a source would allow everyone');
  }
  value.forEach((id, i) => {
    if (!(id instanceof Identity)) {
      throw MeshError.invalid(scope, `${prop}[${i}]`, id, 'an Identity (Identity.serviceAccount(ns, sa), Identity.anyInNamespace(ns), Identity.ingressGateway(), Identity.principal(p))');
    }
    id.validate(scope, `${prop}[${i}]`);
  });
  const ids = value as Identity[];
  const namespaces = ids.filter(i => i.kind === IdentityKind.NAMESPACE);
  if (namespaces.length > 0 && namespaces.length < ids.length) {
    throw MeshError.invalid(scope, prop, ids.map(String),
      'service accounts (principals) or namespaces, not both in one allow(): in one source they would both have to match; call allow() once per kind');
  }
  return ids;
}

const METHOD = /^[A-Z]+$/;

/** Requires HTTP methods in upper case (`GET`, `POST`). */
export function checkMethods(scope: IConstruct, prop: string, value: unknown): string[] {
  return checkList(scope, prop, value, v => typeof v === 'string' && METHOD.test(v), 'HTTP methods in upper case, e.g. ["GET", "POST"]');
}

const PATH = /^(\*|\/[^\s*]*\*?|\*[^\s*]*)$/;

/** Requires request paths: exact (`/api`), prefix (`/api/*`), suffix (`*.html`) or `*`. */
export function checkPaths(scope: IConstruct, prop: string, value: unknown): string[] {
  return checkList(scope, prop, value, v => typeof v === 'string' && PATH.test(v),
    'paths that are exact ("/api"), a prefix ("/api/*"), a suffix ("*.html") or "*"');
}

/** Requires port numbers 1..65535. */
export function checkPorts(scope: IConstruct, prop: string, value: unknown): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw MeshError.invalid(scope, prop, value, 'a list of port numbers');
  }
  value.forEach((p, i) => checkPort(scope, `${prop}[${i}]`, p));
  return [...new Set(value as number[])];
}

function checkList(scope: IConstruct, prop: string, value: unknown, ok: (v: unknown) => boolean, allowed: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw MeshError.invalid(scope, prop, value, `a list of ${allowed}`);
  }
  value.forEach((v, i) => {
    if (!ok(v)) throw MeshError.invalid(scope, `${prop}[${i}]`, v, allowed);
  });
  return [...new Set(value as string[])];
}

/** The `to.operation` of a rule, or undefined when it restricts nothing. */
export function renderOperation(methods: readonly string[], paths: readonly string[], ports: readonly number[]): AuthorizationPolicySpecRulesToOperation | undefined {
  const op: { ports?: string[]; methods?: string[]; paths?: string[] } = {};
  if (ports.length) op.ports = ports.map(String);
  if (methods.length) op.methods = [...methods];
  if (paths.length) op.paths = [...paths];
  return Object.keys(op).length ? op : undefined;
}

/** One ALLOW rule: `from` the identities (one source), `to` the operation when it restricts anything. */
export function renderRule(input: RuleInput, trustDomain: string): AuthorizationPolicySpecRules {
  const principals = unique(input.identities.map(i => i.toPrincipal(trustDomain)).filter((p): p is string => p !== undefined));
  const namespaces = unique(input.identities.filter(i => i.kind === IdentityKind.NAMESPACE).map(i => i.namespace!));
  const source = principals.length ? { principals } : { namespaces };
  const op = renderOperation(input.methods, input.paths, input.ports);
  return op ? { from: [{ source }], to: [{ operation: op }] } : { from: [{ source }] };
}

/** True when a rule needs an L7 proxy (sidecar or waypoint): HTTP methods or paths. */
export function isL7(input: RuleInput): boolean {
  return input.methods.length > 0 || input.paths.length > 0;
}

function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}
