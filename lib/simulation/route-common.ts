import { HostTarget } from './hosts';
import { RouteResult } from './types';

/** Istio's retry policy for a route without `retries` (pilot/pkg/networking/core/route/retry/retry.go, 1.30.3). */
export const DEFAULT_RETRIES = { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' } as const;

/** A matched rule: the route result and why it matched. */
export type RouteRule = RouteResult & { readonly why: string };

const UNIT: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds of a duration (`1.5s`, `500ms`, `1m30s`); undefined when it does not parse. */
export function millis(d: unknown): number | undefined {
  if (typeof d !== 'string') return undefined;
  let total = 0;
  let rest = d.trim();
  if (rest === '') return undefined;
  while (rest) {
    const m = /^([0-9]+(?:\.[0-9]+)?)(ms|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}

/** A backend the route sends to, resolved for authorization. */
export interface RoutedBackend {
  readonly target: HostTarget;
  readonly port?: number;
  readonly subset?: string;
  /** Labels of the subset (empty without a subset). */
  readonly subsetLabels: Record<string, string>;
}

/** The routing outcome. */
export interface Routed {
  readonly route?: RouteResult;
  readonly backends: RoutedBackend[];
  readonly trace: string[];
  readonly unknown?: string;
  readonly noRouteReason?: string;
  /** The host the caller addressed inside the mesh (its waypoint and targetRefs policies apply), when not via a gateway. */
  readonly addressed?: HostTarget;
}

