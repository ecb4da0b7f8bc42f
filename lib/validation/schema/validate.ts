import { PropertyInfo, SchemaNode, segment } from './compile';
import { SchemaCode } from './codes';
import { isIpv4, isIpv6 } from './k8s-cel-lib';
import { runRules } from './rules';
import { show } from './show';
import type { Finding, Out } from './finding';

export type { Finding, Out } from './finding';

// One walk over a manifest against a compiled schema, in the API server's order of effects:
// unknown fields (strict field validation), nulls of non-nullable fields pruned, schema defaults
// applied (to a view, the input is never mutated), OpenAPI value validation, then the CEL rules
// of every node on the defaulted value, with JSON numbers typed per the schema (integer -> int,
// number -> double).


function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function typeMatches(v: unknown, node: SchemaNode): boolean {
  if (node.intOrString) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  switch (node.type) {
    case undefined: return true;
    case 'object': return isObject(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    default: return true;
  }
}

/** Generic conversion of untyped JSON to CEL (integral numbers become ints). */
function rawToCel(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(rawToCel);
  if (isObject(v)) {
    const m = new Map<string, unknown>();
    for (const [k, x] of Object.entries(v)) m.set(k, rawToCel(x));
    return m;
  }
  return v;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Deep equality of JSON values (for set and map lists). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function formatOk(format: string, s: string): boolean {
  switch (format) {
    case 'date-time': return DATE_TIME.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T')));
    case 'byte': return BASE64.test(s);
    case 'ipv4': return isIpv4(s);
    case 'ipv6': return isIpv6(s);
    default: return true;
  }
}

/**
 * Validates `value` at `path` against `node`, pushing findings to `out`. In `branch` mode (inside
 * oneOf/anyOf/allOf/not) only value validations run: no unknown fields, defaults or CEL.
 * Returns the value's CEL form when `node.cel` (undefined otherwise).
 */
export function walk(value: unknown, node: SchemaNode, path: string, out: Out, branch = false, quiet = false): unknown {
  if (value === null) {
    if (node.nullable) return null;
    if (node.type !== undefined || node.intOrString) {
      out.push({ code: SchemaCode.TYPE, path, message: `must be of type ${expected(node)}, got null` });
    }
    return undefined;
  }
  if (!typeMatches(value, node)) {
    out.push({ code: SchemaCode.TYPE, path, message: `must be of type ${expected(node)}, got ${typeOf(value)} ${show(value)}` });
    return node.cel && !branch ? rawToCel(value) : undefined;
  }
  let celValue: unknown;
  const wantCel = node.cel && !branch;
  if (Array.isArray(value)) {
    celValue = walkArray(value, node, path, out, branch, quiet);
  } else if (isObject(value)) {
    celValue = walkObject(value, node, path, out, branch, undefined, quiet);
  } else {
    checkScalar(value, node, path, out);
    if (wantCel) {
      if (typeof value === 'number') celValue = node.type === 'number' ? value : BigInt(value);
      else celValue = value;
    }
  }
  if (node.junctors) checkJunctors(branch ? value : junctorView(value, node), node, path, out, quiet);
  if (node.rules && !branch) runRules(node.rules, celValue, path, out);
  return wantCel ? celValue : undefined;
}

function expected(node: SchemaNode): string {
  return node.intOrString ? 'integer or string' : String(node.type);
}

function checkEnum(value: unknown, node: SchemaNode, path: string, out: Out): void {
  if (node.enumSet && !node.enumSet.has(value)) {
    const allowed = node.enumValues!.map(show).join(', ');
    out.push({ code: SchemaCode.ENUM, path, message: `unsupported value ${show(value)}: supported values: ${allowed}` });
  }
}

function checkScalar(value: unknown, node: SchemaNode, path: string, out: Out): void {
  checkEnum(value, node, path, out);
  if (typeof value === 'string') {
    if (node.patternRe && !node.patternRe.test(value)) {
      out.push({ code: SchemaCode.PATTERN, path, message: `${show(value)} does not match the pattern ${node.pattern}` });
    }
    if (node.minLength !== undefined || node.maxLength !== undefined) {
      const n = codePoints(value);
      if (node.minLength !== undefined && n < node.minLength) {
        out.push({ code: SchemaCode.STRING_LENGTH, path, message: `${show(value)} must be at least ${node.minLength} characters long, got ${n}` });
      }
      if (node.maxLength !== undefined && n > node.maxLength) {
        out.push({ code: SchemaCode.STRING_LENGTH, path, message: `${show(value)} must be at most ${node.maxLength} characters long, got ${n}` });
      }
    }
    if (node.format && !formatOk(node.format, value)) {
      out.push({ code: SchemaCode.FORMAT, path, message: `${show(value)} must be of format ${node.format}` });
    }
  } else if (typeof value === 'number') {
    if (node.minimum !== undefined) {
      if (node.exclusiveMinimum ? value <= node.minimum : value < node.minimum) {
        out.push({ code: SchemaCode.NUMBER_RANGE, path, message: `${value} must be greater than ${node.exclusiveMinimum ? '' : 'or equal to '}${node.minimum}` });
      }
    }
    if (node.maximum !== undefined) {
      if (node.exclusiveMaximum ? value >= node.maximum : value > node.maximum) {
        out.push({ code: SchemaCode.NUMBER_RANGE, path, message: `${value} must be less than ${node.exclusiveMaximum ? '' : 'or equal to '}${node.maximum}` });
      }
    }
  }
}

function walkArray(value: unknown[], node: SchemaNode, path: string, out: Out, branch: boolean, quiet: boolean): unknown {
  const wantCel = node.cel && !branch;
  const celItems: unknown[] | undefined = wantCel ? new Array(value.length) : undefined;
  const items = node.items;
  for (let i = 0; i < value.length; i++) {
    const v = items ? walk(value[i], items, `${path}[${i}]`, out, branch, quiet) : undefined;
    if (celItems) celItems[i] = items ? v : rawToCel(value[i]);
  }
  if (node.minItems !== undefined && value.length < node.minItems) {
    out.push({ code: SchemaCode.COLLECTION_SIZE, path, message: `must have at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}, got ${value.length}` });
  }
  if (node.maxItems !== undefined && value.length > node.maxItems) {
    out.push({ code: SchemaCode.COLLECTION_SIZE, path, message: `must have at most ${node.maxItems} item${node.maxItems === 1 ? '' : 's'}, got ${value.length}` });
  }
  checkEnum(value, node, path, out);
  if (!branch && (node.listType === 'set' || node.listType === 'map')) checkDuplicates(value, node, path, out);
  return celItems;
}

function checkDuplicates(value: unknown[], node: SchemaNode, path: string, out: Out): void {
  const seen = new Set<string>();
  const keys = node.listType === 'map' ? node.listMapKeys ?? [] : undefined;
  value.forEach((item, i) => {
    let id: string;
    if (keys !== undefined) {
      if (!isObject(item)) return;
      const tuple: Record<string, unknown> = {};
      for (const k of keys) {
        let v = item[k];
        if (v === undefined) {
          const def = node.items?.properties?.get(k)?.node;
          v = def?.hasDefault ? def.default : undefined;
        }
        tuple[k] = v;
      }
      id = canonical(tuple);
      if (seen.has(id)) {
        const shown = keys.map(k => `${k}=${show(tuple[k])}`).join(', ');
        out.push({ code: SchemaCode.DUPLICATE, path: `${path}[${i}]`, message: `duplicate entry with key ${shown}: keys of a map list must be unique` });
      }
    } else {
      id = canonical(item);
      if (seen.has(id)) {
        out.push({ code: SchemaCode.DUPLICATE, path: `${path}[${i}]`, message: `duplicate value ${show(item)}: entries of a set list must be unique` });
      }
    }
    seen.add(id);
  });
}

/** True when `key` is present after null pruning and defaulting. */
function present(value: Record<string, unknown>, key: string, info: PropertyInfo | undefined, branch: boolean): boolean {
  const v = value[key];
  if (v === undefined) return info !== undefined && info.node.hasDefault && !branch;
  if (v === null && info !== undefined) return info.node.nullable || (info.node.hasDefault && !branch);
  return true;
}

/** Validates an object; `skip` names root fields validated elsewhere (metadata, apiVersion, kind). */
export function walkObject(value: Record<string, unknown>, node: SchemaNode, path: string, out: Out, branch: boolean,
  skip?: ReadonlySet<string>, quiet = false): unknown {
  const wantCel = node.cel && !branch;
  const props = node.properties;
  const ap = node.additionalProperties;
  const celObj: any = wantCel ? ((props !== undefined || ap === undefined) && !node.preserveUnknown ? {} : new Map()) : undefined;
  const apNode = typeof ap === 'object' ? ap : undefined;
  const keepUnknown = ap === true || node.preserveUnknown || (props === undefined && ap === undefined && node.type !== 'object');
  for (const key of Object.keys(value)) {
    if (skip !== undefined && skip.has(key)) continue;
    let v = value[key];
    if (v === undefined) continue;
    const info = props !== undefined ? props.get(key) : undefined;
    if (info !== undefined) {
      const child = info.node;
      if (v === null && !child.nullable) {
        // The API server prunes nulls of non-nullable fields, then applies the default if any.
        if (!child.hasDefault || branch) continue;
        v = child.default;
      }
      const c = walk(v, child, path + info.segment, out, branch, quiet);
      if (celObj !== undefined && info.celName !== undefined) {
        if (celObj instanceof Map) celObj.set(key, c);
        else celObj[info.celName] = c;
      }
    } else if (apNode !== undefined) {
      if (v === null && !apNode.nullable) {
        if (!apNode.hasDefault || branch) continue;
        v = apNode.default;
      }
      const c = walk(v, apNode, `${path}[${JSON.stringify(key)}]`, out, branch, quiet);
      if (celObj !== undefined) celObj.set(key, c);
    } else if (keepUnknown) {
      if (celObj !== undefined) {
        if (celObj instanceof Map) celObj.set(key, rawToCel(v));
      }
    } else if (!branch) {
      out.push({ code: SchemaCode.UNKNOWN_FIELD, path: path + segment(key), message: unknownFieldMessage(key, props) });
    }
  }
  if (!branch && node.defaults !== undefined) {
    for (const [key, info] of node.defaults) {
      if (value[key] !== undefined) continue;
      const c = walk(info.node.default, info.node, path + info.segment, out, false);
      if (celObj !== undefined && info.celName !== undefined) {
        if (celObj instanceof Map) celObj.set(key, c);
        else celObj[info.celName] = c;
      }
    }
  }
  if (node.required !== undefined) {
    for (const r of node.required) {
      if (!present(value, r, props?.get(r), branch)) {
        out.push({ code: SchemaCode.REQUIRED, path: path + segment(r), message: `required field ${JSON.stringify(r)} is missing` });
      }
    }
  }
  if (node.minProperties !== undefined || node.maxProperties !== undefined) {
    const keys = new Set(Object.keys(value).filter(k => present(value, k, props?.get(k), branch)));
    for (const [k] of branch ? [] : node.defaults ?? []) keys.add(k);
    const n = keys.size;
    if (node.minProperties !== undefined && n < node.minProperties) {
      out.push({ code: SchemaCode.COLLECTION_SIZE, path, message: `must have at least ${node.minProperties} propert${node.minProperties === 1 ? 'y' : 'ies'}, got ${n}` });
    }
    if (node.maxProperties !== undefined && n > node.maxProperties) {
      out.push({ code: SchemaCode.COLLECTION_SIZE, path, message: `must have at most ${node.maxProperties} propert${node.maxProperties === 1 ? 'y' : 'ies'}, got ${n}` });
    }
  }
  return celObj;
}

function unknownFieldMessage(key: string, props: Map<string, PropertyInfo> | undefined): string {
  if (props === undefined || props.size === 0) return `unknown field ${JSON.stringify(key)}: no fields are allowed here`;
  const names = [...props.keys()];
  const list = names.length > 15 ? `${names.slice(0, 15).join(', ')}, ...` : names.join(', ');
  return `unknown field ${JSON.stringify(key)}; allowed fields: ${list}`;
}

/**
 * The object as the API server validates it: nulls of non-nullable properties pruned and
 * defaults applied (one level, which is what `required` in oneOf/anyOf/not branches looks at).
 */
function junctorView(value: unknown, node: SchemaNode): unknown {
  if (!isObject(value) || node.properties === undefined) return value;
  let view: Record<string, unknown> | undefined;
  for (const [key, info] of node.properties) {
    const v = value[key];
    if (v === null && !info.node.nullable) {
      view ??= { ...value };
      if (info.node.hasDefault) view[key] = info.node.default;
      else delete view[key];
    } else if (v === undefined && info.node.hasDefault) {
      view ??= { ...value };
      view[key] = info.node.default;
    }
  }
  return view ?? value;
}

/** True when `value` satisfies the value validations of a junctor branch. */
function passes(value: unknown, branch: SchemaNode, path: string): boolean {
  const errs: Finding[] = [];
  walk(value, branch, path, errs, true, true);
  return errs.length === 0;
}

/** Field names a branch requires, for readable oneOf/anyOf/not messages. */
function branchFields(b: SchemaNode, acc: Set<string>): void {
  for (const r of b.required ?? []) acc.add(r);
  for (const x of [...(b.anyOf ?? []), ...(b.oneOf ?? []), ...(b.allOf ?? [])]) branchFields(x, acc);
  if (b.not) branchFields(b.not, acc);
}

/** The junctor branches' required fields and which of them `value` sets (for readable messages). */
function fieldsOf(value: unknown, branches: readonly SchemaNode[]): { fields: string[]; set: string[] } | undefined {
  const acc = new Set<string>();
  for (const b of branches) branchFields(b, acc);
  if (acc.size === 0 || !isObject(value)) return undefined;
  const fields = [...acc];
  return { fields, set: fields.filter(f => value[f] !== undefined && value[f] !== null) };
}

function exclusiveNote(value: unknown, branches: readonly SchemaNode[]): string {
  const f = fieldsOf(value, branches);
  return f ? `: fields ${f.fields.join(', ')} are mutually exclusive, got ${f.set.length === 0 ? 'none' : f.set.join(', ')}` : '';
}

function anyNote(value: unknown, branches: readonly SchemaNode[]): string {
  const f = fieldsOf(value, branches);
  return f ? `: one of ${f.fields.join(', ')} must be set` : '';
}

function notNote(value: unknown, branch: SchemaNode): string {
  const f = fieldsOf(value, [branch]);
  return f ? `: ${f.fields.join(', ')} must not be set` : '';
}

const BRANCH_FAILED: Finding = { code: SchemaCode.COMBINATION, path: '', message: 'branch failed' };

function checkJunctors(value: unknown, node: SchemaNode, path: string, out: Out, quiet: boolean): void {
  if (node.allOf) {
    for (const b of node.allOf) walk(value, b, path, out, true, quiet);
  }
  if (node.anyOf && !node.anyOf.some(b => passes(value, b, path))) {
    if (quiet) out.push(BRANCH_FAILED);
    else out.push({ code: SchemaCode.COMBINATION, path, message: `must validate at least one schema (anyOf)${anyNote(value, node.anyOf)}` });
  }
  if (node.oneOf) {
    const n = node.oneOf.filter(b => passes(value, b, path)).length;
    if (n !== 1) {
      if (quiet) out.push(BRANCH_FAILED);
      else out.push({ code: SchemaCode.COMBINATION, path, message: `must validate one and only one schema (oneOf), matched ${n}${exclusiveNote(value, node.oneOf)}` });
    }
  }
  if (node.not && passes(value, node.not, path)) {
    if (quiet) out.push(BRANCH_FAILED);
    else out.push({ code: SchemaCode.COMBINATION, path, message: `must not validate the schema (not)${notNote(value, node.not)}` });
  }
}
