import { arr, child, Findings, isSet, num, obj, q, str } from './context';
import { checkDestination, checkWeightedDestinations } from './destinations';
import { checkDurationPrecision, parseDurationNanos } from './durations';
import { Code } from '../codes';
import { re2SyntaxError } from './re2-syntax';

// istiod's rules for one VirtualService `http[]` route (istio/istio
// pkg/config/validation/virtualservice.go and validation.go).

/** Envoy's retry-on vocabulary as istiod accepts it in `retries.retryOn` (plus HTTP status codes). */
export const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

/** HTTP status codes Go's net/http has a text for (http.StatusText != ""). */
const KNOWN_STATUS = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424,
  425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

const HEADER_NAME = /^[-_A-Za-z0-9]+$/;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE']);

/**
 * CI2037: header operation names (istiod `ValidateHTTPHeaderWithAuthorityOperationName` and
 * `ValidateHTTPHeaderOperationName`): request add/set may not use `:` pseudo-headers other than
 * `:authority`; request remove and every response operation may not touch `host` or pseudo-headers.
 */
function checkHeaderOperations(f: Findings, path: string, value: unknown): string | undefined {
  const headers = obj(value);
  if (!headers) return undefined;
  let authority: string | undefined;
  for (const side of ['request', 'response']) {
    const ops = obj(headers[side]);
    if (!ops) continue;
    for (const op of ['set', 'add']) {
      for (const [name, v] of Object.entries(obj(ops[op]) ?? {})) {
        const hp = child(`${path}.${side}.${op}`, name);
        const lower = name.toLowerCase();
        const isAuthority = lower === ':authority' || lower === 'host';
        if (name === '') f.error(Code.CI2037, hp, 'header name cannot be empty');
        else if (side === 'request' && (lower.startsWith(':') || lower === 'host') && !isAuthority) f.error(Code.CI2037, hp, `invalid header ${q(name)}: a request header to ${op} cannot start with ":" (except :authority)`);
        else if (side === 'response' && (lower.startsWith(':') || lower === 'host')) f.error(Code.CI2037, hp, `invalid header ${q(name)}: a response header to ${op} cannot be Host or start with ":"`);
        if (side === 'request' && isAuthority && typeof v === 'string') {
          if (authority !== undefined) f.error(Code.CI2038, hp, `the authority is set more than once: have ${q(authority)}, attempting to set ${q(v)}`);
          authority = v;
        }
      }
    }
    arr(ops.remove).forEach((name, i) => {
      if (typeof name !== 'string') return;
      const lower = name.toLowerCase();
      if (name === '') f.error(Code.CI2037, `${path}.${side}.remove[${i}]`, 'header name cannot be empty');
      else if (lower === 'host' || lower.startsWith(':')) f.error(Code.CI2037, `${path}.${side}.remove[${i}]`, `invalid header ${q(name)}: Host and ":" pseudo-headers cannot be removed`);
    });
  }
  return authority;
}

/** CI2039: CORS policy (istiod `validateCORSPolicy`). */
function checkCors(f: Findings, path: string, value: unknown): void {
  const cors = obj(value);
  if (!cors) return;
  arr(cors.allowOrigins).forEach((o, i) => {
    const m = obj(o);
    if (m && !str(m.exact) && !str(m.prefix) && !str(m.regex)) f.error(Code.CI2039, `${path}.allowOrigins[${i}]`, 'an allowOrigins entry needs a non-empty exact, prefix or regex');
    else if (m && str(m.regex)) checkRegex(f, `${path}.allowOrigins[${i}].regex`, m.regex);
  });
  arr(cors.allowMethods).forEach((m, i) => {
    if (typeof m === 'string' && !METHODS.has(m)) f.error(Code.CI2039, `${path}.allowMethods[${i}]`, `${q(m)} is not a supported HTTP method; allowed: ${[...METHODS].join(', ')}`);
  });
  for (const field of ['allowHeaders', 'exposeHeaders']) {
    arr(cors[field]).forEach((h, i) => {
      if (typeof h === 'string' && h !== '*' && !HEADER_NAME.test(h)) f.error(Code.CI2039, `${path}.${field}[${i}]`, `${q(h)} is not a valid header name`);
    });
  }
  const maxAge = str(cors.maxAge);
  if (maxAge !== undefined) {
    const nanos = parseDurationNanos(maxAge);
    if (nanos !== undefined && nanos % 1_000_000_000n !== 0n) {
      f.error(Code.CI2001, `${path}.maxAge`, `corsPolicy.maxAge ${q(maxAge)} is accurate only to seconds; use whole seconds (e.g. "24h", "30s")`);
    }
  }
}

function checkRouteConflicts(f: Findings, path: string, r: Record<string, any>, delegate: boolean): void {
  const route = arr(r.route);
  const has = (k: string) => isSet(r[k]);
  if (!delegate && has('delegate')) {
    if (has('redirect')) f.error(Code.CI2016, `${path}.redirect`, 'a root HTTP route with delegate must not specify redirect');
    if (has('route')) f.error(Code.CI2016, `${path}.route`, 'a root HTTP route with delegate must not specify route');
    return;
  }
  if (delegate && has('delegate')) f.error(Code.CI2016, `${path}.delegate`, 'a delegate HTTP route cannot itself delegate');
  if (has('redirect')) {
    if (route.length > 0) f.error(Code.CI2016, path, 'an HTTP route cannot have both route and redirect; choose one');
    if (has('fault')) f.error(Code.CI2016, path, 'an HTTP route cannot have both fault and redirect');
    if (has('rewrite')) f.error(Code.CI2016, path, 'an HTTP route cannot have both rewrite and redirect');
    if (has('directResponse')) f.error(Code.CI2016, path, 'an HTTP route cannot have both directResponse and redirect');
  } else if (has('directResponse')) {
    if (route.length > 0) f.error(Code.CI2016, path, 'an HTTP route cannot have both route and directResponse; choose one');
    if (has('fault')) f.error(Code.CI2016, path, 'an HTTP route cannot have both fault and directResponse');
    if (has('rewrite')) f.error(Code.CI2016, path, 'an HTTP route cannot have both rewrite and directResponse');
  } else if (route.length === 0) {
    f.error(Code.CI2016, path, 'an HTTP route needs one of route, redirect or directResponse');
  }
  if (has('mirror') && arr(r.mirrors).length > 0) {
    f.error(Code.CI2017, path, 'an HTTP route cannot have both mirror and mirrors; use mirrors for several mirror destinations');
  }
}

function checkStringMatch(f: Findings, path: string, value: unknown, allowEmptyPrefix: boolean): void {
  const m = obj(value);
  if (!m) return;
  if (typeof m.prefix === 'string' && m.prefix === '' && !allowEmptyPrefix) {
    f.error(Code.CI2032, `${path}.prefix`, 'an empty prefix string match is not allowed here; omit the match or give a prefix');
  }
  if (typeof m.regex === 'string' && m.regex === '') {
    f.error(Code.CI2032, `${path}.regex`, 'an empty regex string match is not allowed; give a regular expression (RE2 syntax)');
  } else if (typeof m.regex === 'string') {
    checkRegex(f, `${path}.regex`, m.regex);
  }
}

/** CI2032: istiod's validateStringRegexp: at most 1024 characters, valid RE2 (Go's regexp.Compile). */
export function checkRegex(f: Findings, path: string, regex: string): void {
  if (regex.length > 1024) {
    f.error(Code.CI2032, path, `regex is ${regex.length} characters long; at most 1024 are allowed`);
    return;
  }
  const problem = re2SyntaxError(regex);
  if (problem) f.error(Code.CI2032, path, `regex ${q(regex)} is not valid RE2 (${problem}); Istio and Envoy use RE2 syntax (no lookaround, no backreferences), see https://github.com/google/re2/wiki/Syntax`);
}

function checkMatches(f: Findings, path: string, matches: unknown): void {
  arr(matches).forEach((mv, j) => {
    const m = obj(mv);
    if (!m) return;
    const mp = `${path}[${j}]`;
    for (const field of ['headers', 'withoutHeaders']) {
      for (const [name, sm] of Object.entries(obj(m[field]) ?? {})) {
        if (!name.startsWith('@request.auth.claims.') && !HEADER_NAME.test(name)) {
          f.error(Code.CI2033, child(`${mp}.${field}`, name), `header name ${q(name)} is not valid; use letters, digits, '-' and '_' (or @request.auth.claims.<claim> on gateways)`);
        }
        if (field === 'withoutHeaders' && obj(sm)?.regex === '*') continue; // `*` means "present"
        checkStringMatch(f, child(`${mp}.${field}`, name), sm, false);
      }
    }
    checkStringMatch(f, `${mp}.uri`, m.uri, true);
    for (const field of ['scheme', 'method', 'authority']) checkStringMatch(f, `${mp}.${field}`, m[field], false);
    for (const [name, sm] of Object.entries(obj(m.queryParams) ?? {})) checkStringMatch(f, child(`${mp}.queryParams`, name), sm, false);
  });
}

function checkPercentage(f: Findings, path: string, value: unknown): void {
  const v = num(obj(value)?.value);
  if (v === undefined) return;
  if (v < 0 || v > 100 || (v > 0 && v < 0.0001)) {
    f.error(Code.CI2022, `${path}.value`, `percentage ${v} is neither 0 nor in 0.0001..100`);
  }
}

function checkFault(f: Findings, path: string, value: unknown): void {
  const fault = obj(value);
  if (!fault) return;
  const abort = obj(fault.abort);
  const delay = obj(fault.delay);
  if (!abort && !delay) f.error(Code.CI2021, path, 'fault injection needs an abort and/or a delay');
  if (abort) {
    checkPercentage(f, `${path}.abort.percentage`, abort.percentage);
    if (isSet(abort.http2Error)) {
      f.error(Code.CI2025, `${path}.abort.http2Error`, 'HTTP/2 abort fault injection is not supported; use httpStatus or grpcStatus');
    } else if (isSet(abort.httpStatus)) {
      const s = num(abort.httpStatus);
      if (s !== undefined && (s < 200 || s > 600)) f.error(Code.CI2023, `${path}.abort.httpStatus`, `HTTP status ${s} is not in range 200..599`);
    } else if (!isSet(abort.grpcStatus)) {
      f.warn(Code.CI2024, `${path}.abort`, 'abort fault is configured without an error type (httpStatus or grpcStatus); it does nothing');
    }
  }
  if (delay) {
    checkPercentage(f, `${path}.delay.percentage`, delay.percentage);
    checkDurationPrecision(f, `${path}.delay.fixedDelay`, delay.fixedDelay);
    if (isSet(delay.exponentialDelay)) {
      f.error(Code.CI2025, `${path}.delay.exponentialDelay`, 'exponentialDelay is not supported; use fixedDelay');
    }
  }
}

function checkMirrors(f: Findings, path: string, r: Record<string, any>): void {
  const mp = num(obj(r.mirrorPercentage)?.value);
  if (mp !== undefined && (mp < 0 || mp > 100)) {
    f.error(Code.CI2026, `${path}.mirrorPercentage.value`, `mirror percentage ${mp} is not in range 0..100`);
  }
  for (const field of ['mirrorPercent', 'mirror_percent']) {
    const v = num(r[field]);
    if (v !== undefined && v > 100) f.error(Code.CI2026, `${path}.${field}`, `${field} ${v} is greater than 100`);
  }
  checkDestination(f, `${path}.mirror`, r.mirror);
  arr(r.mirrors).forEach((m, i) => {
    const mirror = obj(m);
    if (!mirror) return;
    checkDestination(f, `${path}.mirrors[${i}].destination`, mirror.destination);
    const v = num(obj(mirror.percentage)?.value);
    if (v !== undefined && (v < 0 || v > 100)) {
      f.error(Code.CI2026, `${path}.mirrors[${i}].percentage.value`, `mirror percentage ${v} is not in range 0..100`);
    }
  });
}

function checkRetries(f: Findings, path: string, value: unknown): void {
  const retries = obj(value);
  if (!retries) return;
  const attempts = num(retries.attempts) ?? 0;
  if (attempts < 0) f.error(Code.CI2029, `${path}.attempts`, `attempts ${attempts} is negative; use 0 to disable retries`);
  if (attempts === 0 && (isSet(retries.perTryTimeout) || (typeof retries.retryOn === 'string' && retries.retryOn !== '') || isSet(retries.retryRemoteLocalities))) {
    f.error(Code.CI2028, path, 'retry policy fields (perTryTimeout, retryOn, retryRemoteLocalities) are set while attempts is 0 (retries disabled); set attempts >= 1 or remove them');
  }
  checkDurationPrecision(f, `${path}.perTryTimeout`, retries.perTryTimeout);
  if (typeof retries.retryOn === 'string' && retries.retryOn !== '') {
    for (const policy of retries.retryOn.split(',')) {
      const code = /^[0-9]+$/.test(policy) ? Number(policy) : NaN;
      if (!RETRY_ON.has(policy) && !KNOWN_STATUS.has(code)) {
        f.error(Code.CI2027, `${path}.retryOn`, `${q(policy)} is not a valid retryOn policy; allowed: ${[...RETRY_ON].join(', ')}, or an HTTP status code`);
      }
    }
  }
}

function checkRedirect(f: Findings, path: string, value: unknown): void {
  const redirect = obj(value);
  if (!redirect) return;
  if (!str(redirect.uri) && !str(redirect.authority) && !isSet(redirect.port) && !isSet(redirect.derivePort) && !str(redirect.scheme)) {
    f.error(Code.CI2030, path, 'redirect must specify uri, authority, scheme or port');
    return;
  }
  const code = num(redirect.redirectCode);
  if (code !== undefined && code !== 0 && (code < 300 || code > 399)) {
    f.error(Code.CI2030, `${path}.redirectCode`, `${code} is not a valid redirect code; use a 3xx code (e.g. 301, 302, 307, 308)`);
  }
  const scheme = str(redirect.scheme);
  if (scheme && scheme !== 'http' && scheme !== 'https') {
    f.error(Code.CI2030, `${path}.scheme`, `invalid redirect scheme ${q(scheme)}; must be "http" or "https"`);
  }
}

function checkRewrite(f: Findings, path: string, value: unknown): void {
  const rewrite = obj(value);
  if (!rewrite) return;
  const uri = str(rewrite.uri) ?? '';
  const regex = obj(rewrite.uriRegexRewrite);
  if (uri !== '' && regex) {
    f.error(Code.CI2031, path, 'rewrite may contain only one of uri or uriRegexRewrite');
  } else if (uri === '' && !regex && !str(rewrite.authority)) {
    f.error(Code.CI2031, path, 'rewrite must specify uri, uriRegexRewrite or authority');
  } else if (regex && (!str(regex.match) || !str(regex.rewrite))) {
    f.error(Code.CI2031, `${path}.uriRegexRewrite`, 'uriRegexRewrite needs both match and rewrite');
  } else if (regex) {
    checkRegex(f, `${path}.uriRegexRewrite.match`, regex.match);
  }
}

/** Validates one `http[]` route of a VirtualService. */
export function checkHttpRoute(f: Findings, path: string, r: Record<string, any>, delegate: boolean): void {
  checkRouteConflicts(f, path, r, delegate);
  checkMatches(f, `${path}.match`, r.match);
  checkFault(f, `${path}.fault`, r.fault);
  checkMirrors(f, path, r);
  checkRedirect(f, `${path}.redirect`, r.redirect);
  checkRetries(f, `${path}.retries`, r.retries);
  checkRewrite(f, `${path}.rewrite`, r.rewrite);
  checkWeightedDestinations(f, `${path}.route`, r.route);
  checkDurationPrecision(f, `${path}.timeout`, r.timeout);
  const status = num(obj(r.directResponse)?.status);
  if (status !== undefined && (status < 200 || status > 600)) {
    f.error(Code.CI2023, `${path}.directResponse.status`, `HTTP status ${status} is not in range 200..599`);
  }
  checkCors(f, `${path}.corsPolicy`, r.corsPolicy);
  const authority = checkHeaderOperations(f, `${path}.headers`, r.headers);
  const rewriteAuthority = str(obj(r.rewrite)?.authority);
  if (rewriteAuthority && authority !== undefined) {
    f.error(Code.CI2038, `${path}.headers.request`, `the authority is set more than once: rewrite.authority ${q(rewriteAuthority)} and a request header ${q(authority)}; set it in one place`);
  }
  arr(r.route).forEach((d, i) => checkHeaderOperations(f, `${path}.route[${i}].headers`, obj(d)?.headers));
}
