import { runCel } from './cel';
import { SchemaCode } from './codes';
import { CompiledRule } from './compile';
import { show } from './show';
import type { Out } from './finding';

// The x-kubernetes-validations of one schema node, run on the node's CEL value: transition rules
// (oldSelf) are skipped and counted, a false rule reports its message (or messageExpression) at
// the node's path plus its fieldPath, a runtime error or a non-bool result is reported as a rule
// that could not be evaluated (the API server rejects both).

/** Appends a rule's relative `fieldPath` (`.spec.foo`, `['a.b']`, `[0]`) to `path`. */
function joinFieldPath(path: string, fieldPath: string): string {
  return fieldPath.startsWith('.') || fieldPath.startsWith('[') ? path + fieldPath : `${path}.${fieldPath}`;
}

export function runRules(rules: readonly CompiledRule[], self: unknown, path: string, out: Out): void {
  for (const r of rules) {
    const stats = r.program.stats;
    if (stats.transition) {
      stats.skipped++;
      continue;
    }
    const res = runCel(r.program, self);
    if (!res.ok) {
      out.push({ code: SchemaCode.CEL_ERROR, path, message: `rule ${JSON.stringify(r.rule)} could not be evaluated: ${res.error}` });
      continue;
    }
    if (res.value === true) continue;
    const where = r.fieldPath ? joinFieldPath(path, r.fieldPath) : path;
    if (res.value !== false) {
      out.push({ code: SchemaCode.CEL_ERROR, path, message: `rule ${JSON.stringify(r.rule)} did not evaluate to a bool, got ${show(res.value)}` });
      continue;
    }
    let message = r.message ?? `failed rule: ${r.rule}`;
    if (r.messageProgram) {
      const m = runCel(r.messageProgram, self);
      if (m.ok && typeof m.value === 'string' && m.value.trim() !== '' && !m.value.includes('\n')) message = m.value;
    }
    if (r.reason && r.reason !== 'FieldValueInvalid') message = `${reasonText(r.reason)}: ${message}`;
    out.push({ code: SchemaCode.CEL_FAILED, path: where, message });
  }
}

function reasonText(reason: string): string {
  switch (reason) {
    case 'FieldValueForbidden': return 'Forbidden';
    case 'FieldValueRequired': return 'Required value';
    case 'FieldValueDuplicate': return 'Duplicate value';
    default: return reason;
  }
}
