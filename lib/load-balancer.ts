import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInteger } from './mesh/checks';
import { formatMillis } from './mesh/duration';
import { MeshError } from './mesh/errors';

/** Envoy's upper bound for a Maglev table size (which must also be prime). */
export const MAGLEV_MAX_TABLE_SIZE = 5_000_011;
/** Envoy's upper bound for a ring hash's minimum ring size. */
export const RING_HASH_MAX_SIZE = 8_388_608;

/**
 * Options of a consistent-hash load balancer: the hashing algorithm's table size. Set at most one.
 */
export interface ConsistentHashOptions {
  /**
   * Use Maglev with this table size: a prime number up to 5000011 (Envoy rejects other sizes).
   *
   * @default - Istio's default algorithm (ring hash, or Maglev when meshConfig says so) and size
   */
  readonly maglevTableSize?: number;
  /**
   * Use a ring hash with at least this many virtual nodes (1..8388608).
   *
   * @default - Istio's default algorithm and size (1024 for a ring hash)
   */
  readonly ringSize?: number;
}

/** Options of a cookie-based consistent hash. */
export interface CookieHashOptions extends ConsistentHashOptions {
  /**
   * Lifetime of the cookie that the proxy generates when the request has none; `Duration.seconds(0)`
   * makes it a session cookie.
   *
   * @default - no cookie is generated; requests without the cookie are spread by the hash of nothing
   */
  readonly ttl?: Duration;
  /**
   * Path of the generated cookie.
   *
   * @default - no path attribute
   */
  readonly path?: string;
}

type Render = (scope: IConstruct, prop: string) => Record<string, unknown>;

/**
 * How requests are spread over the endpoints of a service (Istio `trafficPolicy.loadBalancer`,
 * rendered into the DestinationRule for both targets).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings
 */
export class LoadBalancer {
  /** Round robin over healthy endpoints. */
  public static roundRobin(): LoadBalancer {
    return new LoadBalancer('ROUND_ROBIN', () => ({ simple: 'ROUND_ROBIN' }));
  }

  /** Least request (power of two choices): Istio's default and usually the best choice. */
  public static leastRequest(): LoadBalancer {
    return new LoadBalancer('LEAST_REQUEST', () => ({ simple: 'LEAST_REQUEST' }));
  }

  /** A random endpoint. */
  public static random(): LoadBalancer {
    return new LoadBalancer('RANDOM', () => ({ simple: 'RANDOM' }));
  }

  /** @internal A consistent-hash load balancer keyed by `key` (use `ConsistentHash`). */
  public static _hashed(options: ConsistentHashOptions, key: Render): LoadBalancer {
    return new LoadBalancer('CONSISTENT_HASH', (scope, prop) => {
      const hash: Record<string, unknown> = { ...key(scope, prop) };
      const opts = options ?? {};
      if (opts.maglevTableSize !== undefined && opts.ringSize !== undefined) {
        throw new MeshError(scope, `${prop}: set maglevTableSize or ringSize, not both (they select different hashing algorithms)`);
      }
      if (opts.maglevTableSize !== undefined) {
        const size = checkInteger(scope, `${prop}.maglevTableSize`, opts.maglevTableSize, 2, MAGLEV_MAX_TABLE_SIZE);
        if (!isPrime(size)) {
          throw MeshError.invalid(scope, `${prop}.maglevTableSize`, size, `a prime number up to ${MAGLEV_MAX_TABLE_SIZE} (e.g. 65537)`);
        }
        hash.maglev = { tableSize: size };
      }
      if (opts.ringSize !== undefined) {
        hash.ringHash = { minimumRingSize: checkInteger(scope, `${prop}.ringSize`, opts.ringSize, 1, RING_HASH_MAX_SIZE) };
      }
      return { consistentHash: hash };
    });
  }

  /** The algorithm: `ROUND_ROBIN`, `LEAST_REQUEST`, `RANDOM` or `CONSISTENT_HASH`. */
  public readonly kind: string;

  private constructor(kind: string, private readonly renderFn: Render) {
    this.kind = kind;
  }

  /** Validates and renders Istio's `loadBalancer` object; throws `MeshError` naming `prop`. */
  public render(scope: IConstruct, prop: string): Record<string, unknown> {
    return this.renderFn(scope, prop);
  }
}

function requireName(scope: IConstruct, prop: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || !/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) {
    throw MeshError.invalid(scope, prop, name, 'a non-empty name (an HTTP token)');
  }
  return name;
}

function cookieTtl(scope: IConstruct, prop: string, ttl: Duration): string {
  const ms = ttl instanceof Duration ? ttl.toMilliseconds({ integral: false }) : NaN;
  if (!Number.isInteger(ms) || ms < 0) {
    throw MeshError.invalid(scope, prop, ttl, 'a cdk8s Duration of whole milliseconds, 0 or more');
  }
  return formatMillis(ms);
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) return false;
  }
  return true;
}

/**
 * Consistent-hash load balancing (session affinity): `ConsistentHash.cookie('session')`,
 * `ConsistentHash.header('x-user')`, ... Each returns a `LoadBalancer`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings-ConsistentHashLB
 */
export class ConsistentHash {
  /** Hash on a request header. */
  public static header(name: string, options: ConsistentHashOptions = {}): LoadBalancer {
    return LoadBalancer._hashed(options, (scope, prop) => ({ httpHeaderName: requireName(scope, `${prop}.consistentHash.header`, name) }));
  }

  /** Hash on a cookie (generated with `ttl` when absent). */
  public static cookie(name: string, options: CookieHashOptions = {}): LoadBalancer {
    return LoadBalancer._hashed(options, (scope, prop) => {
      const cookie: Record<string, unknown> = { name: requireName(scope, `${prop}.consistentHash.cookie`, name) };
      if (options.path !== undefined) {
        if (typeof options.path !== 'string' || !options.path.startsWith('/')) {
          throw MeshError.invalid(scope, `${prop}.consistentHash.cookie.path`, options.path, 'a path starting with "/"');
        }
        cookie.path = options.path;
      }
      if (options.ttl !== undefined) cookie.ttl = cookieTtl(scope, `${prop}.consistentHash.cookie.ttl`, options.ttl);
      return { httpCookie: cookie };
    });
  }

  /** Hash on the client's source IP. */
  public static sourceIp(options: ConsistentHashOptions = {}): LoadBalancer {
    return LoadBalancer._hashed(options, () => ({ useSourceIp: true }));
  }

  /** Hash on a query parameter. */
  public static queryParam(name: string, options: ConsistentHashOptions = {}): LoadBalancer {
    return LoadBalancer._hashed(options, (scope, prop) => ({ httpQueryParameterName: requireName(scope, `${prop}.consistentHash.queryParam`, name) }));
  }

  private constructor() {}
}
