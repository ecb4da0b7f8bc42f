import { GraphContext } from './support/context';
import { action, hasSelector, hasTargetRefs } from './support/policies';
import { SelectorIndex } from './support/label-subsets';
import { arr, GK, Obj, ref, ROOT_NAMESPACE } from './support/model';
import { Code } from '../codes';

function requiresToken(ap: Obj): boolean {
  const act = action(ap);
  return arr(ap.spec.rules).some(rule => {
    const sources = arr(rule?.from).map(f => f?.source ?? {});
    const when = arr(rule?.when).some(w => typeof w?.key === 'string' && w.key.startsWith('request.auth.'));
    if (act === 'ALLOW') return when || sources.some(s => arr(s.requestPrincipals).length > 0);
    if (act === 'DENY') return sources.some(s => arr(s.notRequestPrincipals).length > 0);
    return false;
  });
}

/** The targets of a policy's `targetRefs` (and `targetRef`), as `group/kind/name` keys. */
function targetKeys(o: Obj): Set<string> {
  return new Set([...arr(o.spec.targetRefs), o.spec.targetRef].filter(r => r && typeof r === 'object')
    .map(r => `${r.group ?? ''}/${r.kind}/${r.name}`));
}

/** The token-requiring AuthorizationPolicies of one namespace, indexed by what they apply to. */
interface Requirements {
  /** A policy without selector or targetRefs: it covers every workload of the namespace. */
  everyWorkload: boolean;
  /** Policies with a selector (and no targetRefs). */
  readonly bySelector: SelectorIndex<Obj>;
  /** Targets of policies with targetRefs. */
  readonly targets: Set<string>;
}

/**
 * True if some requirement in `r` covers `ra`: for a RequestAuthentication with targetRefs, a
 * policy with a common target; otherwise a policy without targetRefs whose selector is absent or
 * a subset of the RequestAuthentication's.
 */
function covered(r: Requirements | undefined, ra: Obj): boolean {
  if (!r) return false;
  if (hasTargetRefs(ra)) return [...targetKeys(ra)].some(k => r.targets.has(k));
  return r.everyWorkload || (hasSelector(ra) && r.bySelector.matching(ra.spec.selector.matchLabels).length > 0);
}

/**
 * CI3004 (warning): a RequestAuthentication that no AuthorizationPolicy backs with a
 * `requestPrincipals` requirement. RequestAuthentication alone rejects invalid tokens but accepts
 * requests without any token.
 */
export function analyzeRequestAuth(ctx: GraphContext): void {
  const requiring = ctx.index.all(GK.authorizationPolicy).filter(requiresToken);
  const byNs = new Map<string, Requirements>();
  for (const ap of requiring) {
    let r = byNs.get(ap.ns);
    if (!r) {
      r = { everyWorkload: false, bySelector: new SelectorIndex<Obj>(), targets: new Set() };
      byNs.set(ap.ns, r);
    }
    if (hasTargetRefs(ap)) {
      for (const k of targetKeys(ap)) r.targets.add(k);
    } else if (!hasSelector(ap)) {
      r.everyWorkload = true;
    } else {
      r.bySelector.add(ap.spec.selector.matchLabels, ap);
    }
  }
  const policyNamespaces = new Set(ctx.index.all(GK.authorizationPolicy).map(ap => ap.ns));
  for (const ra of ctx.index.all(GK.requestAuthentication)) {
    const meshWide = ra.ns === ROOT_NAMESPACE && !hasSelector(ra) && !hasTargetRefs(ra);
    if (meshWide ? requiring.length > 0 : covered(byNs.get(ra.ns), ra) || covered(byNs.get(ROOT_NAMESPACE), ra)) continue;
    const fix = `add an ALLOW AuthorizationPolicy for the same workloads with from.source.requestPrincipals (e.g. ["*"]) if a token must be required`;
    // With no AuthorizationPolicy of the namespace (or the root namespace) in the set, the set
    // cannot tell whether one outside it requires a token: info, or a warning under strict.
    const seen = meshWide ? policyNamespaces.size > 0 : policyNamespaces.has(ra.ns) || policyNamespaces.has(ROOT_NAMESPACE);
    if (!seen && !ctx.options.strict) {
      ctx.report(ra, Code.CI3004, 'info', 'spec',
        `RequestAuthentication ${ref(ra)} alone accepts requests without a token, and the manifest set holds no AuthorizationPolicy of namespace ${ra.ns} or ${ROOT_NAMESPACE}; unless one outside the set requires requestPrincipals, ${fix}`);
      continue;
    }
    ctx.report(ra, Code.CI3004, 'warning', 'spec',
      `RequestAuthentication ${ref(ra)} accepts requests without a token: no AuthorizationPolicy for its workloads requires requestPrincipals; ${fix}`);
  }
}
