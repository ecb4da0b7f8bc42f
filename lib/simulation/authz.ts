import { AuthzRequest, MatchNotes, Tri, matchRule, ruleHasL7 } from './authz-match';
import { Named } from './model';
import { Decision, EnforcementPoint } from './types';

// The decision of one enforcement point: CUSTOM, then DENY, then ALLOW
// (https://istio.io/latest/docs/concepts/security/#implicit-enablement and the evaluation order on
// https://istio.io/latest/docs/reference/config/security/authorization-policy/): a matching DENY
// denies; no ALLOW policy allows; with ALLOW policies only a matching one allows.

/** The outcome of one enforcement point. */
export interface PointOutcome {
  readonly decision: Decision;
  /** Set when the outcome depends on something outside the set. */
  readonly unknown?: string;
  /** Lines for explain(). */
  readonly trace: string[];
}

/** Evaluates the policies that apply at one enforcement point. */
export function decide(point: EnforcementPoint, policies: readonly Named[], req: AuthzRequest): PointOutcome {
  const l4 = point === 'ztunnel';
  const trace: string[] = [];
  const byAction = { CUSTOM: [] as Named[], DENY: [] as Named[], ALLOW: [] as Named[], AUDIT: [] as Named[] };
  for (const p of policies) {
    const action = (p.object.spec?.action ?? 'ALLOW') as keyof typeof byAction;
    (byAction[action] ?? byAction.ALLOW).push(p);
  }
  if (byAction.CUSTOM.length && l4) {
    trace.push(`  ${byAction.CUSTOM.map(ref).join(', ')}: CUSTOM is not supported by ztunnel (ignored)`);
  } else {
    for (const p of byAction.CUSTOM) {
      const m = firstMatch(p, req, l4);
      if (m.result !== false) {
        const why = `CUSTOM policy ${ref(p)} sends the request to the external authorizer "${p.object.spec?.provider?.name ?? '?'}", whose answer is outside the set`;
        trace.push(`  ${why}`);
        return { decision: { action: 'CUSTOM', policy: ref(p), rule: m.rule, enforcedAt: point, reason: why }, unknown: why, trace };
      }
      trace.push(`  CUSTOM ${ref(p)}: no rule matches`);
    }
  }
  for (const p of byAction.DENY) {
    const m = firstMatch(p, req, l4);
    if (m.result === true) {
      const why = `DENY policy ${ref(p)} rule ${m.rule} matches`;
      trace.push(`  ${why}`);
      return { decision: { action: 'DENY', policy: ref(p), rule: m.rule, enforcedAt: point, reason: why }, trace };
    }
    if (m.result === undefined) {
      const why = `DENY policy ${ref(p)} may match: ${m.notes.unknown.join('; ')}`;
      trace.push(`  ${why}`);
      return { decision: { action: 'DENY', policy: ref(p), rule: m.rule, enforcedAt: point, reason: why }, unknown: why, trace };
    }
    trace.push(`  DENY ${ref(p)}: no rule matches${l4 && hasOnlyL7(p) ? ' (its rules only had HTTP attributes, which ztunnel drops)' : ''}`);
  }
  if (byAction.ALLOW.length === 0) {
    const why = 'no ALLOW policy applies';
    trace.push(`  ${why}: allowed`);
    return { decision: { action: 'DEFAULT_ALLOW', enforcedAt: point, reason: why }, trace };
  }
  let maybe: { p: Named; rule?: number; notes: MatchNotes } | undefined;
  for (const p of byAction.ALLOW) {
    const m = firstMatch(p, req, l4);
    if (m.result === true) {
      const why = `ALLOW policy ${ref(p)} rule ${m.rule} matches`;
      trace.push(`  ${why}`);
      return { decision: { action: 'ALLOW', policy: ref(p), rule: m.rule, enforcedAt: point, reason: why }, trace };
    }
    if (m.result === undefined && !maybe) maybe = { p, rule: m.rule, notes: m.notes };
    trace.push(`  ALLOW ${ref(p)}: ${describeNoMatch(p, l4)}`);
  }
  if (maybe) {
    const why = `ALLOW policy ${ref(maybe.p)} may match: ${maybe.notes.unknown.join('; ')}`;
    return { decision: { action: 'DEFAULT_DENY', enforcedAt: point, reason: why }, unknown: why, trace };
  }
  const why = `ALLOW policies apply (${byAction.ALLOW.map(ref).join(', ')}) and none matches`;
  trace.push(`  ${why}: denied`);
  return { decision: { action: 'DEFAULT_DENY', enforcedAt: point, reason: why }, trace };
}

/** `namespace/name` of a policy. */
export function ref(p: Named): string {
  return `${p.namespace}/${p.name}`;
}

function firstMatch(p: Named, req: AuthzRequest, l4: boolean): { result: Tri; rule?: number; notes: MatchNotes } {
  const notes: MatchNotes = { unknown: [] };
  const rules = (p.object.spec?.rules ?? []) as any[];
  const allow = (p.object.spec?.action ?? 'ALLOW') === 'ALLOW';
  let unknownRule: number | undefined;
  for (let i = 0; i < rules.length; i++) {
    // ztunnel: an ALLOW rule with HTTP attributes is dropped (it never matches).
    if (l4 && allow && ruleHasL7(rules[i])) continue;
    const r = matchRule(rules[i], req, l4, p.namespace, notes);
    if (r === true) return { result: true, rule: i, notes };
    if (r === undefined && unknownRule === undefined) unknownRule = i;
  }
  return unknownRule === undefined ? { result: false, notes } : { result: undefined, rule: unknownRule, notes };
}

function hasOnlyL7(p: Named): boolean {
  const rules = (p.object.spec?.rules ?? []) as any[];
  return rules.length > 0 && rules.every(ruleHasL7);
}

function describeNoMatch(p: Named, l4: boolean): string {
  const rules = (p.object.spec?.rules ?? []) as any[];
  if (rules.length === 0) return 'no rules (allows nothing)';
  if (l4 && rules.every(ruleHasL7)) return 'every rule has HTTP attributes, which ztunnel cannot enforce (the rules never match)';
  return 'no rule matches';
}
