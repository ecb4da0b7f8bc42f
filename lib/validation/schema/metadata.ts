import { isDns1123Label, isDns1123Subdomain } from '../../mesh/checks';
import { diagnostic, Diagnostic } from '../diagnostic';
import { SchemaCode } from './codes';
import { show } from './show';
import { quote } from '../quote';

// ObjectMeta checks the API server applies to every object, whatever its kind:
// - `metadata.name` is required and valid for the kind (CI1001): a DNS-1123 subdomain for most
//   kinds (all custom resources), a DNS-1123 label for Namespace, a DNS-1035 label for Service;
// - `metadata.namespace`, when set on a namespaced kind, is a DNS-1123 label (CI1017);
// - label keys are qualified names and label values valid label values (CI1015);
// - annotation keys are qualified names (checked lower-cased, as Kubernetes does) and all
//   annotations together are at most 256 KiB (CI1016);
// - with strict field validation, unknown `metadata` fields are errors (CI1002).

const OBJECT_META_FIELDS = new Set(['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion',
  'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations',
  'ownerReferences', 'finalizers', 'managedFields']);

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TOTAL_ANNOTATION_SIZE = 256 * 1024;

const SUBDOMAIN_RULE = 'a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters)';
const LABEL_RULE = 'a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)';
const DNS1035_RULE = 'a DNS-1035 label (lowercase letters, digits and \'-\', starting with a letter, ending with a letter or digit, at most 63 characters)';

/** How Kubernetes validates `metadata.name` of a kind. */
function nameRule(apiVersion: unknown, kind: unknown): { test: (s: string) => boolean; what: string } {
  const core = apiVersion === 'v1';
  if (core && kind === 'Namespace') return { test: isDns1123Label, what: LABEL_RULE };
  if (core && kind === 'Service') return { test: s => s.length <= 63 && DNS1035_LABEL.test(s), what: DNS1035_RULE };
  return { test: isDns1123Subdomain, what: SUBDOMAIN_RULE };
}

/** Why `key` is not a qualified name (`prefix/name`), or undefined when it is one. */
export function qualifiedNameError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0) return 'prefix part must be non-empty';
    if (!isDns1123Subdomain(prefix)) return `prefix part ${quote(prefix)} must be ${SUBDOMAIN_RULE}`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return `name part must be no more than 63 characters, got ${name.length}`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return 'name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character';
  }
  return undefined;
}

/**
 * Metadata checks of one document (any kind). For cluster-scoped kinds `metadata.namespace` is
 * not checked: the API server clears it.
 */
export function validateMetadata(doc: any, clusterScoped = false): Diagnostic[] {
  const out: Diagnostic[] = [];
  const push = (code: string, path: string, message: string) => out.push(diagnostic(doc, code, 'error', path, message));
  const metadata = doc?.metadata;
  if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))) {
    push(SchemaCode.TYPE, 'metadata', `must be of type object, got ${show(metadata)}`);
  }
  const name = doc?.metadata?.name;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    push(SchemaCode.NAME, 'metadata.name', `metadata.name must be a string, got ${show(name)} (quote it in YAML)`);
  } else if (typeof name !== 'string' || name.length === 0) {
    push(SchemaCode.NAME, 'metadata.name', 'metadata.name is required');
  } else {
    const rule = nameRule(doc.apiVersion, doc.kind);
    if (!rule.test(name)) push(SchemaCode.NAME, 'metadata.name', `metadata.name ${quote(name)} must be ${rule.what}`);
  }
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return out;
  for (const key of Object.keys(metadata)) {
    if (!OBJECT_META_FIELDS.has(key)) push(SchemaCode.UNKNOWN_FIELD, `metadata.${key}`, `unknown field ${quote(key)} in metadata`);
  }
  const ns = metadata.namespace;
  if (!clusterScoped && ns !== undefined && ns !== null && ns !== '') {
    if (typeof ns !== 'string' || !isDns1123Label(ns)) {
      push(SchemaCode.NAMESPACE, 'metadata.namespace', `metadata.namespace ${show(ns)} must be ${LABEL_RULE}`);
    }
  }
  checkLabels(metadata.labels, push);
  checkAnnotations(metadata.annotations, push);
  return out;
}

type Push = (code: string, path: string, message: string) => void;

function checkLabels(labels: unknown, push: Push): void {
  if (labels === undefined || labels === null) return;
  if (typeof labels !== 'object' || Array.isArray(labels)) {
    push(SchemaCode.TYPE, 'metadata.labels', `must be a map of strings, got ${show(labels)}`);
    return;
  }
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    const path = `metadata.labels[${JSON.stringify(key)}]`;
    const keyError = qualifiedNameError(key);
    if (keyError) push(SchemaCode.LABEL, path, `label key ${quote(key)} is invalid: ${keyError}`);
    if (typeof value !== 'string') {
      push(SchemaCode.LABEL, path, `label ${quote(key)} must have a string value, got ${show(value)}`);
    } else if (value.length > 63) {
      push(SchemaCode.LABEL, path, `label value ${quote(value)} is invalid: must be no more than 63 characters, got ${value.length}`);
    } else if (!LABEL_VALUE.test(value)) {
      push(SchemaCode.LABEL, path,
        `label value ${quote(value)} is invalid: must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
    }
  }
}

function checkAnnotations(annotations: unknown, push: Push): void {
  if (annotations === undefined || annotations === null) return;
  if (typeof annotations !== 'object' || Array.isArray(annotations)) {
    push(SchemaCode.TYPE, 'metadata.annotations', `must be a map of strings, got ${show(annotations)}`);
    return;
  }
  let total = 0;
  for (const [key, value] of Object.entries(annotations as Record<string, unknown>)) {
    const path = `metadata.annotations[${JSON.stringify(key)}]`;
    const keyError = qualifiedNameError(key.toLowerCase());
    if (keyError) push(SchemaCode.ANNOTATION, path, `annotation key ${quote(key)} is invalid: ${keyError}`);
    if (typeof value !== 'string') {
      push(SchemaCode.ANNOTATION, path, `annotation ${quote(key)} must have a string value, got ${show(value)}`);
    } else {
      total += Buffer.byteLength(key) + Buffer.byteLength(value);
    }
  }
  if (total > TOTAL_ANNOTATION_SIZE) {
    push(SchemaCode.ANNOTATION, 'metadata.annotations', `annotations are ${total} bytes, must have at most ${TOTAL_ANNOTATION_SIZE} bytes`);
  }
}
