import { Code } from '../codes';
import { celSyntaxError } from '../schema/cel';
import { checkSelectorLabels, checkTargetRefs } from './common';
import { arr, child, Findings, obj, q, str } from './context';

// istiod's admission rules for Telemetry (istio/istio 1.30 pkg/config/validation/validation.go
// `ValidateTelemetry`, validation_istiod.go `validateTelemetryFilter`). Rules the CRD carries are
// checked in tier 1: selector and targetRefs together, wildcard or empty selector keys, targetRef
// namespaces, `randomSamplingPercentage` outside 0..100, empty provider names, empty literal,
// header and environment tag values, an empty `customMetric`, and tag overrides with an explicit
// `operation: UPSERT` but no value (or `REMOVE` with one).

function checkTracing(f: Findings, spec: Record<string, any>): void {
  const tracing = arr(spec.tracing);
  if (tracing.length > 1) {
    f.warn(Code.CI2140, 'spec.tracing', `${tracing.length} tracing entries: multiple tracing is not currently supported, istiod uses only the first; merge them into one entry`);
  }
  tracing.forEach((tv, i) => {
    const t = obj(tv);
    if (!t) return;
    const path = `spec.tracing[${i}]`;
    const providers = arr(t.providers);
    if (providers.length > 1) {
      f.warn(Code.CI2141, `${path}.providers`, `${providers.length} tracing providers: multiple providers is not currently supported, only the first (${q(str(obj(providers[0])?.name) ?? '')}) is used`);
    }
    const tags = obj(t.customTags);
    if (tags && Object.prototype.hasOwnProperty.call(tags, '')) {
      f.error(Code.CI2142, child(`${path}.customTags`, ''), 'tag name may not be empty');
    }
  });
}

function checkAccessLogging(f: Findings, spec: Record<string, any>): void {
  arr(spec.accessLogging).forEach((lv, i) => {
    const expression = str(obj(obj(lv)?.filter)?.expression);
    if (expression === undefined) return;
    const problem = celSyntaxError(expression);
    if (problem !== undefined) {
      f.error(Code.CI2143, `spec.accessLogging[${i}].filter.expression`,
        `access-log filter ${q(expression)} must be a valid CEL expression: ${problem}`);
    }
  });
}

function checkMetrics(f: Findings, spec: Record<string, any>): void {
  arr(spec.metrics).forEach((mv, i) => {
    arr(obj(mv)?.overrides).forEach((ov, j) => {
      const overrides = obj(obj(ov)?.tagOverrides);
      if (!overrides) return;
      const base = `spec.metrics[${i}].overrides[${j}].tagOverrides`;
      for (const [name, tv] of Object.entries(overrides)) {
        const path = child(base, name);
        if (name === '') f.warn(Code.CI2145, path, 'tagOverrides name may not be empty; the override does nothing');
        const t = obj(tv);
        if (!t) continue;
        // The operation defaults to UPSERT (the CRD rule checks only an explicit one).
        if (t.operation === undefined && (str(t.value) ?? '') === '') {
          f.error(Code.CI2144, path, `tag override ${q(name)} has no value; operation defaults to UPSERT, which needs a value (set value, or operation: REMOVE)`);
        }
      }
    });
  });
}

/** Validates a Telemetry spec. */
export function validateTelemetry(f: Findings, spec: Record<string, any>): void {
  checkTargetRefs(f, spec);
  checkSelectorLabels(f, 'spec.selector', spec.selector, 'matchLabels');
  checkTracing(f, spec);
  checkAccessLogging(f, spec);
  checkMetrics(f, spec);
}
