import { diagnostic, Diagnostic } from '../diagnostic';
import { SchemaCode } from './codes';
import { compileSchema, SchemaNode } from './compile';
import { lookupCrd } from './crds';
import { validateMetadata } from './metadata';
import { Finding, walk } from './validate';

export { SchemaCode } from './codes';
export { celStats, skippedTransitionRules, CelRuleStats } from './cel';

const compiled = new Map<string, SchemaNode>();

/** The compiled schema of a served CRD version (compiled on first use, then reused). */
function schemaFor(group: string, kind: string, version: string, raw: any): SchemaNode {
  const key = `${group}/${version}/${kind}`;
  let node = compiled.get(key);
  if (node === undefined) {
    node = compileSchema(raw);
    compiled.set(key, node);
  }
  return node;
}

/**
 * Tier 1: validates one document against the CRD schemas in `crds/` (OpenAPI v3 and CEL rules),
 * as the API server would with strict field validation. Documents whose kind is not in `crds/`
 * get only the metadata checks.
 */
export function validateSchema(doc: unknown): Diagnostic[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return [diagnostic(doc, SchemaCode.TYPE_META, 'error', '', `a manifest must be an object, got ${doc === null ? 'null' : Array.isArray(doc) ? 'array' : typeof doc}`)];
  }
  const d = doc as Record<string, unknown>;
  const out = validateMetadata(d);
  const push = (code: string, path: string, message: string) => out.push(diagnostic(d, code, 'error', path, message));
  const { apiVersion, kind } = d;
  if (typeof apiVersion !== 'string' || apiVersion === '' || apiVersion.split('/').length > 2) {
    push(SchemaCode.TYPE_META, 'apiVersion', apiVersion === undefined ? 'apiVersion is required'
      : `apiVersion ${JSON.stringify(apiVersion)} must be "<group>/<version>" or "<version>"`);
    return out;
  }
  if (typeof kind !== 'string' || kind === '') {
    push(SchemaCode.TYPE_META, 'kind', kind === undefined ? 'kind is required' : `kind must be a non-empty string, got ${JSON.stringify(kind)}`);
    return out;
  }
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const crd = lookupCrd(group, kind);
  if (crd === undefined) return out;
  const v = crd.versions.get(version);
  if (v === undefined || !v.served) {
    const served = [...crd.versions.values()].filter(x => x.served).map(x => `${group}/${x.name}`);
    push(SchemaCode.VERSION, 'apiVersion',
      `${kind} ${apiVersion} is ${v === undefined ? 'not a version of this kind' : 'not served'}; served versions: ${served.join(', ')}`);
    return out;
  }
  const root = schemaFor(group, kind, version, v.schema);
  // metadata is ObjectMeta (checked above); status is reset on create when it is a subresource.
  const view: Record<string, unknown> = { ...d };
  delete view.metadata;
  delete view.apiVersion;
  delete view.kind;
  if (v.statusSubresource) delete view.status;
  const findings: Finding[] = [];
  walk(view, root, '', findings);
  for (const f of findings) push(f.code, f.path, f.message);
  return out;
}
