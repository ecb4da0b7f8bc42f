import { GraphContext } from '../../lib/validation/graph/support/context';
import { action, hasSelector, hasTargetRefs } from '../../lib/validation/graph/support/policies';
import { arr, GK, Obj, ref, ROOT_NAMESPACE } from '../../lib/validation/graph/support/model';
import { Code } from '../../lib/validation/codes';

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

function sameTargets(a: Obj, b: Obj): boolean {
  const key = (o: Obj) => new Set([...arr(o.spec.targetRefs), o.spec.targetRef].filter(r => r && typeof r === 'object')
    .map(r => `${r.group ?? ''}/${r.kind}/${r.name}`));
  const ka = key(a);
  return [...key(b)].some(k => ka.has(k));
}

function covers(ap: Obj, ra: Obj): boolean {
  if (ap.ns !== ra.ns && ap.ns !== ROOT_NAMESPACE) return false;
  if (hasTargetRefs(ra)) return hasTargetRefs(ap) ? sameTargets(ap, ra) : false;
  if (hasTargetRefs(ap)) return false;
  if (!hasSelector(ap)) return true;
  const apSel = ap.spec.selector.matchLabels;
  const raSel = hasSelector(ra) ? ra.spec.selector.matchLabels : {};
  return Object.keys(apSel).every(k => raSel[k] === apSel[k]);
}

/**
 * CI3004 (warning): a RequestAuthentication that no AuthorizationPolicy backs with a
 * `requestPrincipals` requirement. RequestAuthentication alone rejects invalid tokens but accepts
 * requests without any token.
 */
export function analyzeRequestAuth(ctx: GraphContext): void {
  const requiring = ctx.index.all(GK.authorizationPolicy).filter(requiresToken);
  const byNs = new Map<string, Obj[]>();
  for (const ap of requiring) {
    const list = byNs.get(ap.ns) ?? [];
    list.push(ap);
    byNs.set(ap.ns, list);
  }
  for (const ra of ctx.index.all(GK.requestAuthentication)) {
    const meshWide = ra.ns === ROOT_NAMESPACE && !hasSelector(ra) && !hasTargetRefs(ra);
    if (meshWide ? requiring.length > 0 : [...(byNs.get(ra.ns) ?? []), ...(byNs.get(ROOT_NAMESPACE) ?? [])].some(ap => covers(ap, ra))) continue;
    const fix = `add an ALLOW AuthorizationPolicy for the same workloads with from.source.requestPrincipals (e.g. ["*"]) if a token must be required`;
    // Naive: scan every AuthorizationPolicy for one of the namespace (or the root namespace).
    const all = ctx.index.all(GK.authorizationPolicy);
    const seen = meshWide ? all.length > 0 : all.some(ap => ap.ns === ra.ns || ap.ns === ROOT_NAMESPACE);
    if (!seen && !ctx.options.strict) {
      ctx.report(ra, Code.CI3004, 'info', 'spec',
        `RequestAuthentication ${ref(ra)} alone accepts requests without a token, and the manifest set holds no AuthorizationPolicy of namespace ${ra.ns} or ${ROOT_NAMESPACE}; unless one outside the set requires requestPrincipals, ${fix}`);
      continue;
    }
    ctx.report(ra, Code.CI3004, 'warning', 'spec',
      `RequestAuthentication ${ref(ra)} accepts requests without a token: no AuthorizationPolicy for its workloads requires requestPrincipals; ${fix}`);
  }
}
