import { hostMatches, qualify } from './hosts';
import { Named } from './model';
import { NormalizedRequest } from './request';
import { DEFAULT_RETRIES, RouteRule, millis } from './route-common';
import { re2FullMatch } from './re2';

// VirtualService evaluation (https://istio.io/latest/docs/reference/config/networking/virtual-service/):
// `http` rules in order, the first whose match (any of `match[]`, each condition ANDed) holds wins;
// a rule without `match` matches everything; no rule → 404. Short hosts resolve in the
// VirtualService's namespace. Weights are relative. Fault injection turns off the rule's retries
// and timeout. Without `retries` Istio's default policy applies (2 retries).

/** What a VirtualService match sees about the caller. */
export interface VsCaller {
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  /** `mesh`, or the `namespace/name` of the gateway the request entered. */
  readonly gateway: string;
}

/** The hosts of a VirtualService, resolved in its namespace. */
export function vsHosts(vs: Named, clusterDomain: string): string[] {
  return ((vs.object.spec?.hosts ?? []) as string[]).map(h => h.includes('.') || h === '*' || h.startsWith('*') ? h : qualify(h, vs.namespace, clusterDomain));
}

/** The gateways of a VirtualService as `mesh` or `namespace/name` (short names in its namespace); `mesh` when none. */
export function vsGateways(vs: Named): string[] {
  const gws = (vs.object.spec?.gateways ?? []) as string[];
  if (gws.length === 0) return ['mesh'];
  return gws.map(g => g === 'mesh' || g.includes('/') ? g : `${vs.namespace}/${g}`);
}

/** True when `vs` applies to `host` for traffic of `gateway`. */
export function vsApplies(vs: Named, host: string, gateway: string, clusterDomain: string): boolean {
  return vsGateways(vs).includes(gateway) && vsHosts(vs, clusterDomain).some(h => hostMatches(h, host));
}

/** Evaluates the rules of `vs`; undefined when none matches. */
export function matchVirtualService(vs: Named, req: NormalizedRequest, caller: VsCaller, port: number, clusterDomain: string): RouteRule | undefined {
  const rules = (vs.object.spec?.http ?? []) as any[];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] ?? {};
    const matches = (rule.match ?? []) as any[];
    const hit = matches.length === 0 ? -1 : matches.findIndex(m => matchRequest(m ?? {}, req, caller, port));
    if (matches.length > 0 && hit < 0) continue;
    return translate(vs, rule, i, hit, clusterDomain);
  }
  return undefined;
}

function matchRequest(m: any, req: NormalizedRequest, caller: VsCaller, port: number): boolean {
  const ci = m.ignoreUriCase === true;
  if (m.uri && !stringMatch(m.uri, req.path, ci)) return false;
  if (m.method && !stringMatch(m.method, req.method)) return false;
  if (m.authority && !stringMatch(m.authority, req.host)) return false;
  if (m.scheme && !stringMatch(m.scheme, 'http')) return false;
  if (m.port !== undefined && Number(m.port) !== port) return false;
  for (const [name, sm] of Object.entries(m.headers ?? {})) {
    const v = req.headers[name.toLowerCase()];
    if (v === undefined || !stringMatch(sm, v)) return false;
  }
  for (const [name, sm] of Object.entries(m.withoutHeaders ?? {})) {
    const v = req.headers[name.toLowerCase()];
    if (v !== undefined && stringMatch(sm, v)) return false;
  }
  for (const [name, sm] of Object.entries(m.queryParams ?? {})) {
    const v = req.query[name];
    if (v === undefined || !stringMatch(sm, v)) return false;
  }
  if (m.sourceLabels && !Object.entries(m.sourceLabels as Record<string, string>).every(([k, v]) => caller.labels[k] === v)) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== caller.namespace) return false;
  if (Array.isArray(m.gateways) && m.gateways.length && !m.gateways.includes(caller.gateway)
    && !m.gateways.some((g: string) => caller.gateway.endsWith(`/${g}`))) return false;
  return true;
}

/** Istio StringMatch: exact, prefix, regex (RE2, whole value); an empty match means "present". */
export function stringMatch(sm: any, value: string, ignoreCase = false): boolean {
  if (!sm || typeof sm !== 'object') return true;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (typeof sm.exact === 'string') return v === (ignoreCase ? sm.exact.toLowerCase() : sm.exact);
  if (typeof sm.prefix === 'string') return v.startsWith(ignoreCase ? sm.prefix.toLowerCase() : sm.prefix);
  if (typeof sm.regex === 'string') {
    return re2FullMatch(sm.regex, value, ignoreCase ? 'i' : '');
  }
  return true;
}

function translate(vs: Named, rule: any, index: number, match: number, clusterDomain: string): RouteRule {
  const dest = (d: any): { host: string; port?: number; subset?: string } => ({
    host: qualify(String(d?.host ?? ''), vs.namespace, clusterDomain),
    ...(d?.port?.number !== undefined ? { port: Number(d.port.number) } : {}),
    ...(d?.subset ? { subset: String(d.subset) } : {}),
  });
  const routes = (rule.route ?? []) as any[];
  const weights = routes.map(r => r?.weight === undefined ? (routes.length === 1 ? 100 : 0) : Number(r.weight));
  const total = weights.reduce((a, b) => a + b, 0);
  const backends = routes.map((r, i) => ({ ...dest(r.destination), percent: total > 0 ? round(weights[i] * 100 / total) : 0 }));
  const fault = rule.fault ? translateFault(rule.fault) : undefined;
  const r = rule.retries;
  let retries: RouteRule['retries'];
  if (fault) retries = { attempts: 0 };
  else if (!r) retries = { ...DEFAULT_RETRIES };
  else if (!(Number(r.attempts) > 0)) retries = { attempts: 0 };
  else {
    retries = {
      attempts: Number(r.attempts),
      ...(r.perTryTimeout ? { perTryTimeoutMs: millis(r.perTryTimeout) } : {}),
      retryOn: r.retryOn ?? DEFAULT_RETRIES.retryOn,
    };
  }
  const mirrorDest = rule.mirror ?? rule.mirrors?.[0]?.destination;
  const mirrorPct = rule.mirror ? rule.mirrorPercentage?.value : rule.mirrors?.[0]?.percentage?.value;
  const redirect = rule.redirect ? {
    ...(rule.redirect.uri ? { uri: rule.redirect.uri } : {}),
    ...(rule.redirect.authority ? { authority: rule.redirect.authority } : {}),
    ...(rule.redirect.scheme ? { scheme: rule.redirect.scheme } : {}),
    ...(rule.redirect.port ? { port: Number(rule.redirect.port) } : {}),
    statusCode: Number(rule.redirect.redirectCode ?? 301),
  } : undefined;
  return {
    resource: `VirtualService ${vs.namespace}/${vs.name}`,
    rule: index,
    why: match < 0 ? `rule ${index}${rule.name ? ` "${rule.name}"` : ''} has no match (catch-all)` : `rule ${index}${rule.name ? ` "${rule.name}"` : ''} match ${match} holds`,
    backends: redirect || rule.directResponse ? [] : backends,
    ...(mirrorDest ? { mirror: { ...dest(mirrorDest), percent: mirrorPct === undefined ? 100 : Number(mirrorPct) } } : {}),
    timeoutMs: fault || !rule.timeout ? undefined : millis(rule.timeout),
    retries,
    ...(fault ? { fault } : {}),
    ...(rule.rewrite ? { rewrite: { ...rule.rewrite } } : {}),
    ...(redirect ? { redirect } : {}),
    ...(rule.directResponse ? { directResponse: { status: Number(rule.directResponse.status), ...(rule.directResponse.body?.string !== undefined ? { body: String(rule.directResponse.body.string) } : {}) } } : {}),
    ...(rule.headers ? { headers: rule.headers } : {}),
  };
}

function translateFault(f: any): NonNullable<RouteRule['fault']> {
  const pct = (p: any): number => p?.value === undefined ? 100 : Number(p.value);
  return {
    ...(f.delay ? { delay: { fixedDelayMs: millis(f.delay.fixedDelay ?? '0s') ?? 0, percent: pct(f.delay.percentage) } } : {}),
    ...(f.abort ? { abort: { ...(f.abort.httpStatus !== undefined ? { httpStatus: Number(f.abort.httpStatus) } : {}), ...(f.abort.grpcStatus ? { grpcStatus: String(f.abort.grpcStatus) } : {}), percent: pct(f.abort.percentage) } } : {}),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
