import { Code } from '../codes';
import { GraphContext } from './support/context';
import { arr, GK, list, Obj, ROOT_NAMESPACE, str } from './support/model';
import { action, hasSelector, hasTargetRefs, isAllowNothing, targetRefs } from './support/policies';
import { selectedWorkloads, selectorCompatible, servicesIn, servicesOf, workloadIndex } from './support/workloads';

// Analyzers that read what an AuthorizationPolicy means for the workloads of the set (the
// simulator's model of pods, Services and ports), not only its form.

function namespacesOf(ctx: GraphContext, ap: Obj): string[] {
  if (ap.ns !== ROOT_NAMESPACE) return [ap.ns];
  return [...new Set(ctx.index.objects.map(o => o.ns).filter(ns => ns !== ''))];
}

function selectorOf(ap: Obj): Record<string, string> {
  return { ...ap.spec.selector.matchLabels };
}

/**
 * CI3101 (warning): an AuthorizationPolicy whose `selector` selects no pod: the set holds workloads
 * (Deployments, StatefulSets, DaemonSets, Jobs, Pods) in its namespace (any namespace for the root
 * namespace), none carries the selector's labels, and no Service there may select such pods.
 */
export function analyzePolicySelectors(ctx: GraphContext): void {
  const m = workloadIndex(ctx.index);
  for (const ap of ctx.index.all(GK.authorizationPolicy)) {
    if (!hasSelector(ap) || hasTargetRefs(ap)) continue;
    const namespaces = namespacesOf(ctx, ap);
    const workloads = namespaces.flatMap(ns => m.workloads.get(ns) ?? []);
    if (workloads.length === 0) continue;
    const selector = selectorOf(ap);
    if (selectedWorkloads(m, namespaces, selector).length > 0) continue;
    const services = namespaces.flatMap(ns => servicesIn(m, ns)).filter(s => selectorCompatible(s, selector));
    if (services.length > 0) continue;
    const where = ap.ns === ROOT_NAMESPACE ? 'any namespace' : `namespace ${ap.ns}`;
    ctx.report(ap, Code.CI3101, 'warning', 'spec.selector.matchLabels',
      `selector ${JSON.stringify(selector)} matches no pod of the workloads in ${where} (${list(workloads.map(w => `${w.kind} ${w.namespace}/${w.name}`))}) and no Service there selects such pods: the policy applies to nothing; use the labels of the pod template`);
  }
}

/**
 * CI3102 (warning): a rule `ports` value that the enforcement point never sees: at sidecars and
 * ztunnel (`selector` policies) the container port of the selected workloads (a Service port
 * 80 -> 8080 needs `8080`); at a waypoint (`targetRefs` to a Service) the Service port.
 */
export function analyzePolicyPorts(ctx: GraphContext): void {
  const m = workloadIndex(ctx.index);
  for (const ap of ctx.index.all(GK.authorizationPolicy)) {
    const ports = rulePorts(ap);
    if (ports.length === 0) continue;
    if (hasTargetRefs(ap)) {
      for (const { ref } of targetRefs(ap)) {
        if (str(ref?.kind) !== 'Service' || str(ref?.group) !== '') continue;
        const svc = m.services.get(`${str(ref.namespace) || ap.ns}/${str(ref.name)}`);
        if (!svc || svc.ports.length === 0) continue;
        const known = svc.ports.map(p => p.port);
        for (const p of ports) {
          if (known.includes(p.port)) continue;
          const target = svc.ports.find(sp => sp.targetPort !== undefined && String(sp.targetPort) === String(p.port));
          ctx.report(ap, Code.CI3102, 'warning', p.path, target
            ? `port ${p.port} is the targetPort of Service ${svc.namespace}/${svc.name} port ${target.port}: a waypoint matches the Service port; use ${target.port}`
            : `port ${p.port} is not a port of Service ${svc.namespace}/${svc.name} (ports: ${known.join(', ')}): the waypoint never sees it, the rule never matches that port`);
        }
      }
      continue;
    }
    if (!hasSelector(ap)) continue;
    const workloads = selectedWorkloads(m, namespacesOf(ctx, ap), selectorOf(ap));
    if (workloads.length === 0) continue;
    const known = new Set<number>();
    let complete = true;
    for (const w of workloads) {
      const numeric = servicesOf(m, w).flatMap(s => s.ports.map(sp => sp.targetPort === undefined ? sp.port : typeof sp.targetPort === 'number' ? sp.targetPort : undefined));
      const own = [...w.ports.map(p => p.port), ...numeric.filter((n): n is number => n !== undefined)];
      if (own.length === 0) complete = false;
      own.forEach(n => known.add(n));
    }
    if (!complete) continue;
    for (const p of ports) {
      if (known.has(p.port)) continue;
      const servicePort = workloads.flatMap(w => servicesOf(m, w)).flatMap(s => s.ports.map(sp => ({ s, sp })))
        .find(({ sp }) => sp.port === p.port && sp.targetPort !== undefined && String(sp.targetPort) !== String(sp.port));
      const target = servicePort ? (typeof servicePort.sp.targetPort === 'number' ? servicePort.sp.targetPort
        : workloads.flatMap(w => w.ports).find(cp => cp.name === servicePort.sp.targetPort)?.port) : undefined;
      ctx.report(ap, Code.CI3102, 'warning', p.path, servicePort
        ? `port ${p.port} is the port of Service ${servicePort.s.namespace}/${servicePort.s.name}; sidecars and ztunnel match the container port${target !== undefined ? ` ${target}` : ''}: the rule never matches`
        : `port ${p.port} is not a container port of the selected workloads (${list(workloads.map(w => `${w.kind} ${w.namespace}/${w.name}`))}; ports: ${[...known].sort((a, b) => a - b).join(', ')}): the rule never matches it`);
    }
  }
}

function rulePorts(ap: Obj): { port: number; path: string }[] {
  const out: { port: number; path: string }[] = [];
  arr(ap.spec.rules).forEach((rule, i) => arr(rule?.to).forEach((t, j) => arr(t?.operation?.ports).forEach((p, k) => {
    if (/^[0-9]+$/.test(String(p))) out.push({ port: Number(p), path: `spec.rules[${i}].to[${j}].operation.ports[${k}]` });
  })));
  return out;
}

const PEER_FIELDS = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];

/**
 * CI3103 (warning): in a namespace that denies by default (an allow-nothing policy, or ALLOW
 * policies naming callers, in it or in the root namespace), an ALLOW rule whose only caller
 * condition is a token (`requestPrincipals`, or `request.auth.*` conditions): any workload, in
 * any namespace, that holds a valid token passes.
 */
export function analyzeTokenOnlyAllow(ctx: GraphContext): void {
  // ALLOW policies that make their namespace deny by default, counted per namespace once (a scan
  // of the namespace per policy made this quadratic).
  const closes = (o: (typeof policies)[number]): boolean => action(o) === 'ALLOW'
    && (isAllowNothing(o) || arr(o.spec.rules).some(r => arr(r?.from).some(f => PEER_FIELDS.some(k => arr(f?.source?.[k]).length > 0))));
  const policies = ctx.index.all(GK.authorizationPolicy);
  const closing = new Map<string, number>();
  for (const o of policies) if (closes(o)) closing.set(o.ns, (closing.get(o.ns) ?? 0) + 1);
  for (const ap of policies) {
    if (action(ap) !== 'ALLOW') continue;
    const others = (closing.get(ap.ns) ?? 0) + (ap.ns === ROOT_NAMESPACE ? 0 : closing.get(ROOT_NAMESPACE) ?? 0) - (closes(ap) ? 1 : 0);
    if (others === 0) continue;
    arr(ap.spec.rules).forEach((rule, i) => {
      const from = arr(rule?.from);
      const when = arr(rule?.when);
      const peerWhen = when.some(w => ['source.principal', 'source.namespace', 'source.ip', 'remote.ip'].includes(str(w?.key)));
      if (peerWhen) return;
      const tokenSources = from.map((f, j) => ({ s: f?.source ?? {}, j })).filter(({ s }) => !PEER_FIELDS.some(k => arr(s[k]).length > 0));
      const tokenWhen = when.some(w => str(w?.key).startsWith('request.auth.'));
      const open = tokenSources.find(({ s }) => arr(s.requestPrincipals).length > 0 || arr(s.notRequestPrincipals).length > 0 || tokenWhen);
      const whenOnly = from.length === 0 && tokenWhen;
      if (!open && !whenOnly) return;
      const token = open ? arr(open.s.requestPrincipals).map(String) : [];
      const what = token.length ? `requestPrincipals ${JSON.stringify(token)}` : 'request.auth conditions';
      const path = open ? `spec.rules[${i}].from[${open.j}].source` : `spec.rules[${i}].when`;
      ctx.report(ap, Code.CI3103, 'warning', path,
        `rule ${i} admits callers by token only (${what}, no principals, namespaces or serviceAccounts): any workload with a valid token, in any namespace, passes the namespace's deny-by-default; put the callers' principals in the same source, or require the token with a DENY on notRequestPrincipals`);
    });
  }
}
