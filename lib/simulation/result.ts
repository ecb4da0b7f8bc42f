import { Step } from './security';
import { Decision, RouteResult } from './types';

/** What a SimulationResult is made of. */
interface SimulationResultInit {
  decision: Decision;
  steps: readonly Step[];
  route?: RouteResult;
  unknown?: string;
  assumptions: string[];
  lines: string[];
}

/** The answer to one simulated request. */
export class SimulationResult {
  /** True when every enforcement point on the way lets the request through (false when `unknown`). */
  public readonly allowed: boolean;
  /** The deciding step: the first that denies, else the destination's (the waypoint when one was traversed). */
  public readonly decision: Decision;
  /** Every enforcement step in order (gateway, waypoint, sidecar or ztunnel). */
  public readonly decisions: Decision[];
  /** Where the request goes; undefined when no route rule matches (HTTP 404). */
  public readonly route?: RouteResult;
  /** Why the outcome cannot be known from the set (a CUSTOM authorizer, an unknown host), when it cannot. */
  public readonly unknown?: string;
  /** What the simulator had to assume because the set does not say it. */
  public readonly assumptions: string[];
  private readonly lines: string[];

  /** @internal */
  public static _of(init: SimulationResultInit): SimulationResult {
    return new SimulationResult(init);
  }

  private constructor(init: SimulationResultInit) {
    this.decision = init.decision;
    this.decisions = init.steps.map(s => s.decision);
    this.route = init.route;
    this.unknown = init.unknown;
    this.assumptions = [...init.assumptions];
    this.allowed = init.unknown === undefined && init.steps.every(s => s.unknown === undefined
      && (s.decision.action === 'ALLOW' || s.decision.action === 'DEFAULT_ALLOW'));
    this.lines = init.lines;
  }

  /**
   * A multi-line account: the route rule matched and why, each enforcement point with the policies
   * considered in order, assumptions and the verdict.
   */
  public explain(): string {
    return this.lines.join('\n');
  }

  /** A plain JSON view (for the CLI's `--format json`). */
  public toJSON(): object {
    return {
      allowed: this.allowed,
      decision: this.decision,
      decisions: this.decisions,
      ...(this.route ? { route: this.route } : { route: null }),
      ...(this.unknown ? { unknown: this.unknown } : {}),
      ...(this.assumptions.length ? { assumptions: this.assumptions } : {}),
    };
  }
}
