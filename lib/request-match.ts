import { IConstruct } from 'constructs';
import { MeshError } from './mesh/errors';
import { TrafficApi } from './mesh/traffic-api';
import { re2SyntaxError } from './validation/semantics/re2-syntax';

/** HTTP methods a `RequestMatch.method` accepts (the Gateway API `HTTPMethod` enum). */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'CONNECT' | 'OPTIONS' | 'TRACE' | 'PATCH';

const METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

/** What one condition of a `RequestMatch` tests. */
export enum MatchField {
  /** A request header. */
  HEADER = 'HEADER',
  /** One cookie of the `cookie` header. */
  COOKIE = 'COOKIE',
  /** The request path. */
  PATH = 'PATH',
  /** The HTTP method. */
  METHOD = 'METHOD',
  /** A query parameter. */
  QUERY_PARAM = 'QUERY_PARAM',
}

/** How a condition compares. */
export enum MatchType {
  /** Equal to the value. */
  EXACT = 'EXACT',
  /** Starts with the value. */
  PREFIX = 'PREFIX',
  /** Fully matches the RE2 regular expression. */
  REGEX = 'REGEX',
}

/** One condition of a `RequestMatch`. */
export interface MatchCondition {
  /** What is tested. */
  readonly field: MatchField;
  /** How it is compared. */
  readonly type: MatchType;
  /**
   * Header, cookie or query parameter name.
   *
   * @default - none (path and method conditions)
   */
  readonly name?: string;
  /** The value, prefix or regular expression. */
  readonly value: string;
}

const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

/** Escapes RE2 metacharacters so that `text` matches literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A request condition for routing: one or more conditions that must all hold (AND). Where a
 * prop takes a list of matches, a request that satisfies any one of them matches (OR).
 *
 * ```ts
 * RequestMatch.header('x-canary', 'true')                             // one condition
 * RequestMatch.all(RequestMatch.pathPrefix('/api'), RequestMatch.method('GET'))  // AND
 * ```
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutematch
 */
export class RequestMatch {
  /** A header equal to `value`. Istio requires lowercase header names. */
  public static header(name: string, value: string): RequestMatch {
    return new RequestMatch([{ field: MatchField.HEADER, type: MatchType.EXACT, name, value }]);
  }

  /** A header that fully matches the RE2 regular expression `regex` (Envoy full-match semantics). */
  public static headerRegex(name: string, regex: string): RequestMatch {
    return new RequestMatch([{ field: MatchField.HEADER, type: MatchType.REGEX, name, value: regex }]);
  }

  /**
   * A header that starts with `prefix`. Gateway API has no prefix header match: for
   * `TrafficApi.GATEWAY_API` it is emitted as the anchored, escaped regular expression
   * `^<prefix>.*` (type `RegularExpression`), never as an unescaped `prefix.*`.
   */
  public static headerPrefix(name: string, prefix: string): RequestMatch {
    return new RequestMatch([{ field: MatchField.HEADER, type: MatchType.PREFIX, name, value: prefix }]);
  }

  /**
   * A cookie `name` equal to `value`: emitted as an anchored regex on the `cookie` header that
   * matches exactly this cookie (`x-canary=always` does not match `canary=always`).
   */
  public static cookie(name: string, value: string): RequestMatch {
    return new RequestMatch([{ field: MatchField.COOKIE, type: MatchType.EXACT, name, value }]);
  }

  /**
   * A path that starts with `prefix`. Istio compares strings (`/api` matches `/apix`); Gateway API
   * compares path elements (`/api` matches `/api/x`, not `/apix`).
   */
  public static pathPrefix(prefix: string): RequestMatch {
    return new RequestMatch([{ field: MatchField.PATH, type: MatchType.PREFIX, value: prefix }]);
  }

  /** A path equal to `path`. */
  public static pathExact(path: string): RequestMatch {
    return new RequestMatch([{ field: MatchField.PATH, type: MatchType.EXACT, value: path }]);
  }

  /** An HTTP method. */
  public static method(method: HttpMethod): RequestMatch {
    return new RequestMatch([{ field: MatchField.METHOD, type: MatchType.EXACT, value: method }]);
  }

  /** A query parameter equal to `value`. */
  public static queryParam(name: string, value: string): RequestMatch {
    return new RequestMatch([{ field: MatchField.QUERY_PARAM, type: MatchType.EXACT, name, value }]);
  }

  /** All conditions of all `matches` at once (AND). */
  public static all(...matches: RequestMatch[]): RequestMatch {
    return new RequestMatch(matches.flatMap(m => (m instanceof RequestMatch ? m.conditions : [m as unknown as MatchCondition])));
  }

  /** The conditions, all of which must hold. */
  public readonly conditions: MatchCondition[];

  private constructor(conditions: MatchCondition[]) {
    this.conditions = conditions;
  }

  /** This match AND `other`. */
  public and(other: RequestMatch): RequestMatch {
    return RequestMatch.all(this, other);
  }
}

function conditionKey(c: MatchCondition): string {
  switch (c.field) {
    case MatchField.HEADER: return `header "${(c.name ?? '').toLowerCase()}"`;
    case MatchField.COOKIE: return 'header "cookie"';
    case MatchField.QUERY_PARAM: return `query parameter "${c.name}"`;
    case MatchField.PATH: return 'path';
    default: return 'method';
  }
}

function checkRegex(scope: IConstruct, prop: string, value: string): void {
  if (re2SyntaxError(value) !== undefined) {
    throw MeshError.invalid(scope, prop, value, 'an RE2 regular expression (no lookaround, no backreferences)');
  }
}

function checkPath(scope: IConstruct, prop: string, value: string): void {
  const bad = !value.startsWith('/') || value.includes('//') || /\/\.\.?(\/|$)/.test(value) || /%2f|%2F|#/.test(value) || value.length > 1024;
  if (bad) {
    throw MeshError.invalid(scope, prop, value,
      'a path starting with "/", without "//", "/./", "/../", "%2f" or "#", at most 1024 characters');
  }
}

/**
 * Checks a match for problems every target shares (names, values, regexes, paths, and conditions
 * that cannot be ANDed in one match). Throws `MeshError`.
 */
export function checkRequestMatch(scope: IConstruct, prop: string, match: RequestMatch): void {
  if (!(match instanceof RequestMatch) || match.conditions.length === 0) {
    throw MeshError.invalid(scope, prop, match, 'a RequestMatch with at least one condition (RequestMatch.header(...), ...)');
  }
  const seen = new Set<string>();
  match.conditions.forEach((c, i) => {
    const at = `${prop}.conditions[${i}]`;
    if (c === null || typeof c !== 'object' || !Object.values(MatchField).includes(c.field)) {
      throw MeshError.invalid(scope, at, c, 'a condition made by a RequestMatch factory');
    }
    if (typeof c.value !== 'string') {
      throw MeshError.invalid(scope, `${at}.value`, c.value, 'a string');
    }
    if (c.field === MatchField.HEADER || c.field === MatchField.COOKIE || c.field === MatchField.QUERY_PARAM) {
      if (typeof c.name !== 'string' || !TOKEN.test(c.name) || c.name.length > 256) {
        throw MeshError.invalid(scope, `${at}.name`, c.name, 'an HTTP token (letters, digits and !#$%&\'*+-.^_`|~), 1..256 characters');
      }
    }
    if ((c.field === MatchField.HEADER || c.field === MatchField.QUERY_PARAM) && (c.value.length === 0 || c.value.length > 4096)) {
      throw MeshError.invalid(scope, `${at}.value`, c.value, 'a non-empty string of at most 4096 characters');
    }
    if (c.field === MatchField.COOKIE && (c.value.length === 0 || !COOKIE_VALUE.test(c.value))) {
      throw MeshError.invalid(scope, `${at}.value`, c.value, 'a non-empty cookie value (no spaces, quotes, commas, semicolons or backslashes)');
    }
    if (c.type === MatchType.REGEX) checkRegex(scope, `${at}.value`, c.value);
    if (c.field === MatchField.PATH) checkPath(scope, `${at}.value`, c.value);
    if (c.field === MatchField.METHOD && !METHODS.includes(c.value)) {
      throw MeshError.invalid(scope, `${at}.value`, c.value, `one of ${METHODS.join(', ')}`);
    }
    const key = conditionKey(c);
    if (seen.has(key)) {
      throw new MeshError(scope, `${prop}: a match can test the ${key} only once (conditions in one match are ANDed); `
        + 'use a regex for a combined condition, or several matches (ORed)');
    }
    seen.add(key);
  });
}

function cookieRegex(name: string, value: string): string {
  return `^(.*;\\s*)?${escapeRegex(name)}=${escapeRegex(value)}(;.*)?$`;
}

/** Renders a checked match as an Istio `HTTPMatchRequest`. Throws for an uppercase header name. */
export function renderIstioMatch(scope: IConstruct, prop: string, match: RequestMatch): Record<string, unknown> {
  const out: Record<string, any> = {};
  match.conditions.forEach((c, i) => {
    switch (c.field) {
      case MatchField.HEADER: {
        if (c.name !== c.name!.toLowerCase()) {
          throw MeshError.invalid(scope, `${prop}.conditions[${i}].name`, c.name,
            'a lowercase header name for Istio (VirtualService header keys must be lowercase)');
        }
        const kind = c.type === MatchType.EXACT ? 'exact' : c.type === MatchType.PREFIX ? 'prefix' : 'regex';
        (out.headers ??= {})[c.name!] = { [kind]: c.value };
        break;
      }
      case MatchField.COOKIE:
        (out.headers ??= {}).cookie = { regex: cookieRegex(c.name!, c.value) };
        break;
      case MatchField.PATH:
        out.uri = { [c.type === MatchType.EXACT ? 'exact' : 'prefix']: c.value };
        break;
      case MatchField.METHOD:
        out.method = { exact: c.value };
        break;
      default:
        (out.queryParams ??= {})[c.name!] = { exact: c.value };
    }
  });
  return out;
}

/**
 * Renders a checked match as a Gateway API `HTTPRouteMatch`. A header prefix becomes the anchored,
 * escaped regex `^<prefix>.*` (type `RegularExpression`); a cookie a regex on the `cookie` header.
 */
export function renderGatewayMatch(match: RequestMatch): Record<string, unknown> {
  const out: Record<string, any> = {};
  for (const c of match.conditions) {
    switch (c.field) {
      case MatchField.HEADER: {
        const value = c.type === MatchType.PREFIX ? `^${escapeRegex(c.value)}.*` : c.value;
        (out.headers ??= []).push({ type: c.type === MatchType.EXACT ? 'Exact' : 'RegularExpression', name: c.name, value });
        break;
      }
      case MatchField.COOKIE:
        (out.headers ??= []).push({ type: 'RegularExpression', name: 'cookie', value: cookieRegex(c.name!, c.value) });
        break;
      case MatchField.PATH:
        out.path = { type: c.type === MatchType.EXACT ? 'Exact' : 'PathPrefix', value: c.value };
        break;
      case MatchField.METHOD:
        out.method = c.value;
        break;
      default:
        (out.queryParams ??= []).push({ type: 'Exact', name: c.name, value: c.value });
    }
  }
  return out;
}

/** Renders a list of checked matches for `api` (throws `MeshError` for what the target cannot express). */
export function renderMatches(scope: IConstruct, prop: string, matches: readonly RequestMatch[], api: TrafficApi): Record<string, unknown>[] {
  if (api === TrafficApi.GATEWAY_API && matches.length > 64) {
    throw MeshError.invalid(scope, prop, `${matches.length} matches`, 'at most 64 matches for Gateway API (HTTPRoute rule limit)');
  }
  return matches.map((m, i) => (api === TrafficApi.ISTIO ? renderIstioMatch(scope, `${prop}[${i}]`, m) : renderGatewayMatch(m)));
}
