import { diagnostic, Diagnostic } from '../diagnostic';
import { SchemaCode } from './codes';
import { compileSchema, SchemaNode } from './compile';
import { kindsOfGroup, lookupCrd } from './crds';
import { validateMetadata } from './metadata';
import { Finding, walkObject } from './validate';
import { quote } from '../quote';

const ROOT_SKIP: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);
const ROOT_SKIP_STATUS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata', 'status']);

export { SchemaCode } from './codes';
export { celStats, skippedTransitionRules, CelRuleStats } from './cel';

interface Target {
  readonly root: SchemaNode;
  readonly statusSubresource: boolean;
  readonly clusterScoped: boolean;
}

// Built-in cluster-scoped kinds whose metadata.namespace the API server ignores.
const CLUSTER_SCOPED_CORE = new Set(['v1/Namespace', 'v1/Node', 'v1/PersistentVolume',
  'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'storage.k8s.io/v1/StorageClass', 'scheduling.k8s.io/v1/PriorityClass', 'networking.k8s.io/v1/IngressClass',
  'apiextensions.k8s.io/v1/CustomResourceDefinition', 'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration']);

// apiVersion + kind -> compiled schema, error message for an unserved version, or undefined
// for kinds that crds/ does not define. Schemas are compiled on first use, then reused.
const targets = new Map<string, Target | string | undefined>();

function resolve(apiVersion: string, kind: string): Target | string | undefined {
  const key = `${apiVersion}\u0000${kind}`;
  if (targets.has(key)) return targets.get(key);
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const crd = lookupCrd(group, kind);
  let target: Target | string | undefined;
  if (crd === undefined) {
    const kinds = group === '' ? [] : kindsOfGroup(group);
    if (kinds.length > 0) target = `no kind ${quote(kind)} in ${group}; kinds of this group: ${kinds.join(', ')}`;
  } else {
    const v = crd.versions.get(version);
    if (v === undefined || !v.served) {
      const served = [...crd.versions.values()].filter(x => x.served).map(x => `${group}/${x.name}`);
      target = `${kind} ${apiVersion} is ${v === undefined ? 'not a version of this kind' : 'not served'}; served versions: ${served.join(', ')}`;
    } else {
      target = { root: compileSchema(v.schema), statusSubresource: v.statusSubresource, clusterScoped: crd.scope === 'Cluster' };
    }
  }
  targets.set(key, target);
  return target;
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
  const { apiVersion, kind } = d;
  const target = typeof apiVersion === 'string' && typeof kind === 'string' && kind !== '' ? resolve(apiVersion, kind) : undefined;
  const clusterScoped = typeof target === 'object' ? target.clusterScoped : CLUSTER_SCOPED_CORE.has(`${apiVersion}/${kind}`);
  const out = validateMetadata(d, clusterScoped);
  const push = (code: string, path: string, message: string) => out.push(diagnostic(d, code, 'error', path, message));
  if (typeof apiVersion !== 'string' || apiVersion === '' || apiVersion.split('/').length > 2) {
    push(SchemaCode.TYPE_META, 'apiVersion', apiVersion === undefined ? 'apiVersion is required'
      : `apiVersion ${quote(apiVersion)} must be "<group>/<version>" or "<version>"`);
    return out;
  }
  if (typeof kind !== 'string' || kind === '') {
    push(SchemaCode.TYPE_META, 'kind', kind === undefined ? 'kind is required' : `kind must be a non-empty string, got ${quote(kind)}`);
    return out;
  }
  if (target === undefined) return out;
  if (typeof target === 'string') {
    push(SchemaCode.VERSION, 'apiVersion', target);
    return out;
  }
  const { root, statusSubresource } = target;
  // metadata is ObjectMeta (checked above); status is reset on create when it is a subresource.
  const findings: Finding[] = [];
  walkObject(d, root, '', findings, false, statusSubresource ? ROOT_SKIP_STATUS : ROOT_SKIP);
  for (const f of findings) push(f.code, f.path.startsWith('.') ? f.path.slice(1) : f.path, f.message);
  return out;
}
