import { Named } from './model';

// AuthorizationPolicy on a TCP (or TLS passthrough) filter chain of an Envoy proxy — sidecar,
// waypoint, gateway (Istio 1.30.3 pilot/pkg/security/authz/builder/builder.go BuildTCP, and
// pilot/pkg/security/authz/model/model.go `checkError`): a rule with an HTTP-only attribute
// (hosts, methods, paths, requestPrincipals, request.* conditions, ...) is
// - dropped whole in an ALLOW policy ("a smaller allow policy, less likely to allow");
// - kept without that attribute in a DENY (or AUDIT) policy ("a wider deny policy, more likely to
//   deny"): a DENY whose rule only said `methods: ["POST"]` denies every connection.
// This differs from ztunnel (authz-match.ts), where such a DENY rule matches nothing.
// CUSTOM policies are built like DENY ones.

const L7_SOURCE = ['requestPrincipals', 'notRequestPrincipals'];
const L7_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
const L4_WHEN = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port', 'connection.sni',
  'remote.ip', 'experimental.envoy.filters.network.rbac']);

/** The policies as a TCP filter chain enforces them. */
export function tcpPolicies(policies: readonly Named[]): Named[] {
  return policies.map(p => {
    const spec = p.object.spec ?? {};
    const rules = spec.rules as any[] | undefined;
    if (!Array.isArray(rules)) return p;
    const allow = (spec.action ?? 'ALLOW') === 'ALLOW';
    const kept = allow ? rules.map(r => (ruleHasL7(r) ? NEVER : r)) : rules.map(stripL7);
    return { ...p, object: { ...p.object, spec: { ...spec, rules: kept } } };
  });
}

function ruleHasL7(rule: any): boolean {
  const some = (v: unknown) => Array.isArray(v) && v.length > 0;
  return ((rule?.from ?? []) as any[]).some(f => L7_SOURCE.some(k => some(f?.source?.[k])))
    || ((rule?.to ?? []) as any[]).some(t => L7_OPERATION.some(k => some(t?.operation?.[k])))
    || ((rule?.when ?? []) as any[]).some(w => !L4_WHEN.has(String(w?.key)));
}

/** A rule that matches no connection (keeps the indexes of the other rules). */
const NEVER = { from: [{ source: { principals: ['\u0000tcp: rule dropped (HTTP attributes)'] } }] };

function stripL7(rule: any): any {
  const strip = (o: any, keys: string[]) => Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => !keys.includes(k)));
  return {
    ...(rule?.from ? { from: (rule.from as any[]).map(f => ({ source: strip(f?.source, L7_SOURCE) })) } : {}),
    ...(rule?.to ? { to: (rule.to as any[]).map(t => ({ operation: strip(t?.operation, L7_OPERATION) })) } : {}),
    ...(rule?.when ? { when: (rule.when as any[]).filter(w => L4_WHEN.has(String(w?.key))) } : {}),
  };
}
