import { IConstruct } from 'constructs';
import { GatewayApiChannel } from '../validation/options';
import { AppRuntime } from './runtime';
import { MeshWarning } from './types';

const FACES = new WeakMap<AppRuntime, MeshContext>();

/**
 * The App-wide settings and findings of cdk8s-istio: the one place where validation, strictness
 * and the Gateway API channel are set, and where warnings and notes are read.
 *
 * At `app.synth()` (and `Testing.synth`) every `ApiObject` of the App, the library's and the
 * user's raw ones, is validated (schema + CEL, admission semantics, cross-resource analysis);
 * errors fail synth before any file is written, warnings are printed once. Constructs never change
 * these settings: a construct that emits experimental-channel fields fails synth, with the reason,
 * unless `gatewayApiChannel` is `EXPERIMENTAL`.
 */
export class MeshContext {
  /** The context of the App that contains `scope`. */
  public static of(scope: IConstruct): MeshContext {
    const runtime = AppRuntime.of(scope);
    let face = FACES.get(runtime);
    if (!face) {
      face = new MeshContext(runtime);
      FACES.set(runtime, face);
    }
    return face;
  }

  private constructor(private readonly runtime: AppRuntime) {}

  /**
   * Validate every object at synth.
   *
   * @default true
   */
  public get validate(): boolean {
    return this.runtime.settings.validate;
  }

  /** Switches validation at synth on or off. */
  public set validate(value: boolean) {
    this.runtime.settings.validate = value;
  }

  /**
   * Treat references to objects that are not in the App as errors instead of infos.
   *
   * @default false
   */
  public get strict(): boolean {
    return this.runtime.settings.strict;
  }

  /** Makes references outside the App errors (true) or infos (false). */
  public set strict(value: boolean) {
    this.runtime.settings.strict = value;
  }

  /**
   * The Gateway API release channel the cluster's CRDs come from. `EXPERIMENTAL` lets constructs
   * emit experimental-channel fields (HTTPRoute `retry` for Gateway API retries) and validates
   * them; with `STANDARD` such constructs fail synth.
   *
   * @default GatewayApiChannel.STANDARD
   */
  public get gatewayApiChannel(): GatewayApiChannel {
    return this.runtime.settings.gatewayApiChannel;
  }

  /** Sets the channel of the cluster's Gateway API CRDs, for the whole App. */
  public set gatewayApiChannel(value: GatewayApiChannel) {
    this.runtime.settings.gatewayApiChannel = value;
  }

  /**
   * The mesh's root namespace (meshConfig `rootNamespace`): policies there apply to every
   * namespace, so namespace constructs refuse it.
   *
   * @default 'istio-system'
   */
  public get rootNamespace(): string {
    return this.runtime.settings.rootNamespace;
  }

  /** Sets the mesh's root namespace, for the whole App. */
  public set rootNamespace(value: string) {
    this.runtime.settings.rootNamespace = value;
  }

  /** Warnings raised so far, by constructs and by the last validation. */
  public get warnings(): MeshWarning[] {
    return [...this.runtime.warnings];
  }

  /** Informational notes raised so far (implicit behaviours worth knowing; not printed). */
  public get infos(): MeshWarning[] {
    return [...this.runtime.infos];
  }
}
