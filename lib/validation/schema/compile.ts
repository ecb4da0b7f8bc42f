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

/** A compiled schema node. */
export interface SchemaNode {
  readonly type?: string;
  readonly nullable: boolean;
  readonly intOrString: boolean;
  readonly preserveUnknown: boolean;
  readonly properties?: Map<string, SchemaNode>;
  /** CEL names of `properties` (undefined: not accessible from CEL). */
  readonly celNames?: Map<string, string | undefined>;
  /** Schema of map values; `true` allows anything. */
  readonly additionalProperties?: SchemaNode | true;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
  readonly enumValues?: readonly unknown[];
  readonly enumSet?: ReadonlySet<unknown>;
  readonly pattern?: string;
  readonly patternRe?: RegExp;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly format?: string;
  readonly listType?: string;
  readonly listMapKeys?: readonly string[];
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly allOf?: readonly SchemaNode[];
  readonly not?: SchemaNode;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly rules?: readonly CompiledRule[];
  /** True when this node or an ancestor has CEL rules, so validation builds its CEL value. */
  readonly cel: boolean;
}

// Formats the API server validates for CRDs (others, such as int32 or double, are ignored).
const CHECKED_FORMATS = new Set(['date-time', 'byte', 'ipv4', 'ipv6']);

/** Compiles an OpenAPI v3 schema. `celAbove` tells whether an ancestor has CEL rules. */
export function compileSchema(s: any, celAbove = false): SchemaNode {
  const rules: CompiledRule[] | undefined = Array.isArray(s['x-kubernetes-validations'])
    ? s['x-kubernetes-validations'].map((r: any) => ({
      rule: String(r.rule),
      program: compileCel(String(r.rule)),
      message: typeof r.message === 'string' && r.message !== '' ? r.message : undefined,
      messageProgram: typeof r.messageExpression === 'string' && r.messageExpression !== ''
        ? compileCel(r.messageExpression) : undefined,
      fieldPath: typeof r.fieldPath === 'string' && r.fieldPath !== '' ? r.fieldPath : undefined,
      reason: typeof r.reason === 'string' ? r.reason : undefined,
    }))
    : undefined;
  const cel = celAbove || (rules !== undefined && rules.length > 0);
  const node: any = {
    type: typeof s.type === 'string' ? s.type : undefined,
    nullable: s.nullable === true,
    intOrString: s['x-kubernetes-int-or-string'] === true,
    preserveUnknown: s['x-kubernetes-preserve-unknown-fields'] === true,
    hasDefault: s.default !== undefined,
    default: s.default,
    cel,
    rules,
  };
  if (s.properties && typeof s.properties === 'object') {
    node.properties = new Map<string, SchemaNode>();
    node.celNames = new Map<string, string | undefined>();
    for (const [k, v] of Object.entries(s.properties)) {
      node.properties.set(k, compileSchema(v, cel));
      node.celNames.set(k, escapeCelName(k));
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
  for (const k of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties']) {
    if (typeof s[k] === 'number') node[k] = s[k];
  }
  if (s.exclusiveMinimum === true) node.exclusiveMinimum = true;
  if (s.exclusiveMaximum === true) node.exclusiveMaximum = true;
  if (typeof s.format === 'string' && CHECKED_FORMATS.has(s.format)) node.format = s.format;
  if (typeof s['x-kubernetes-list-type'] === 'string') node.listType = s['x-kubernetes-list-type'];
  if (Array.isArray(s['x-kubernetes-list-map-keys'])) node.listMapKeys = s['x-kubernetes-list-map-keys'];
  for (const k of ['oneOf', 'anyOf', 'allOf']) {
    if (Array.isArray(s[k])) node[k] = s[k].map((b: any) => compileSchema(b, false));
  }
  if (s.not && typeof s.not === 'object') node.not = compileSchema(s.not, false);
  return node as SchemaNode;
}
