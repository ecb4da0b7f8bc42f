// Pure renderer of a Telemetry spec (telemetry.istio.io/v1) from a checked intent.
// https://istio.io/latest/docs/reference/config/telemetry/

/** Where a Telemetry applies. */
export type TelemetryAttachment =
  | { readonly kind: 'namespace' }
  | { readonly kind: 'selector'; readonly labels: Readonly<Record<string, string>> }
  | { readonly kind: 'targetRefs'; readonly refs: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly name: string }> };

/** Tracing, checked. */
export interface TracingIntent {
  readonly samplingPercent: number;
  readonly provider?: string;
  readonly customTags: ReadonlyArray<readonly [string, Readonly<Record<string, unknown>>]>;
  readonly disableSpanReporting?: boolean;
}

/** Access logging, checked. */
export interface AccessLogIntent {
  readonly provider: string;
  readonly filter?: string;
  readonly disabled?: boolean;
  readonly mode?: string;
}

/** One metrics override, checked. */
export interface MetricOverrideIntent {
  readonly metric?: string;
  readonly mode?: string;
  readonly disabled?: boolean;
  readonly tags: ReadonlyArray<readonly [string, Readonly<Record<string, unknown>>]>;
}

/** Metrics, checked. */
export interface MetricsIntent {
  readonly provider: string;
  readonly overrides: readonly MetricOverrideIntent[];
  readonly reportingInterval?: string;
}

/** The checked intent of a MeshTelemetry. */
export interface TelemetryIntent {
  readonly attachment: TelemetryAttachment;
  readonly tracing?: TracingIntent;
  readonly accessLogs?: AccessLogIntent;
  readonly metrics?: MetricsIntent;
}

function attachment(a: TelemetryAttachment): Record<string, unknown> {
  if (a.kind === 'selector') return { selector: { matchLabels: { ...a.labels } } };
  if (a.kind === 'targetRefs') return { targetRefs: a.refs.map(r => ({ group: r.group, kind: r.kind, name: r.name })) };
  return {};
}

function tracing(t: TracingIntent): Record<string, unknown> {
  return {
    ...(t.provider !== undefined ? { providers: [{ name: t.provider }] } : {}),
    randomSamplingPercentage: t.samplingPercent,
    ...(t.disableSpanReporting !== undefined ? { disableSpanReporting: t.disableSpanReporting } : {}),
    ...(t.customTags.length > 0 ? { customTags: Object.fromEntries(t.customTags.map(([k, v]) => [k, { ...v }])) } : {}),
  };
}

function accessLogging(l: AccessLogIntent): Record<string, unknown> {
  return {
    providers: [{ name: l.provider }],
    ...(l.mode !== undefined ? { match: { mode: l.mode } } : {}),
    ...(l.filter !== undefined ? { filter: { expression: l.filter } } : {}),
    ...(l.disabled !== undefined ? { disabled: l.disabled } : {}),
  };
}

function metrics(m: MetricsIntent): Record<string, unknown> {
  return {
    providers: [{ name: m.provider }],
    ...(m.overrides.length > 0 ? {
      overrides: m.overrides.map(o => ({
        ...(o.metric !== undefined || o.mode !== undefined ? { match: { ...(o.metric !== undefined ? { metric: o.metric } : {}), ...(o.mode !== undefined ? { mode: o.mode } : {}) } } : {}),
        ...(o.disabled !== undefined ? { disabled: o.disabled } : {}),
        ...(o.tags.length > 0 ? { tagOverrides: Object.fromEntries(o.tags.map(([k, v]) => [k, { ...v }])) } : {}),
      })),
    } : {}),
    ...(m.reportingInterval !== undefined ? { reportingInterval: m.reportingInterval } : {}),
  };
}

/** The Telemetry spec. */
export function telemetrySpec(t: TelemetryIntent): Record<string, unknown> {
  return {
    ...attachment(t.attachment),
    ...(t.tracing ? { tracing: [tracing(t.tracing)] } : {}),
    ...(t.accessLogs ? { accessLogging: [accessLogging(t.accessLogs)] } : {}),
    ...(t.metrics ? { metrics: [metrics(t.metrics)] } : {}),
  };
}
