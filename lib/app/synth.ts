import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { formatDiagnostic, validateManifests } from '../validation';
import { describeConstruct, MeshError } from '../mesh/errors';
import { forgetAppObjects } from '../mesh/app-objects';
import { isGenerated } from '../mesh/generated';
import type { AppSettings, MeshWarning } from './types';

/** What one synth works on: the App, what constructs registered, the settings and the reporting state. */
export interface SynthInput {
  readonly root: IConstruct;
  readonly steps: Array<() => void>;
  readonly checks: Array<{ readonly construct: IConstruct; readonly check: () => readonly string[] | void }>;
  readonly settings: AppSettings;
  readonly warnings: readonly MeshWarning[];
  readonly printed: Set<string>;
}

/** A failed synth: `Validation failed with the following errors:` and one line per problem. */
export class SynthError extends MeshError {
  public constructor(root: IConstruct, lines: readonly string[]) {
    super(root, `Validation failed with the following errors:\n  ${lines.join('\n  ')}`);
  }
}

interface SynthState {
  lastRun?: { readonly key: string; readonly errors: string[] };
  readonly renderedObjects: ApiObject[];
}

const STATE = new WeakMap<SynthInput, SynthState>();

/**
 * One synth of the App, in order: the synth steps, the whole-App checks, then (only when the
 * checks pass) rendering every ApiObject once and validating the rendered documents; warnings
 * are printed once. Returns the error lines (empty if valid). An object whose rendering throws is
 * reported as an error line with its message, like a failed diagnostic.
 *
 * cdk8s validates the whole App again for every Chart it writes (`chart.toJson()` re-runs the
 * App's validations), so one `app.synth()` calls this once per Chart plus once. The result is
 * therefore reused until the current synchronous synth ends (a microtask), as long as the App
 * holds the same constructs; a later synth, or one after constructs were added, validates afresh.
 * That check comes first: a reused result costs one count of the App's constructs, no synth
 * steps and no rendering.
 *
 * The JSON validated is the JSON written: until the synth ends, each validated object's
 * `toJson()` returns the document that was validated, so cdk8s writes it without rendering the
 * object a second time.
 */
export function runSynth(input: SynthInput): string[] {
  const { root, settings } = input;
  let state = STATE.get(input);
  if (!state) {
    state = { renderedObjects: [] };
    STATE.set(input, state);
  }
  const st = state;
  if (st.lastRun && st.lastRun.key === runKey(settings, countConstructs(root))) return st.lastRun.errors;
  releaseRenderings(st);
  forgetAppObjects(root);
  for (const step of input.steps) step();
  // The steps may have added objects: lookups by the checks and renderers see them.
  forgetAppObjects(root);
  const all = root.node.findAll();
  const objects = all.filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const key = runKey(settings, all.length);
  const errors = new Set<string>();
  for (const { construct, check } of input.checks) {
    try {
      for (const message of check() ?? []) errors.add(located(construct, message));
    } catch (e) {
      errors.add(located(construct, e instanceof Error ? e.message : String(e)));
    }
  }
  // Objects are rendered only once the constructs' own checks pass: a construct whose intent
  // cannot be met would otherwise fail again, less clearly, while rendering.
  if (settings.validate && errors.size === 0) {
    const rendered: ApiObject[] = [];
    const docs: unknown[] = [];
    for (const o of objects) {
      try {
        docs.push(o.toJson());
        rendered.push(o);
      } catch (e) {
        errors.add(renderFailure(o, e));
      }
    }
    // Objects the library generated (per-version Services, ...) never decide whether a reference is missing (#15 item 11).
    const generated = rendered.flatMap((o, i) => (isGenerated(o) ? [i] : []));
    for (const d of validateManifests(docs, { strict: settings.strict, gatewayApiChannel: settings.gatewayApiChannel, generated })) {
      const where = d.index !== undefined ? rendered[d.index].node.path : root.node.path;
      const line = `[${where}] ${formatDiagnostic({ ...d, index: undefined })}`;
      if (d.severity === 'error') errors.add(line);
      else if (d.severity === 'warning') print(input, line);
    }
    rendered.forEach((o, i) => {
      const doc = docs[i];
      Object.defineProperty(o, 'toJson', { value: () => doc, configurable: true, writable: true });
      st.renderedObjects.push(o);
    });
  }
  // After rendering: constructs may raise warnings while they render.
  for (const w of input.warnings) print(input, w.message);
  const run = { key, errors: [...errors] };
  st.lastRun = run;
  queueMicrotask(() => {
    if (st.lastRun === run) {
      st.lastRun = undefined;
      releaseRenderings(st);
    }
  });
  return run.errors;
}

/** The cache key of a validation run over an App of `constructs` constructs. */
function runKey(settings: AppSettings, constructs: number): string {
  return `${constructs}|${settings.validate}|${settings.strict}|${settings.gatewayApiChannel}|${settings.rootNamespace}`;
}

/** Gives the objects validated by the last run their own `toJson()` back. */
function releaseRenderings(st: SynthState): void {
  for (const o of st.renderedObjects) delete (o as { toJson?: unknown }).toJson;
  st.renderedObjects.length = 0;
}

/** The number of constructs in the tree of `root` (itself included). */
function countConstructs(root: IConstruct): number {
  let count = 0;
  const stack: IConstruct[] = [root];
  for (let c = stack.pop(); c !== undefined; c = stack.pop()) {
    count++;
    stack.push(...c.node.children);
  }
  return count;
}

function print(input: SynthInput, line: string): void {
  if (!input.printed.has(line)) {
    input.printed.add(line);
    console.warn(`[cdk8s-istio] warning: ${line}`);
  }
}

/** A problem of `construct`, naming its path once: messages that start with it keep their text. */
function located(construct: IConstruct, message: string): string {
  return message.startsWith(`${describeConstruct(construct)}:`) ? message : `[${construct.node.path}] ${message}`;
}

/** The message of a rendering failure, without cdk8s's "Failed serializing construct" wrapper. */
function renderFailure(obj: ApiObject, e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const inner = text.replace(/^Failed serializing construct at path '[^']*' with name '[^']*': (\w*Error: )?/, '');
  // MeshError messages already start with the construct type and path.
  return /^\w+ \S+: /.test(inner) ? inner : `[${obj.node.path}] ${inner}`;
}
