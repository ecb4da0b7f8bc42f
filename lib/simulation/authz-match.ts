// Matching of AuthorizationPolicy rules against one request, at an L7 proxy (sidecar, waypoint,
// gateway: Envoy RBAC) or at ztunnel (L4 only).
//
// Semantics (Istio 1.30):
// - https://istio.io/latest/docs/reference/config/security/authorization-policy/ : rules are ORed;
//   inside a rule from/to/when are ANDed; inside from (to) the entries are ORed; inside a source
//   (operation) the fields are ANDed; inside a field the values are ORed; not* fields match when no
//   value matches. Strings: exact, prefix `abc*`, suffix `*abc`, `*` = present (non-empty).
// - ztunnel (pilot/pkg/serviceregistry/ambient/authorization.go, ztunnel src/rbac.rs at 1.30.3):
//   istiod drops HTTP attributes (hosts, methods, paths, requestPrincipals, remoteIpBlocks and
//   non-L4 `when` keys); an ALLOW rule that had any is dropped whole (it never matches); a DENY rule
//   keeps its L4 fields, and a source/operation left with no field never matches (ztunnel skips an
//   empty match), so a DENY whose rule only had HTTP fields matches nothing.

/** The request as an enforcement point sees it. */
export interface AuthzRequest {
  /** mTLS principal of the peer (`cluster.local/ns/x/sa/y`); undefined for plaintext. */
  readonly principal?: string;
  /** Namespace of the mTLS peer; undefined for plaintext. */
  readonly sourceNamespace?: string;
  /** Service account of the mTLS peer. */
  readonly sourceServiceAccount?: string;
  /** `<iss>/<sub>` of a validated token; undefined when none. */
  readonly requestPrincipal?: string;
  /** Claims of the validated token. */
  readonly claims?: Record<string, string | string[]>;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Host header without port. */
  readonly host: string;
  /** Destination port as the enforcement point sees it. */
  readonly port: number;
  /** Lower-cased header names. */
  readonly headers: Record<string, string>;
}

/** Tri-state: true, false, or undefined (depends on something the set does not tell). */
export type Tri = boolean | undefined;

/** Collects why a match was unknown. */
export interface MatchNotes {
  unknown: string[];
}

const L4_WHEN = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);
const L7_SOURCE = ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const L7_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];

/** True when a rule uses an attribute ztunnel cannot see (it needs an L7 proxy). */
export function ruleHasL7(rule: any): boolean {
  return ((rule?.from ?? []) as any[]).some(f => L7_SOURCE.some(k => nonEmpty(f?.source?.[k])))
    || ((rule?.to ?? []) as any[]).some(t => L7_OPERATION.some(k => nonEmpty(t?.operation?.[k])))
    || ((rule?.when ?? []) as any[]).some(w => !L4_WHEN.has(w?.key));
}

/** Istio string match: exact, `prefix*`, `*suffix`, `*` (present). */
export function stringMatch(pattern: string, value: string | undefined, caseInsensitive = false): boolean {
  if (value === undefined || value === '') return false;
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  if (p === '*') return true;
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return p === v;
}

/** Path match: like `stringMatch`, plus `{*}` (one segment) and `{**}` (any) templates. */
export function pathMatch(pattern: string, path: string): boolean {
  if (pattern.includes('{')) {
    const re = pattern.split(/(\{\*\*\}|\{\*\})/).map(part => part === '{**}' ? '.*' : part === '{*}' ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
    return new RegExp(`^${re}$`).test(path);
  }
  return stringMatch(pattern, path);
}

/** Evaluates one rule; `l4` for ztunnel. */
export function matchRule(rule: any, req: AuthzRequest, l4: boolean, policyNamespace: string, notes: MatchNotes): Tri {
  const clauses: Tri[] = [];
  const from = (rule?.from ?? []) as any[];
  const to = (rule?.to ?? []) as any[];
  if (from.length) clauses.push(any(from.map(f => matchSource(f?.source ?? {}, req, l4, policyNamespace, notes))));
  if (to.length) clauses.push(any(to.map(t => matchOperation(t?.operation ?? {}, req, l4))));
  for (const w of (rule?.when ?? []) as any[]) clauses.push(matchCondition(w ?? {}, req, l4, notes));
  return all(clauses);
}

function matchSource(s: any, req: AuthzRequest, l4: boolean, policyNamespace: string, notes: MatchNotes): Tri {
  const parts: Tri[] = [];
  field(parts, s.principals, s.notPrincipals, p => stringMatch(p, req.principal));
  field(parts, s.namespaces, s.notNamespaces, p => stringMatch(p, req.sourceNamespace));
  field(parts, s.serviceAccounts, s.notServiceAccounts, p => serviceAccountMatch(p, req, policyNamespace));
  if (nonEmpty(s.ipBlocks) || nonEmpty(s.notIpBlocks)) {
    notes.unknown.push('source.ipBlocks depend on the caller\'s IP address, which the manifests do not give');
    parts.push(undefined);
  }
  if (!l4) {
    field(parts, s.requestPrincipals, s.notRequestPrincipals, p => stringMatch(p, req.requestPrincipal));
    if (nonEmpty(s.remoteIpBlocks) || nonEmpty(s.notRemoteIpBlocks)) {
      notes.unknown.push('source.remoteIpBlocks depend on the client\'s IP address, which the manifests do not give');
      parts.push(undefined);
    }
  }
  // ztunnel skips a match left without any field (src/rbac.rs); Envoy treats an empty source as "any".
  if (parts.length === 0) return !l4;
  return all(parts);
}

function matchOperation(o: any, req: AuthzRequest, l4: boolean): Tri {
  const parts: Tri[] = [];
  field(parts, o.ports, o.notPorts, p => String(p) === String(req.port));
  if (!l4) {
    field(parts, o.hosts, o.notHosts, p => stringMatch(p, req.host, true));
    field(parts, o.methods, o.notMethods, p => p === req.method);
    field(parts, o.paths, o.notPaths, p => pathMatch(p, req.path));
  }
  if (parts.length === 0) return !l4;
  return all(parts);
}

function matchCondition(w: any, req: AuthzRequest, l4: boolean, notes: MatchNotes): Tri {
  const key = String(w.key ?? '');
  if (l4 && !L4_WHEN.has(key)) return false;
  const value = conditionValue(key, req);
  if (value === UNKNOWN) {
    notes.unknown.push(`condition "${key}" depends on something the manifests do not give`);
    return undefined;
  }
  const parts: Tri[] = [];
  const test = (p: string): boolean => Array.isArray(value) ? value.some(v => stringMatch(p, v)) : stringMatch(p, value);
  field(parts, w.values, w.notValues, test);
  return parts.length ? all(parts) : true;
}

const UNKNOWN = Symbol('unknown');

function conditionValue(key: string, req: AuthzRequest): string | string[] | undefined | typeof UNKNOWN {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) return req.headers[header[1].toLowerCase()];
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  if (claim) {
    if (req.requestPrincipal === undefined) return undefined;
    let cur: any = req.claims ?? {};
    for (const k of claim[1].split('][')) cur = cur?.[k];
    return typeof cur === 'string' || Array.isArray(cur) ? cur : cur === undefined ? undefined : String(cur);
  }
  switch (key) {
    case 'source.namespace': return req.sourceNamespace;
    case 'source.principal': return req.principal;
    case 'request.auth.principal': return req.requestPrincipal;
    case 'request.auth.audiences': return req.requestPrincipal === undefined ? undefined : req.claims?.aud;
    case 'request.auth.presenter': return req.requestPrincipal === undefined ? undefined : asString(req.claims?.azp);
    case 'destination.port': return String(req.port);
    default: return UNKNOWN;
  }
}

function serviceAccountMatch(p: string, req: AuthzRequest, policyNamespace: string): boolean {
  if (req.sourceNamespace === undefined || req.sourceServiceAccount === undefined) return false;
  const [ns, sa] = p.includes('/') ? p.split('/', 2) : [policyNamespace, p];
  return ns === req.sourceNamespace && sa === req.sourceServiceAccount;
}

function field(parts: Tri[], values: unknown, notValues: unknown, test: (p: string) => boolean): void {
  if (nonEmpty(values)) parts.push((values as unknown[]).some(v => test(String(v))));
  if (nonEmpty(notValues)) parts.push(!(notValues as unknown[]).some(v => test(String(v))));
}

function nonEmpty(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0;
}

function asString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Tri-state AND. */
export function all(values: readonly Tri[]): Tri {
  if (values.some(v => v === false)) return false;
  return values.some(v => v === undefined) ? undefined : true;
}

/** Tri-state OR. */
export function any(values: readonly Tri[]): Tri {
  if (values.some(v => v === true)) return true;
  return values.some(v => v === undefined) ? undefined : false;
}
