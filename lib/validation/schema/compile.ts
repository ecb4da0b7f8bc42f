import { CelProgram, compileCel, escapeCelName } from './cel';
import { re2 } from './regex';

// A CRD's OpenAPI v3 schema compiled once into a tree of nodes ready for validation: patterns
// as RegExps, enums as Sets, CEL rules as programs, and per node whether CEL needs its value.

/** One `x-kubernetes-validations` entry. */
export interface CompiledRule {
  readonly rule: string;
  readonly program: CelProgram;
  readonly message?: string;
  readonly messageProgram?: CelProgram;
  readonly fieldPath?: string;
  readonly reason?: string;
}

/** A property of an object node. */
export interface PropertyInfo {
  readonly node: SchemaNode;
  /** CEL name (escaped), undefined when not accessible from CEL. */
  readonly celName: string | undefined;
  /** Path segment: `.name` or `["a.b"]`. */
  readonly segment: string;
}

/**
 * A compiled schema node. Every node has the same fields in the same order (one hidden class),
 * which keeps the validation walk fast.
 */
export class SchemaNode {
  type: string | undefined = undefined;
  nullable = false;
  intOrString = false;
  preserveUnknown = false;
  properties: Map<string, PropertyInfo> | undefined = undefined;
  /** Properties that have a default. */
  defaults: Array<[string, PropertyInfo]> | undefined = undefined;
  /** Schema of map values; `true` allows anything. */
  additionalProperties: SchemaNode | true | undefined = undefined;
  items: SchemaNode | undefined = undefined;
  required: string[] | undefined = undefined;
  enumValues: unknown[] | undefined = undefined;
  enumSet: Set<unknown> | undefined = undefined;
  pattern: string | undefined = undefined;
  patternRe: RegExp | undefined = undefined;
  minimum: number | undefined = undefined;
  maximum: number | undefined = undefined;
  exclusiveMinimum = false;
  exclusiveMaximum = false;
  minLength: number | undefined = undefined;
  maxLength: number | undefined = undefined;
  minItems: number | undefined = undefined;
  maxItems: number | undefined = undefined;
  minProperties: number | undefined = undefined;
  maxProperties: number | undefined = undefined;
  format: string | undefined = undefined;
  listType: string | undefined = undefined;
  listMapKeys: string[] | undefined = undefined;
  oneOf: SchemaNode[] | undefined = undefined;
  anyOf: SchemaNode[] | undefined = undefined;
  allOf: SchemaNode[] | undefined = undefined;
  not: SchemaNode | undefined = undefined;
  /** True when any of oneOf/anyOf/allOf/not is present. */
  junctors = false;
  hasDefault = false;
  default: unknown = undefined;
  rules: CompiledRule[] | undefined = undefined;
  /** True when this node or an ancestor has CEL rules, so validation builds its CEL value. */
  cel = false;
}

/** The path segment of a property. */
export function segment(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

// Formats the API server validates for CRDs (others, such as int32 or double, are ignored).
const CHECKED_FORMATS = new Set(['date-time', 'byte', 'ipv4', 'ipv6']);

/** Compiles an OpenAPI v3 schema. `celAbove` tells whether an ancestor has CEL rules. */
export function compileSchema(s: any, celAbove = false): SchemaNode {
  const node = new SchemaNode();
  if (Array.isArray(s['x-kubernetes-validations']) && s['x-kubernetes-validations'].length > 0) {
    node.rules = s['x-kubernetes-validations'].map((r: any) => ({
      rule: String(r.rule),
      program: compileCel(String(r.rule)),
      message: typeof r.message === 'string' && r.message !== '' ? r.message : undefined,
      messageProgram: typeof r.messageExpression === 'string' && r.messageExpression !== ''
        ? compileCel(r.messageExpression) : undefined,
      fieldPath: typeof r.fieldPath === 'string' && r.fieldPath !== '' ? r.fieldPath : undefined,
      reason: typeof r.reason === 'string' ? r.reason : undefined,
    }));
  }
  const cel = celAbove || node.rules !== undefined;
  node.cel = cel;
  node.type = typeof s.type === 'string' ? s.type : undefined;
  node.nullable = s.nullable === true;
  node.intOrString = s['x-kubernetes-int-or-string'] === true;
  node.preserveUnknown = s['x-kubernetes-preserve-unknown-fields'] === true;
  node.hasDefault = s.default !== undefined;
  node.default = s.default;
  if (s.properties && typeof s.properties === 'object') {
    node.properties = new Map<string, PropertyInfo>();
    for (const [k, v] of Object.entries(s.properties)) {
      const info: PropertyInfo = { node: compileSchema(v, cel), celName: escapeCelName(k), segment: segment(k) };
      node.properties.set(k, info);
      if (info.node.hasDefault) (node.defaults ??= []).push([k, info]);
    }
  }
  if (s.additionalProperties === true) node.additionalProperties = true;
  else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    node.additionalProperties = compileSchema(s.additionalProperties, cel);
  }
  if (s.items && typeof s.items === 'object') node.items = compileSchema(s.items, cel);
  if (Array.isArray(s.required) && s.required.length > 0) node.required = s.required.map(String);
  if (Array.isArray(s.enum)) {
    node.enumValues = s.enum;
    node.enumSet = new Set(s.enum);
  }
  if (typeof s.pattern === 'string') {
    node.pattern = s.pattern;
    node.patternRe = re2(s.pattern);
  }
  if (typeof s.minimum === 'number') node.minimum = s.minimum;
  if (typeof s.maximum === 'number') node.maximum = s.maximum;
  if (typeof s.minLength === 'number') node.minLength = s.minLength;
  if (typeof s.maxLength === 'number') node.maxLength = s.maxLength;
  if (typeof s.minItems === 'number') node.minItems = s.minItems;
  if (typeof s.maxItems === 'number') node.maxItems = s.maxItems;
  if (typeof s.minProperties === 'number') node.minProperties = s.minProperties;
  if (typeof s.maxProperties === 'number') node.maxProperties = s.maxProperties;
  node.exclusiveMinimum = s.exclusiveMinimum === true;
  node.exclusiveMaximum = s.exclusiveMaximum === true;
  if (typeof s.format === 'string' && CHECKED_FORMATS.has(s.format)) node.format = s.format;
  if (typeof s['x-kubernetes-list-type'] === 'string') node.listType = s['x-kubernetes-list-type'];
  if (Array.isArray(s['x-kubernetes-list-map-keys'])) node.listMapKeys = s['x-kubernetes-list-map-keys'].map(String);
  if (Array.isArray(s.oneOf)) node.oneOf = s.oneOf.map((b: any) => compileSchema(b, false));
  if (Array.isArray(s.anyOf)) node.anyOf = s.anyOf.map((b: any) => compileSchema(b, false));
  if (Array.isArray(s.allOf)) node.allOf = s.allOf.map((b: any) => compileSchema(b, false));
  if (s.not && typeof s.not === 'object') node.not = compileSchema(s.not, false);
  node.junctors = node.oneOf !== undefined || node.anyOf !== undefined || node.allOf !== undefined || node.not !== undefined;
  return node;
}
