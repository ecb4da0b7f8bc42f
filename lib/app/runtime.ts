import { IConstruct } from 'constructs';
import { GatewayApiChannel } from '../validation/options';
import { describeConstruct, MeshError } from '../mesh/errors';
import { INamespaceInfo } from '../mesh/dataplane';
import { runSynth, SynthError, SynthInput } from './synth';
import { AppSettings, ExternalHost, MeshWarning } from './types';

const RUNTIMES = new WeakMap<IConstruct, AppRuntime>();

/**
 * The App runtime of cdk8s-istio (internal): what constructs register (namespaces, external hosts,
 * state shared by constructs of one service), synth ordering (steps, then whole-App checks, then
 * rendering), validation of every ApiObject and reporting (warnings printed once, errors failing
 * synth). One per App, created on first use; creating it registers one validation on the App.
 *
 * Constructs talk to it; users talk to its public face, `MeshContext`.
 */
export class AppRuntime {
  /** The runtime of the App that contains `scope`; created (and validation registered) on first use. */
  public static of(scope: IConstruct): AppRuntime {
    const root = scope.node.root;
    let rt = RUNTIMES.get(root);
    if (!rt) {
      rt = new AppRuntime(root);
      RUNTIMES.set(root, rt);
    }
    return rt;
  }

  /** The App-wide settings; only `MeshContext` changes them. */
  public readonly settings: AppSettings = { validate: true, strict: false, gatewayApiChannel: GatewayApiChannel.STANDARD, rootNamespace: 'istio-system' };

  private readonly namespaces = new Map<string, INamespaceInfo>();
  private readonly external = new Map<string, ExternalHost[]>();
  private readonly sharedState = new Map<string, unknown>();
  private readonly warningList: MeshWarning[] = [];
  private readonly infoList: MeshWarning[] = [];
  private readonly input: SynthInput;

  private constructor(root: IConstruct) {
    this.input = { root, steps: [], checks: [], settings: this.settings, warnings: this.warningList, printed: new Set() };
    // cdk8s prefixes each error of a validation with the path of its construct: `[]` for the App.
    // The lines name their own paths, so the App's validation throws the list itself.
    root.node.addValidation({
      validate: () => {
        const errors = runSynth(this.input);
        if (errors.length > 0) throw new SynthError(root, errors);
        return [];
      },
    });
  }

  /** Warnings raised so far, by constructs and by the last validation. */
  public get warnings(): readonly MeshWarning[] {
    return this.warningList;
  }

  /** Informational notes raised so far. */
  public get infos(): readonly MeshWarning[] {
    return this.infoList;
  }

  /** Records a warning about `scope`; it is printed once at synth. */
  public warn(scope: IConstruct, message: string): void {
    const text = `${describeConstruct(scope)}: ${message}`;
    if (!this.warningList.some(w => w.message === text)) this.warningList.push({ path: scope.node.path, message: text });
  }

  /**
   * Records an informational note about `scope` (an implicit behaviour worth knowing, not a
   * problem). Notes are not printed; read them from `infos`.
   */
  public info(scope: IConstruct, message: string): void {
    const text = `${describeConstruct(scope)}: ${message}`;
    if (!this.infoList.some(w => w.message === text)) this.infoList.push({ path: scope.node.path, message: text });
  }

  /**
   * Declares a namespace. A namespace has one declaring construct: a second one is an error
   * naming both (compose `ZeroTrustNamespace` with `AmbientNamespace` instead).
   */
  public registerNamespace(info: INamespaceInfo): void {
    const existing = this.namespaces.get(info.name);
    if (existing && existing.construct !== info.construct) {
      throw new MeshError(info.construct,
        `namespace "${info.name}" is already declared by ${describeConstruct(existing.construct)}; a namespace is declared once`);
    }
    this.namespaces.set(info.name, info);
  }

  /** What is known about namespace `name`, if a namespace construct declares it. */
  public namespace(name: string): INamespaceInfo | undefined {
    return this.namespaces.get(name);
  }

  /** All declared namespaces, in declaration order. */
  public get declaredNamespaces(): readonly INamespaceInfo[] {
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
    if (!this.sharedState.has(key)) this.sharedState.set(key, create());
    return this.sharedState.get(key) as T;
  }

  /**
   * Registers a step that runs at synth, before the App's objects are collected for validation
   * and rendering: constructs whose objects depend on the whole App (for example on the dataplane
   * of a namespace declared later) create them here. Steps run in registration order on every
   * synth and must be idempotent.
   */
  public onSynth(step: () => void): void {
    this.input.steps.push(step);
  }

  /**
   * Registers a whole-App check of `construct` (use it instead of `node.addValidation`): it runs
   * at synth after the synth steps and before any object is rendered, once per synth (cdk8s runs
   * `node.addValidation` checks again for every Chart it writes). Return the problems as messages,
   * or throw a MeshError; each is reported with the construct's path and fails synth.
   */
  public addSynthCheck(construct: IConstruct, check: () => readonly string[] | void): void {
    this.input.checks.push({ construct, check });
  }

  /**
   * Declares that `construct` emits Gateway API experimental-channel fields: synth fails with
   * `experimentalChannelProblem(what, alternative)` unless the App's channel is experimental.
   * Constructs never change the channel.
   */
  public requireExperimentalChannel(construct: IConstruct, what: string, alternative: string): void {
    this.addSynthCheck(construct, () => this.settings.gatewayApiChannel === GatewayApiChannel.EXPERIMENTAL
      ? [] : [`${describeConstruct(construct)}: ${experimentalChannelProblem(what, alternative)}`]);
  }

}

/** Why `what` (experimental-channel fields) fails on an App that targets the standard channel, and the fixes. */
export function experimentalChannelProblem(what: string, alternative: string): string {
  return `${what}, which is Gateway API experimental-channel only, but the App targets the standard channel (whose CRDs drop it silently); `
    + `install the experimental-channel CRDs and set MeshContext.of(app).gatewayApiChannel = GatewayApiChannel.EXPERIMENTAL, or ${alternative}`;
}
