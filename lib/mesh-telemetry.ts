import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkDns1123Label, checkDns1123Subdomain } from './mesh/checks';
import { AppRuntime } from './app/runtime';
import { MeshError } from './mesh/errors';
import { lazy } from './mesh/lazy';
import { chartNamespace } from './mesh/service-target';
import { telemetryPlacementProblem } from './observability/placement';
import { TelemetryAttachment, TelemetryIntent, telemetrySpec } from './observability/render';
import { DEFAULT_MESH_PROVIDERS } from './observability/tags';
import { PolicyTarget } from './observability/targets';
import { AccessLogOptions, checkAccessLogs, checkMetrics, checkTracing, MetricsOptions, TracingOptions } from './observability/validate';
import { checkLabelKey, checkLabelValue } from './traffic/options';

/**
 * Props of a `MeshTelemetry`. Exactly one scope: `namespace` (or the Chart's), optionally narrowed
 * by `selector` or `targetRefs`, or `meshWide: true`.
 *
 * @see https://istio.io/latest/docs/tasks/observability/telemetry/
 */
export interface MeshTelemetryProps {
  /**
   * Name of the Telemetry object.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace whose workloads (or waypoints) the Telemetry configures. Not the root namespace
   * (use `meshWide`).
   *
   * @default - the namespace of the enclosing Chart
   */
  readonly namespace?: string;
  /**
   * Configure the whole mesh: the Telemetry goes to the root namespace (`MeshContext.rootNamespace`,
   * `istio-system`). Cannot be combined with `namespace`, `selector` or `targetRefs`.
   *
   * @default false
   */
  readonly meshWide?: boolean;
  /**
   * Only the workloads with these labels (sidecar namespaces; ambient pods have no proxy that reads it).
   *
   * @default - every workload of the namespace
   */
  readonly selector?: Record<string, string>;
  /**
   * Only the proxies of these targets: a Service or ServiceEntry bound to a waypoint (ambient), or
   * a Gateway. Sidecars ignore Service targets.
   *
   * @default - every workload of the namespace
   */
  readonly targetRefs?: PolicyTarget[];
  /**
   * Tracing: the sampling percentage, provider and custom tags.
   *
   * @default - the mesh's tracing settings are unchanged
   */
  readonly tracing?: TracingOptions;
  /**
   * Access logs: provider and a CEL filter (`response.code >= 400` logs errors only).
   *
   * @default - the mesh's access log settings are unchanged
   */
  readonly accessLogs?: AccessLogOptions;
  /**
   * Metrics: provider and overrides (disable a metric, change its tags).
   *
   * @default - the mesh's metrics settings are unchanged
   */
  readonly metrics?: MetricsOptions;
  /**
   * The extension providers your MeshConfig defines (`meshConfig.extensionProviders`). A provider
   * used here that is not listed gets a warning: istiod ignores a Telemetry naming an unknown one.
   *
   * @default DEFAULT_MESH_PROVIDERS (prometheus, stackdriver, envoy: Istio's defaults)
   */
  readonly meshProviders?: string[];
}

/**
 * One Telemetry (telemetry.istio.io/v1): tracing sampling and tags, access logs with a CEL
 * filter, metric overrides, for a namespace, some workloads, a waypoint or gateway, or the mesh.
 * Placement follows the dataplane: sidecars apply `selector` and namespace-wide Telemetry,
 * waypoints apply `targetRefs` to the services bound to them, ztunnel applies none (synth fails
 * where nothing would apply it).
 */
export class MeshTelemetry extends Construct {
  /** Name of the Telemetry. */
  public readonly name: string;
  /** Namespace of the Telemetry (the root namespace when mesh-wide). */
  public readonly namespace: string;
  /** True when the Telemetry applies to the whole mesh. */
  public readonly meshWide: boolean;
  /** The emitted Telemetry. */
  public readonly telemetry: ApiObject;
  private readonly intent: TelemetryIntent;

  public constructor(scope: Construct, id: string, props: MeshTelemetryProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') throw MeshError.invalid(this, 'props', props, 'an object');
    const ctx = AppRuntime.of(this);
    if (props.meshWide !== undefined && typeof props.meshWide !== 'boolean') throw MeshError.invalid(this, 'meshWide', props.meshWide, 'true or false');
    this.meshWide = props.meshWide === true;
    this.name = checkDns1123Subdomain(this, 'name', props.name ?? id);
    this.namespace = this.resolveNamespace(props, ctx.settings.rootNamespace);
    const attachment = this.attachment(props);
    if (!props.tracing && !props.accessLogs && !props.metrics) {
      throw MeshError.invalid(this, 'props', Object.keys(props), 'at least one of tracing, accessLogs or metrics (a Telemetry without them changes nothing)');
    }
    this.intent = {
      attachment,
      ...(props.tracing ? { tracing: checkTracing(this, props.tracing) } : {}),
      ...(props.accessLogs ? { accessLogs: checkAccessLogs(this, props.accessLogs) } : {}),
      ...(props.metrics ? { metrics: checkMetrics(this, props.metrics) } : {}),
    };
    this.checkProviders(ctx, props.meshProviders ?? [...DEFAULT_MESH_PROVIDERS]);
    this.telemetry = new ApiObject(this, 'Resource', {
      apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry',
      metadata: { name: this.name, namespace: this.namespace },
      spec: lazy(() => telemetrySpec(this.intent)),
    });
    if (!this.meshWide) {
      ctx.addSynthCheck(this, () => {
        const problem = telemetryPlacementProblem(ctx.namespace(this.namespace), attachment);
        if (problem) throw new MeshError(this, problem);
      });
    }
  }

  private resolveNamespace(props: MeshTelemetryProps, root: string): string {
    if (this.meshWide) {
      if (props.namespace !== undefined) {
        throw MeshError.invalid(this, 'namespace', props.namespace, `unset with meshWide: true (a mesh-wide Telemetry lives in the root namespace "${root}")`);
      }
      for (const p of ['selector', 'targetRefs'] as const) {
        if (props[p] !== undefined) throw MeshError.invalid(this, p, props[p], 'unset with meshWide: true (mesh-wide means every workload)');
      }
      return root;
    }
    const ns = props.namespace ?? chartNamespace(this);
    if (ns === undefined) throw MeshError.invalid(this, 'namespace', undefined, 'set (or on the enclosing Chart), or meshWide: true');
    checkDns1123Label(this, 'namespace', ns);
    if (ns === root) {
      throw MeshError.invalid(this, 'namespace', ns, `a namespace other than the root namespace "${root}" (a Telemetry there applies to the whole mesh: say meshWide: true)`);
    }
    return ns;
  }

  private attachment(props: MeshTelemetryProps): TelemetryAttachment {
    if (props.selector !== undefined && props.targetRefs !== undefined) {
      throw MeshError.invalid(this, 'targetRefs', props.targetRefs.map(r => r?.name), 'unset when selector is set (Istio accepts one of them)');
    }
    if (props.selector !== undefined) {
      const entries = Object.entries(props.selector ?? {});
      if (entries.length === 0) throw MeshError.invalid(this, 'selector', props.selector, 'a non-empty label map (omit it for the whole namespace)');
      for (const [k, v] of entries) {
        checkLabelKey(this, `selector key ${JSON.stringify(k)}`, k);
        checkLabelValue(this, `selector.${k}`, v);
      }
      return { kind: 'selector', labels: { ...props.selector } };
    }
    if (props.targetRefs !== undefined) {
      if (!Array.isArray(props.targetRefs) || props.targetRefs.length === 0) {
        throw MeshError.invalid(this, 'targetRefs', props.targetRefs, 'a non-empty list of PolicyTarget (omit it for the whole namespace)');
      }
      props.targetRefs.forEach((r, i) => {
        if (!(r instanceof PolicyTarget)) throw MeshError.invalid(this, `targetRefs[${i}]`, r, 'a PolicyTarget (PolicyTarget.service(name), .serviceEntry(name), .gateway(name))');
        checkDns1123Subdomain(this, `targetRefs[${i}].name`, r.name);
      });
      return { kind: 'targetRefs', refs: props.targetRefs.map(r => ({ group: r.group, kind: r.kind, name: r.name })) };
    }
    return { kind: 'namespace' };
  }

  private checkProviders(ctx: AppRuntime, known: readonly string[]): void {
    const used: Array<[string, string | undefined]> = [
      ['tracing.provider', this.intent.tracing?.provider],
      ['accessLogs.provider', this.intent.accessLogs?.provider],
      ['metrics.provider', this.intent.metrics?.provider],
    ];
    const assumed = known.map(p => JSON.stringify(p)).join(', ');
    for (const [prop, name] of used) {
      if (name !== undefined && !known.includes(name)) {
        ctx.warn(this, `${prop} "${name}" is not a provider known to mesh config (assumed: ${assumed}); define it in meshConfig.extensionProviders and list it in meshProviders, or istiod ignores this setting`);
      }
    }
    if (this.intent.tracing && this.intent.tracing.provider === undefined) {
      ctx.warn(this, 'tracing.provider is unset: the Telemetry uses meshConfig.defaultProviders.tracing, which Istio leaves empty, so no spans are reported unless your mesh config sets it; name the provider');
    }
  }
}
