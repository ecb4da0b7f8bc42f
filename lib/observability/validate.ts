import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MeshError } from '../mesh/errors';
import { istioDuration } from '../mesh/duration';
import { celSyntaxError } from '../validation/schema/cel';
import { AccessLogIntent, MetricOverrideIntent, MetricsIntent, TracingIntent } from './render';
import { IstioMetric, Tag, TagOverride, TelemetryMode } from './tags';

// Prop checks of MeshTelemetry, into the intent the renderer reads. Each throws MeshError.

/** Tracing options of a `MeshTelemetry`. */
export interface TracingOptions {
  /** Percentage of requests traced when no upstream decision was made (0..100, fractions allowed). */
  readonly samplingPercent: number;
  /**
   * The tracing provider (a MeshConfig extension provider, e.g. `zipkin`, `otel`).
   * Trap: Istio defines no tracing provider by default.
   *
   * @default - meshConfig.defaultProviders.tracing (empty unless your mesh config sets it; a warning says so)
   */
  readonly provider?: string;
  /**
   * Tags added to every span.
   *
   * @default - none
   */
  readonly customTags?: Record<string, Tag>;
  /**
   * Stop reporting spans (sampling decisions still propagate).
   *
   * @default false
   */
  readonly disableSpanReporting?: boolean;
}

/** Access-log options of a `MeshTelemetry`. */
export interface AccessLogOptions {
  /**
   * The access log provider.
   *
   * @default 'envoy' (Envoy's file access log to stdout, a default MeshConfig provider)
   */
  readonly provider?: string;
  /**
   * A CEL expression selecting what is logged, e.g. `response.code >= 400` (errors only).
   * It must parse (istiod rejects it otherwise); attributes are not type-checked.
   *
   * @default - every request is logged
   */
  readonly filter?: string;
  /**
   * Turn access logging off for the scope.
   *
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Client side, server side or both.
   *
   * @default TelemetryMode.CLIENT_AND_SERVER
   */
  readonly mode?: TelemetryMode;
}

/** A change to Istio's standard metrics. */
export interface MetricOverride {
  /**
   * The metric.
   *
   * @default IstioMetric.ALL_METRICS
   */
  readonly metric?: IstioMetric;
  /**
   * Client side, server side or both.
   *
   * @default TelemetryMode.CLIENT_AND_SERVER
   */
  readonly mode?: TelemetryMode;
  /**
   * Stop reporting the metric.
   *
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Tags to set or remove.
   *
   * @default - none
   */
  readonly tags?: Record<string, TagOverride>;
}

/** Metrics options of a `MeshTelemetry`. */
export interface MetricsOptions {
  /**
   * The metrics provider.
   *
   * @default 'prometheus'
   */
  readonly provider?: string;
  /**
   * Overrides of standard metrics.
   *
   * @default - none
   */
  readonly overrides?: MetricOverride[];
  /**
   * How often metrics are reported (the provider's flush interval).
   *
   * @default - the provider's default
   */
  readonly reportingInterval?: Duration;
}

function checkBool(scope: IConstruct, prop: string, v: unknown): boolean | undefined {
  if (v !== undefined && typeof v !== 'boolean') throw MeshError.invalid(scope, prop, v, 'true or false');
  return v as boolean | undefined;
}

function checkEnum<T extends string>(scope: IConstruct, prop: string, v: unknown, values: Record<string, T>, what: string): T | undefined {
  if (v !== undefined && !Object.values(values).includes(v as T)) throw MeshError.invalid(scope, prop, v, what);
  return v as T | undefined;
}

/** Requires a provider name (a MeshConfig extension provider). */
export function checkProvider(scope: IConstruct, prop: string, v: unknown): string | undefined {
  if (v !== undefined && (typeof v !== 'string' || v.length === 0)) {
    throw MeshError.invalid(scope, prop, v, 'the name of a MeshConfig extension provider (e.g. "zipkin", "otel", "envoy", "prometheus")');
  }
  return v as string | undefined;
}

/** Checks tracing options. */
export function checkTracing(scope: IConstruct, t: TracingOptions): TracingIntent {
  const p = t.samplingPercent;
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 100) {
    throw MeshError.invalid(scope, 'tracing.samplingPercent', p, 'a number 0..100 (the percentage of requests traced; fractions allowed)');
  }
  const tags = Object.entries(t.customTags ?? {}).map(([name, tag]) => {
    if (name.length === 0) throw MeshError.invalid(scope, 'tracing.customTags', name, 'non-empty tag names');
    if (!(tag instanceof Tag)) throw MeshError.invalid(scope, `tracing.customTags.${name}`, tag, 'a Tag (Tag.literal(v), Tag.header(name), Tag.environment(name))');
    if (typeof tag.value !== 'string' || tag.value.length === 0) {
      throw MeshError.invalid(scope, `tracing.customTags.${name}`, tag.value, `a non-empty ${tag.type === 'literal' ? 'value' : 'name'} (Tag.${tag.type})`);
    }
    return [name, tag.spec] as const;
  }).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    samplingPercent: p,
    provider: checkProvider(scope, 'tracing.provider', t.provider),
    customTags: tags,
    disableSpanReporting: checkBool(scope, 'tracing.disableSpanReporting', t.disableSpanReporting),
  };
}

/** Checks access-log options; the filter must parse as CEL (istiod rejects it otherwise). */
export function checkAccessLogs(scope: IConstruct, l: AccessLogOptions): AccessLogIntent {
  if (l.filter !== undefined) {
    const problem = typeof l.filter === 'string' && l.filter.trim().length > 0 ? celSyntaxError(l.filter) : 'empty';
    if (problem !== undefined) {
      throw MeshError.invalid(scope, 'accessLogs.filter', l.filter,
        `a CEL expression over Envoy attributes, e.g. "response.code >= 400" (${problem})`);
    }
  }
  return {
    provider: checkProvider(scope, 'accessLogs.provider', l.provider) ?? 'envoy',
    filter: l.filter,
    disabled: checkBool(scope, 'accessLogs.disabled', l.disabled),
    mode: checkEnum(scope, 'accessLogs.mode', l.mode, TelemetryMode, 'a TelemetryMode'),
  };
}

/** Checks metrics options. */
export function checkMetrics(scope: IConstruct, m: MetricsOptions): MetricsIntent {
  const overrides: MetricOverrideIntent[] = (m.overrides ?? []).map((o, i) => {
    const at = `metrics.overrides[${i}]`;
    const tags = Object.entries(o.tags ?? {}).map(([name, t]) => {
      if (name.length === 0) throw MeshError.invalid(scope, `${at}.tags`, name, 'non-empty tag names');
      if (!(t instanceof TagOverride)) throw MeshError.invalid(scope, `${at}.tags.${name}`, t, 'a TagOverride (TagOverride.upsert(expr), TagOverride.remove())');
      if (t.expression !== undefined) {
        const problem = t.expression.length === 0 ? 'empty' : celSyntaxError(t.expression);
        if (problem !== undefined) throw MeshError.invalid(scope, `${at}.tags.${name}`, t.expression, `a CEL expression (${problem})`);
      }
      return [name, t.spec] as const;
    }).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return {
      metric: checkEnum(scope, `${at}.metric`, o.metric, IstioMetric, 'an IstioMetric'),
      mode: checkEnum(scope, `${at}.mode`, o.mode, TelemetryMode, 'a TelemetryMode'),
      disabled: checkBool(scope, `${at}.disabled`, o.disabled),
      tags,
    };
  });
  return {
    provider: checkProvider(scope, 'metrics.provider', m.provider) ?? 'prometheus',
    overrides,
    reportingInterval: m.reportingInterval === undefined ? undefined : istioDuration(scope, 'metrics.reportingInterval', m.reportingInterval),
  };
}
