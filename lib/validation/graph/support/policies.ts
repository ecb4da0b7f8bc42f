import { arr, Obj, str } from './model';

/** `when` keys that ztunnel can enforce (everything else is an HTTP attribute). */
const L4_WHEN_KEYS = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);
const L7_SOURCE = ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const L7_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];

/** The action of an AuthorizationPolicy (ALLOW when unset). */
export function action(ap: Obj): string {
  return str(ap.spec.action) || 'ALLOW';
}

/** True if a policy uses `targetRefs` (or the deprecated `targetRef`): enforced by waypoints/gateways only. */
export function hasTargetRefs(o: Obj): boolean {
  return arr(o.spec.targetRefs).length > 0 || (o.spec.targetRef !== null && typeof o.spec.targetRef === 'object');
}

/** The `targetRefs` of a policy (with the deprecated `targetRef`), with their paths. */
export function targetRefs(o: Obj): { ref: any; path: string }[] {
  const out = arr(o.spec.targetRefs).map((r, i) => ({ ref: r, path: `spec.targetRefs[${i}]` }));
  if (o.spec.targetRef !== null && typeof o.spec.targetRef === 'object') out.push({ ref: o.spec.targetRef, path: 'spec.targetRef' });
  return out;
}

/** True if a policy has a non-empty `selector.matchLabels`. */
export function hasSelector(o: Obj): boolean {
  const labels = o.spec.selector?.matchLabels;
  return labels !== null && typeof labels === 'object' && Object.keys(labels).length > 0;
}

/** True for an allow-nothing AuthorizationPolicy: ALLOW with no rules. */
export function isAllowNothing(ap: Obj): boolean {
  return action(ap) === 'ALLOW' && arr(ap.spec.rules).length === 0 && str(ap.spec.provider?.name) === '';
}

/** The HTTP (L7) attributes an AuthorizationPolicy uses, as JSON paths. */
export function l7Attributes(ap: Obj): string[] {
  const out: string[] = [];
  arr(ap.spec.rules).forEach((rule, i) => {
    arr(rule?.from).forEach((f, j) => {
      for (const k of L7_SOURCE) if (f?.source?.[k] !== undefined) out.push(`spec.rules[${i}].from[${j}].source.${k}`);
    });
    arr(rule?.to).forEach((t, j) => {
      for (const k of L7_OPERATION) if (t?.operation?.[k] !== undefined) out.push(`spec.rules[${i}].to[${j}].operation.${k}`);
    });
    arr(rule?.when).forEach((w, j) => {
      if (typeof w?.key === 'string' && !L4_WHEN_KEYS.has(w.key)) out.push(`spec.rules[${i}].when[${j}].key`);
    });
  });
  return out;
}

/** Istio string match: exact, `prefix*`, `*suffix` or `*`. */
export function istioMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}
