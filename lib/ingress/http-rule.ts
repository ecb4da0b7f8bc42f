import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInteger } from '../mesh/checks';
import { MeshError } from '../mesh/errors';
import { resolveService } from '../mesh/service-target';
import { checkRequestMatch, RequestMatch } from '../request-match';
import { BackendIntent, CorsIntent, HttpRuleIntent } from './http-rules';

/** A backend of an `HttpRule`: a Service port, optionally weighted. */
export interface HttpBackend {
  /** Service name. */
  readonly name: string;
  /**
   * Service namespace. Gateway API: a backend in another namespace than the route gets a ReferenceGrant.
   *
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /** Service port. */
  readonly port: number;
  /**
   * Relative weight (0..1000000) among the rule's backends. Trap: weights are relative, not percent.
   *
   * @default 1 (when the rule has several backends)
   */
  readonly weight?: number;
}

/** Options of `HttpRule.redirect()`. */
export interface HttpRedirectOptions {
  /**
   * The new path (the whole path is replaced).
   *
   * @default - the request's path
   */
  readonly path?: string;
  /**
   * Status code: 301, 302, 303, 307 or 308.
   *
   * @default 302
   */
  readonly statusCode?: number;
  /**
   * The new scheme (`http` or `https`).
   *
   * @default - the request's scheme
   */
  readonly scheme?: string;
  /**
   * The new hostname.
   *
   * @default - the request's hostname
   */
  readonly hostname?: string;
  /**
   * The new port.
   *
   * @default - the request's port (or the scheme's well-known port when the scheme changes)
   */
  readonly port?: number;
}

/** Options of `HttpRule.respond()`. */
export interface HttpRespondOptions {
  /** HTTP status (200..599). */
  readonly status: number;
  /**
   * Response body (Istio API only).
   *
   * @default - no body
   */
  readonly body?: string;
}

/** CORS policy of an `HttpRouter` (applied to every rule that forwards to a backend). */
export interface CorsOptions {
  /** Allowed origins: `https://app.example.com`, `https://*.example.com` or `*`. */
  readonly allowOrigins: string[];
  /**
   * Allowed methods (`GET`, `POST`, ... or `*`).
   *
   * @default - the CORS-safelisted methods only
   */
  readonly allowMethods?: string[];
  /**
   * Allowed request headers.
   *
   * @default - none beyond the CORS-safelisted headers
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers the browser may read.
   *
   * @default - none beyond the CORS-safelisted headers
   */
  readonly exposeHeaders?: string[];
  /**
   * How long the browser caches a preflight response (whole seconds for Gateway API).
   *
   * @default - the implementation's default (5 seconds for Gateway API)
   */
  readonly maxAge?: Duration;
  /**
   * Whether the request may carry credentials (cookies, authorization).
   *
   * @default - not set (false)
   */
  readonly allowCredentials?: boolean;
}

/**
 * One rule of an `HttpRouter`: what it matches (`HttpRule.match(...)`, or `HttpRule.default()` for
 * every request) and exactly one action: `to()` backends, `redirect()` or `respond()`. `to()`
 * rules may also `rewritePath()` and `setRequestHeader()`.
 */
export class HttpRule {
  /** A rule for requests that match any of `matches` (ORed; conditions inside one match are ANDed). */
  public static match(...matches: RequestMatch[]): HttpRule {
    return new HttpRule([...matches]);
  }

  /** The catch-all rule: every request no other rule matches (always last on Istio). */
  public static default(): HttpRule {
    return new HttpRule([]);
  }

  /** The matches. */
  public readonly matches: RequestMatch[];
  private backends?: HttpBackend[];
  private redirectTo?: HttpRedirectOptions;
  private response?: HttpRespondOptions;
  private rewrite?: string;
  private readonly headers: Record<string, string> = {};
  private readonly actions: string[] = [];

  private constructor(matches: RequestMatch[]) {
    this.matches = matches;
  }

  /** Forwards to `backends` (weighted when several). */
  public to(...backends: HttpBackend[]): HttpRule {
    this.actions.push('to()');
    this.backends = [...backends];
    return this;
  }

  /** Answers with a redirect. */
  public redirect(options: HttpRedirectOptions): HttpRule {
    this.actions.push('redirect()');
    this.redirectTo = { ...(options ?? {}) };
    return this;
  }

  /** Answers directly, without a backend. */
  public respond(options: HttpRespondOptions): HttpRule {
    this.actions.push('respond()');
    this.response = { ...(options ?? {}) } as HttpRespondOptions;
    return this;
  }

  /** Replaces the matched path prefix (or the exact path) before forwarding. */
  public rewritePath(path: string): HttpRule {
    this.rewrite = path;
    return this;
  }

  /** Sets a request header before forwarding. */
  public setRequestHeader(name: string, value: string): HttpRule {
    this.headers[name] = value;
    return this;
  }

  /**
   * Checks the rule for `scope` (prop `prop`) and returns its intent; backends default to `namespace`.
   *
   * @internal
   */
  public _intent(scope: IConstruct, prop: string, namespace: string): HttpRuleIntent {
    this.matches.forEach((m, i) => checkRequestMatch(scope, `${prop}.matches[${i}]`, m));
    if (this.actions.length !== 1) {
      throw MeshError.invalid(scope, prop, this.actions.length === 0 ? 'no action' : this.actions.join(' together with '),
        'a rule with exactly one of to(), redirect() or respond() (a rule either forwards or answers)');
    }
    if (this.rewrite !== undefined && !this.backends) {
      throw MeshError.invalid(scope, `${prop}.rewritePath`, this.rewrite, `unset on a ${this.actions[0]} rule (only a forwarded request is rewritten; redirect({ path }) sets the new path)`);
    }
    if (Object.keys(this.headers).length > 0 && !this.backends) {
      throw MeshError.invalid(scope, `${prop}.setRequestHeader`, this.headers, `unset on a ${this.actions[0]} rule (only a forwarded request carries headers)`);
    }
    if (this.rewrite !== undefined && (typeof this.rewrite !== 'string' || !this.rewrite.startsWith('/'))) {
      throw MeshError.invalid(scope, `${prop}.rewritePath`, this.rewrite, 'a path starting with "/"');
    }
    for (const [k, v] of Object.entries(this.headers)) {
      if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(k)) throw MeshError.invalid(scope, `${prop}.setRequestHeader name`, k, 'an HTTP header name (RFC 7230 token)');
      if (typeof v !== 'string') throw MeshError.invalid(scope, `${prop}.setRequestHeader("${k}")`, v, 'a string');
    }
    const base = { owner: scope, prop, matches: this.matches, rewritePath: this.rewrite, setRequestHeaders: { ...this.headers } };
    if (this.backends) return { ...base, to: this.checkBackends(scope, prop, namespace) };
    if (this.redirectTo) return { ...base, redirect: this.checkRedirect(scope, prop) };
    const r = this.response!;
    checkInteger(scope, `${prop}.respond.status`, r.status, 200, 599);
    if (r.body !== undefined && typeof r.body !== 'string') throw MeshError.invalid(scope, `${prop}.respond.body`, r.body, 'a string');
    return { ...base, respond: { status: r.status, body: r.body } };
  }

  private checkBackends(scope: IConstruct, prop: string, namespace: string): BackendIntent[] {
    const bs = this.backends!;
    if (bs.length === 0 || bs.length > 16) throw MeshError.invalid(scope, `${prop}.to`, bs, '1..16 backends');
    const weighted = bs.some(b => b?.weight !== undefined);
    return bs.map((b, i) => {
      const s = resolveService(scope, `${prop}.to[${i}]`, { name: b?.name, namespace: b?.namespace ?? namespace, port: b?.port } as never);
      const weight = bs.length === 1 && b.weight === undefined ? undefined
        : checkInteger(scope, `${prop}.to[${i}].weight`, b.weight ?? 1, 0, 1_000_000);
      return { name: s.name, namespace: s.namespace, port: s.port, ...(weighted || bs.length > 1 ? { weight } : {}) };
    });
  }

  private checkRedirect(scope: IConstruct, prop: string): NonNullable<HttpRuleIntent['redirect']> {
    const r = this.redirectTo!;
    const statusCode = r.statusCode ?? 302;
    if (![301, 302, 303, 307, 308].includes(statusCode)) {
      throw MeshError.invalid(scope, `${prop}.redirect.statusCode`, statusCode, 'one of 301, 302, 303, 307, 308');
    }
    if (r.path !== undefined && (typeof r.path !== 'string' || !r.path.startsWith('/'))) {
      throw MeshError.invalid(scope, `${prop}.redirect.path`, r.path, 'a path starting with "/"');
    }
    if (r.scheme !== undefined && r.scheme !== 'http' && r.scheme !== 'https') throw MeshError.invalid(scope, `${prop}.redirect.scheme`, r.scheme, '"http" or "https"');
    if (r.port !== undefined) checkInteger(scope, `${prop}.redirect.port`, r.port, 1, 65535);
    return { path: r.path, statusCode, scheme: r.scheme, hostname: r.hostname, port: r.port };
  }
}

const ORIGIN = /^(\*|https?:\/\/((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:[0-9]{1,5})?)$/;

/** Checks CORS options into an intent. */
export function checkCors(scope: IConstruct, cors: CorsOptions): CorsIntent {
  if (cors === null || typeof cors !== 'object' || !Array.isArray(cors.allowOrigins) || cors.allowOrigins.length === 0) {
    throw MeshError.invalid(scope, 'cors.allowOrigins', cors?.allowOrigins, 'a non-empty list of origins');
  }
  cors.allowOrigins.forEach((o, i) => {
    if (typeof o !== 'string' || !ORIGIN.test(o)) throw MeshError.invalid(scope, `cors.allowOrigins[${i}]`, o, 'an origin "http(s)://host[:port]" (host may start with "*."), or "*"');
  });
  if (cors.allowOrigins.includes('*') && cors.allowOrigins.length > 1) {
    throw MeshError.invalid(scope, 'cors.allowOrigins', cors.allowOrigins, '"*" alone or a list of origins without "*"');
  }
  const list = (k: 'allowMethods' | 'allowHeaders' | 'exposeHeaders') => {
    const v = cors[k] ?? [];
    if (!Array.isArray(v) || v.some(x => typeof x !== 'string' || x === '')) throw MeshError.invalid(scope, `cors.${k}`, v, 'a list of non-empty strings');
    return [...v];
  };
  if (cors.allowCredentials !== undefined && typeof cors.allowCredentials !== 'boolean') {
    throw MeshError.invalid(scope, 'cors.allowCredentials', cors.allowCredentials, 'true or false');
  }
  return {
    owner: scope, allowOrigins: [...cors.allowOrigins], allowMethods: list('allowMethods'), allowHeaders: list('allowHeaders'),
    exposeHeaders: list('exposeHeaders'), maxAge: cors.maxAge, allowCredentials: cors.allowCredentials,
  };
}
