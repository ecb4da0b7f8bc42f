import { Named } from './model';
import { NormalizedRequest } from './request';
import { DEFAULT_RETRIES, RouteRule, millis } from './route-common';
import { re2FullMatch } from './re2';

// HTTPRoute evaluation (Gateway API v1.6 as Istio 1.30 implements it). Every match of every rule of
// the routes for one parent is one candidate; candidates are ordered like istiod does
// (pilot/pkg/config/kube/gateway/conversion.go sortHTTPRoutes, after sorting routes by creation
// time, namespace and name): path Exact > PathPrefix > RegularExpression, longer path first, a
// method match first, more header matches, more query matches; otherwise the route/rule order.
// A match without `path` is `PathPrefix /` and a rule without matches has that one match (CRD
// defaults). Weights default to 1. Without a retry policy Istio's default (2 retries) applies.
// https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule

interface Candidate {
  readonly route: Named;
  readonly rule: number;
  readonly match: number;
  readonly m: any;
  readonly order: number;
}

/** Evaluates HTTPRoutes for one parent; undefined when no match holds (404). */
export function matchHttpRoutes(routes: readonly Named[], req: NormalizedRequest, clusterDomain: string): RouteRule | undefined {
  const sorted = [...routes].sort(byAge);
  const candidates: Candidate[] = [];
  for (const route of sorted) {
    ((route.object.spec?.rules ?? []) as any[]).forEach((rule, ri) => {
      const matches = (rule?.matches?.length ? rule.matches : [{}]) as any[];
      matches.forEach((m, mi) => candidates.push({ route, rule: ri, match: mi, m: { ...m, path: m?.path ?? { type: 'PathPrefix', value: '/' } }, order: candidates.length }));
    });
  }
  candidates.sort((a, b) => compare(a.m, b.m) || a.order - b.order);
  const hit = candidates.find(c => matches(c.m, req));
  if (!hit) return undefined;
  const rule = (hit.route.object.spec.rules as any[])[hit.rule] ?? {};
  return translate(hit.route, rule, hit.rule, hit.match, clusterDomain);
}

const RANK: Record<string, number> = { Exact: 3, PathPrefix: 2, RegularExpression: 1 };

function compare(a: any, b: any): number {
  const ra = RANK[a.path?.type ?? 'PathPrefix'] ?? 0;
  const rb = RANK[b.path?.type ?? 'PathPrefix'] ?? 0;
  if (ra !== rb) return rb - ra;
  const la = String(a.path?.value ?? '/').length;
  const lb = String(b.path?.value ?? '/').length;
  if (la !== lb) return lb - la;
  if ((a.method === undefined) !== (b.method === undefined)) return a.method !== undefined ? -1 : 1;
  const ha = (a.headers ?? []).length;
  const hb = (b.headers ?? []).length;
  if (ha !== hb) return hb - ha;
  return (b.queryParams ?? []).length - (a.queryParams ?? []).length;
}

function matches(m: any, req: NormalizedRequest): boolean {
  const path = m.path ?? {};
  const value = String(path.value ?? '/');
  switch (path.type ?? 'PathPrefix') {
    case 'Exact': if (req.path !== value) return false; break;
    case 'RegularExpression': if (!regex(value, req.path)) return false; break;
    default: {
      const prefix = value.replace(/\/+$/, '');
      if (prefix !== '' && req.path !== prefix && !req.path.startsWith(`${prefix}/`)) return false;
    }
  }
  if (m.method && m.method !== req.method) return false;
  for (const h of (m.headers ?? []) as any[]) {
    const v = req.headers[String(h.name).toLowerCase()];
    if (v === undefined || !(h.type === 'RegularExpression' ? regex(h.value, v) : v === h.value)) return false;
  }
  for (const q of (m.queryParams ?? []) as any[]) {
    const v = req.query[String(q.name)];
    if (v === undefined || !(q.type === 'RegularExpression' ? regex(q.value, v) : v === q.value)) return false;
  }
  return true;
}

function regex(pattern: string, value: string): boolean {
  return re2FullMatch(pattern, value);
}

function backendHost(ref: any, routeNs: string, clusterDomain: string): string {
  const kind = ref?.kind ?? 'Service';
  if (kind === 'Service' && (ref?.group ?? '') === '') return `${ref.name}.${ref.namespace ?? routeNs}.svc.${clusterDomain}`;
  return String(ref?.name ?? '');
}

function translate(route: Named, rule: any, index: number, match: number, clusterDomain: string): RouteRule {
  const refs = (rule.backendRefs ?? []) as any[];
  const weights = refs.map(r => r?.weight === undefined ? 1 : Number(r.weight));
  const total = weights.reduce((a, b) => a + b, 0);
  const backends = refs.map((r, i) => ({
    host: backendHost(r, route.namespace, clusterDomain),
    ...(r?.port !== undefined ? { port: Number(r.port) } : {}),
    percent: total > 0 ? Math.round(weights[i] * 10000 / total) / 100 : 0,
  }));
  const filters = (rule.filters ?? []) as any[];
  const redirectF = filters.find(f => f?.type === 'RequestRedirect')?.requestRedirect;
  const rewriteF = filters.find(f => f?.type === 'URLRewrite')?.urlRewrite;
  const mirrorF = filters.find(f => f?.type === 'RequestMirror')?.requestMirror;
  const headersF = filters.find(f => f?.type === 'RequestHeaderModifier')?.requestHeaderModifier;
  const timeout = rule.timeouts?.request;
  const timeoutMs = timeout === undefined ? undefined : millis(timeout) || undefined;
  const retry = rule.retry;
  const retries = retry
    ? (Number(retry.attempts ?? 0) > 0 ? { attempts: Number(retry.attempts), retryOn: retry.codes?.length ? `${DEFAULT_RETRIES.retryOn},${retry.codes.join(',')}` : DEFAULT_RETRIES.retryOn } : { attempts: 0 })
    : { ...DEFAULT_RETRIES };
  const rewritePath = rewriteF?.path;
  return {
    resource: `HTTPRoute ${route.namespace}/${route.name}`,
    rule: index,
    why: `rule ${index}${rule.name ? ` "${rule.name}"` : ''} match ${match} is the most specific that holds`,
    backends: redirectF ? [] : backends,
    ...(mirrorF ? { mirror: {
      host: backendHost(mirrorF.backendRef, route.namespace, clusterDomain),
      ...(mirrorF.backendRef?.port !== undefined ? { port: Number(mirrorF.backendRef.port) } : {}),
      percent: mirrorF.percent !== undefined ? Number(mirrorF.percent)
        : mirrorF.fraction ? Number(mirrorF.fraction.numerator) * 100 / Number(mirrorF.fraction.denominator ?? 100) : 100,
    } } : {}),
    timeoutMs,
    retries,
    ...(rewriteF ? { rewrite: {
      ...(rewritePath?.replaceFullPath !== undefined ? { uri: rewritePath.replaceFullPath } : {}),
      ...(rewritePath?.replacePrefixMatch !== undefined ? { uri: rewritePath.replacePrefixMatch } : {}),
      ...(rewriteF.hostname ? { authority: rewriteF.hostname } : {}),
    } } : {}),
    ...(redirectF ? { redirect: {
      ...(redirectF.path?.replaceFullPath !== undefined ? { uri: redirectF.path.replaceFullPath } : {}),
      ...(redirectF.hostname ? { authority: redirectF.hostname } : {}),
      ...(redirectF.scheme ? { scheme: redirectF.scheme } : {}),
      ...(redirectF.port ? { port: Number(redirectF.port) } : {}),
      statusCode: Number(redirectF.statusCode ?? 302),
    } } : {}),
    ...(headersF ? { headers: headersF } : {}),
  };
}

/** Routes by creation time, then namespace and name (istiod's order). */
export function byAge(a: Named, b: Named): number {
  const ta = a.object.metadata?.creationTimestamp ?? '';
  const tb = b.object.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
