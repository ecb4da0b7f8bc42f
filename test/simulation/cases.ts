import { SimulationRequest } from '../../lib';

/** One corpus case: manifests, a request and the expected outcome, with the page or source it follows. */
export interface SimCase {
  readonly name: string;
  /** Istio / Gateway API doc page or upstream source the expectation follows. */
  readonly source: string;
  /** Set when the tutorial intuition is wrong: what people expect instead. */
  readonly intuition?: string;
  readonly docs: object[];
  readonly request: SimulationRequest;
  readonly expect: {
    readonly allowed: boolean;
    readonly action?: string;
    readonly policy?: string;
    readonly rule?: number;
    readonly enforcedAt?: string;
    /** Substring of `unknown`. */
    readonly unknown?: string;
    /** Route: resource and rule. */
    readonly route?: { readonly resource: string; readonly rule?: number } | null;
    /** Backends as `host|subset|percent`. */
    readonly backends?: string[];
    readonly retries?: object;
    readonly timeoutMs?: number | null;
    readonly mirror?: object;
    readonly redirect?: object;
    readonly rewrite?: object;
    readonly directResponse?: object;
  };
}
