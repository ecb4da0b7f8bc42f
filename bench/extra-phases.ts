import { SIMULATE_PHASE } from './simulate-phase';

// The hook for phases that live in their own module (e.g. the simulator's). Add a phase to
// EXTRA_PHASES: `npm run bench` runs each one in a fresh process on the bench mesh of
// `services` services (default 1,000) and reports its figures in the table, in `--json` (under
// `extra.<name>`) and in BENCHMARKS.md.

/** What an extra phase gets: the bench mesh's synthesized documents. */
export interface ExtraPhaseInput {
  /** Services in the mesh. */
  readonly services: number;
  /** The synthesized documents (all charts, in order). */
  readonly docs: readonly unknown[];
}

/** A phase of the bench defined in its own module. */
export interface ExtraPhase {
  /** Short name, used on the command line (`--phases`) and as the JSON key. */
  readonly name: string;
  /** One line for the report: what is measured. */
  readonly description: string;
  /** Mesh size to run on. @default 1000 */
  readonly services?: number;
  /** Runs the phase; returns its figures (name → number), e.g. `{ requests: 10000, requestsPerSecond: 52000 }`. */
  readonly run: (input: ExtraPhaseInput) => Record<string, number>;
}

/** Extra phases, in reporting order. */
export const EXTRA_PHASES: ExtraPhase[] = [SIMULATE_PHASE];
