import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { formatDiagnostic, validateManifests } from '../validation';
import { describeConstruct, MeshError } from './errors';
import { NamespaceInfo } from './dataplane';

const CONTEXTS = new WeakMap<IConstruct, MeshContext>();

/**
 * A host that workloads of a namespace call outside their own namespace: an external API
 * (registered by `ExternalApi`) or a namespace that admits them (`ZeroTrustNamespace.allow()`,
 * host `*`).
 */
export interface ExternalHost {
  /** The DNS name, e.g. `api.stripe.com`, or `*` for every host of `namespace`. */
  readonly host: string;
  /** Namespace of the ServiceEntry (and of the egress gateway objects, if any). */
  readonly namespace: string;
  /** The construct that declared it. */
  readonly construct: IConstruct;
}

/** A warning (or informational note) raised by a construct. */
export interface MeshWarning {
  /** Construct path the warning is about. */
  readonly path: string;
  /** The warning, starting with the construct type and path. */
  readonly message: string;
}

/**
 * App-wide state of cdk8s-istio: the namespaces declared by namespace constructs, state shared by
 * constructs that target the same service, warnings, and the validation that runs at synth.
 *
 * Created on first use for the App of a construct. Creating it registers one validation on the
 * App: at `app.synth()` (and `Testing.synth`) every `ApiObject` of the App, the library's and the
 * user's raw ones, is validated (schema + CEL, admission semantics, cross-resource analysis);
 * errors fail synth before any file is written, warnings are printed once.
 */
export class MeshContext {
  /** The context of the App that contains `scope`; created (and validation registered) on first use. */
  public static of(scope: IConstruct): MeshContext {
    const root = scope.node.root;
    let ctx = CONTEXTS.get(root);
    if (!ctx) {
      ctx = new MeshContext(root);
      CONTEXTS.set(root, ctx);
    }
    return ctx;
  }

  /**
   * Validate every object at synth.
   *
   * @default true
   */
  public validate = true;

  /**
   * Treat references to objects that are not in the App as errors instead of infos.
   *
   * @default false
   */
  public strict = false;

  /**
   * The Gateway API release channel the cluster's CRDs come from. Constructs that emit
   * experimental-channel fields (an explicit opt-in) set it to `experimental`, so that validation
   * accepts those fields.
   *
   * @default 'standard'
   */
  public gatewayApiChannel: 'standard' | 'experimental' = 'standard';

  /**
   * The mesh's root namespace (meshConfig `rootNamespace`): policies there apply to every
   * namespace, so namespace constructs refuse it.
   *
   * @default 'istio-system'
   */
  public rootNamespace = 'istio-system';

  private readonly namespaces = new Map<string, NamespaceInfo>();
  private readonly external = new Map<string, ExternalHost[]>();
  private readonly sharedState = new Map<string, unknown>();
  private readonly warningList: MeshWarning[] = [];
  private readonly infoList: MeshWarning[] = [];
  private readonly printed = new Set<string>();
  private readonly synthSteps: Array<() => void> = [];
  private readonly checks: Array<{ readonly construct: IConstruct; readonly check: () => readonly string[] | void }> = [];
  private lastRun?: { readonly key: string; readonly errors: string[] };
  private readonly renderedObjects: ApiObject[] = [];

  private constructor(private readonly root: IConstruct) {
    // cdk8s prefixes each error of a validation with the path of its construct: `[]` for the App.
    // The lines name their own paths, so the App's validation throws the list itself.
    root.node.addValidation({
      validate: () => {
        const errors = this.validateApp();
        if (errors.length > 0) throw new SynthError(root, errors);
        return [];
      },
    });
  }

  /** Warnings raised so far, by constructs and by the last validation. */
  public get warnings(): readonly MeshWarning[] {
    return this.warningList;
  }

  /** Records a warning about `scope`; it is printed once at synth. */
  public warn(scope: IConstruct, message: string): void {
    const text = `${describeConstruct(scope)}: ${message}`;
    if (!this.warningList.some(w => w.message === text)) {
      this.warningList.push({ path: scope.node.path, message: text });
    }
  }

  /**
   * Records an informational note about `scope` (an implicit behaviour worth knowing, not a
   * problem). Notes are not printed; read them from `infos`.
   */
  public info(scope: IConstruct, message: string): void {
    const text = `${describeConstruct(scope)}: ${message}`;
    if (!this.infoList.some(w => w.message === text)) {
      this.infoList.push({ path: scope.node.path, message: text });
    }
  }

  /** Informational notes raised so far. */
  public get infos(): readonly MeshWarning[] {
    return this.infoList;
  }

  /**
   * Declares a namespace. A namespace has one declaring construct: a second one is an error
   * naming both (compose `ZeroTrustNamespace` with `AmbientNamespace` instead).
   */
  public registerNamespace(info: NamespaceInfo): void {
    const existing = this.namespaces.get(info.name);
    if (existing && existing.construct !== info.construct) {
      throw new MeshError(info.construct,
        `namespace "${info.name}" is already declared by ${describeConstruct(existing.construct)}; a namespace is declared once`);
    }
    this.namespaces.set(info.name, info);
  }

  /** What is known about namespace `name`, if a namespace construct declares it. */
  public namespace(name: string): NamespaceInfo | undefined {
    return this.namespaces.get(name);
  }

  /** All declared namespaces, in declaration order. */
  public get declaredNamespaces(): readonly NamespaceInfo[] {
    return [...this.namespaces.values()];
  }

  /**
   * Records that workloads in `namespace` call `host` (an `ExternalApi`, or another namespace that
   * admits them), so that egress scoping of that namespace (a `Sidecar`) can list it.
   */
  public registerExternalHost(namespace: string, host: ExternalHost): void {
    const list = this.external.get(namespace) ?? [];
    list.push(host);
    this.external.set(namespace, list);
  }

  /** External hosts declared for `namespace`, in declaration order. */
  public externalHosts(namespace: string): readonly ExternalHost[] {
    return this.external.get(namespace) ?? [];
  }

  /**
   * State shared by all constructs of the App under one key (for example, everything that
   * targets one service host): created by `create` on first request.
   */
  public shared<T>(key: string, create: () => T): T {
    if (!this.sharedState.has(key)) {
      this.sharedState.set(key, create());
    }
    return this.sharedState.get(key) as T;
  }

  /**
   * Registers a step that runs at synth, before the App's objects are collected for validation
   * and rendering: constructs whose objects depend on the whole App (for example on the dataplane
   * of a namespace declared later) create them here. Steps run in registration order on every
   * synth and must be idempotent.
   */
  public onSynth(step: () => void): void {
    this.synthSteps.push(step);
  }

  /**
   * Registers a whole-App check of `construct` (use it instead of `node.addValidation`): it runs
   * at synth after the synth steps and before any object is rendered, once per synth (cdk8s runs
   * `node.addValidation` checks again for every Chart it writes). Return the problems as messages,
   * or throw a MeshError; each is reported with the construct's path and fails synth.
   */
  public addSynthCheck(construct: IConstruct, check: () => readonly string[] | void): void {
    this.checks.push({ construct, check });
  }

  /**
   * Renders and validates every ApiObject of the App; returns the error lines for cdk8s (empty if
   * valid). An object whose rendering throws (a construct that finds, at synth, that its intent
   * cannot be met) is reported as an error line with its message, like a failed diagnostic.
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
  private validateApp(): string[] {
    if (this.lastRun && this.lastRun.key === this.runKey(countConstructs(this.root))) {
      return this.lastRun.errors;
    }
    this.releaseRenderings();
    for (const step of this.synthSteps) step();
    const all = this.root.node.findAll();
    const objects = all.filter((c): c is ApiObject => ApiObject.isApiObject(c));
    const key = this.runKey(all.length);
    const errors = new Set<string>();
    for (const { construct, check } of this.checks) {
      try {
        for (const message of check() ?? []) errors.add(located(construct, message));
      } catch (e) {
        errors.add(located(construct, e instanceof Error ? e.message : String(e)));
      }
    }
    // Objects are rendered only once the constructs' own checks pass: a construct whose intent
    // cannot be met would otherwise fail again, less clearly, while rendering.
    if (this.validate && errors.size === 0) {
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
      for (const d of validateManifests(docs, { strict: this.strict, gatewayApiChannel: this.gatewayApiChannel })) {
        const where = d.index !== undefined ? rendered[d.index].node.path : this.root.node.path;
        const line = `[${where}] ${formatDiagnostic({ ...d, index: undefined })}`;
        if (d.severity === 'error') {
          errors.add(line);
        } else if (d.severity === 'warning') {
          this.print(line);
        }
      }
      rendered.forEach((o, i) => {
        const doc = docs[i];
        Object.defineProperty(o, 'toJson', { value: () => doc, configurable: true, writable: true });
        this.renderedObjects.push(o);
      });
    }
    // After rendering: constructs may raise warnings while they render.
    for (const w of this.warningList) this.print(w.message);
    const run = { key, errors: [...errors] };
    this.lastRun = run;
    queueMicrotask(() => {
      if (this.lastRun === run) {
        this.lastRun = undefined;
        this.releaseRenderings();
      }
    });
    return run.errors;
  }

  /** The cache key of a validation run over an App of `constructs` constructs. */
  private runKey(constructs: number): string {
    return `${constructs}|${this.validate}|${this.strict}|${this.gatewayApiChannel}`;
  }

  /** Gives the objects validated by the last run their own `toJson()` back. */
  private releaseRenderings(): void {
    for (const o of this.renderedObjects) delete (o as { toJson?: unknown }).toJson;
    this.renderedObjects.length = 0;
  }

  private print(line: string): void {
    if (!this.printed.has(line)) {
      this.printed.add(line);
      console.warn(`[cdk8s-istio] warning: ${line}`);
    }
  }
}

/** A failed synth: `Validation failed with the following errors:` and one line per problem. */
class SynthError extends MeshError {
  public constructor(root: IConstruct, lines: readonly string[]) {
    super(root, '');
    this.message = `Validation failed with the following errors:\n  ${lines.join('\n  ')}`;
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A problem of `construct`, naming its path once: messages that start with it keep their text. */
function located(construct: IConstruct, message: string): string {
  return message.startsWith(`${describeConstruct(construct)}:`) ? message : `[${construct.node.path}] ${message}`;
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

/** The message of a rendering failure, without cdk8s's "Failed serializing construct" wrapper. */
function renderFailure(obj: ApiObject, e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const inner = text.replace(/^Failed serializing construct at path '[^']*' with name '[^']*': (\w*Error: )?/, '');
  // MeshError messages already start with the construct type and path.
  return /^\w+ \S+: /.test(inner) ? inner : `[${obj.node.path}] ${inner}`;
}
