// Reads the *data* of Go test tables (struct literals of Istio's protobuf types) into JSON as the
// Kubernetes API would hold it. Only what a script can read without running Go: composite
// literals, strings, numbers, bools, enum constants, oneof wrappers, wrapperspb values and
// durationpb.New(<constant>). Anything else (variables, helper calls, structpb) makes the case
// "not extracted", with the reason, so it is listed in SOURCES.md instead of being guessed.

export class Unsupported extends Error {}

/** Splits Go source into tokens (identifiers, numbers, strings, punctuation); comments dropped. */
export function tokenize(src) {
  const out = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('//', i)) { i = src.indexOf('\n', i); if (i < 0) break; continue; }
    if (src.startsWith('/*', i)) { i = src.indexOf('*/', i) + 2; continue; }
    if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out.push({ t: 'str', v: JSON.parse(src.slice(i, j + 1).replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')), pos: i });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      out.push({ t: 'str', v: src.slice(i + 1, j), pos: i });
      i = j + 1;
      continue;
    }
    if (c === '\'') {
      const j = src.indexOf('\'', i + 1);
      out.push({ t: 'rune', v: src.slice(i + 1, j), pos: i });
      i = j + 1;
      continue;
    }
    const num = /^(?:0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)/.exec(src.slice(i, i + 40));
    if (num) { out.push({ t: 'num', v: Number(num[0].replace(/_/g, '')), pos: i }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i, i + 200));
    if (id) { out.push({ t: 'id', v: id[0], pos: i }); i += id[0].length; continue; }
    const p2 = src.slice(i, i + 2);
    if ([':=', '==', '!=', '&&', '||', '<=', '>=', '++', '--'].includes(p2)) { out.push({ t: 'p', v: p2, pos: i }); i += 2; continue; }
    out.push({ t: 'p', v: c, pos: i });
    i++;
  }
  return out;
}

// Constants of istio's pkg/config/schema/gvk that the tables use in targetRefs.
const CONSTANTS = {
  'gvk.KubernetesGateway.Group': 'gateway.networking.k8s.io', 'gvk.KubernetesGateway.Kind': 'Gateway',
  'gvk.GatewayClass.Group': 'gateway.networking.k8s.io', 'gvk.GatewayClass.Kind': 'GatewayClass',
  'gvk.Service.Group': '', 'gvk.Service.Kind': 'Service',
  'gvk.ServiceEntry.Group': 'networking.istio.io', 'gvk.ServiceEntry.Kind': 'ServiceEntry',
};

const DURATION_UNITS = { 'time.Nanosecond': 1e-9, 'time.Microsecond': 1e-6, 'time.Millisecond': 1e-3, 'time.Second': 1, 'time.Minute': 60, 'time.Hour': 3600 };

/** The protobuf JSON form of a duration in seconds ("1.500s"). */
function durationJson(seconds) {
  const s = Number(seconds.toFixed(9));
  return `${s}s`;
}

function jsonName(goField) {
  return goField[0].toLowerCase() + goField.slice(1);
}

/** The enum value name of a Go constant such as `networking.ServerTLSSettings_ISTIO_MUTUAL`. */
function enumValue(ident) {
  const last = ident.split('.').pop();
  const parts = last.split('_');
  let k = parts.length;
  while (k > 1 && /^[A-Z0-9]+$/.test(parts[k - 1])) k--;
  if (k === parts.length) return undefined;
  return parts.slice(k).join('_');
}

/** A parser over a token list from index `i`. */
export class GoParser {
  constructor(tokens, i = 0) { this.toks = tokens; this.i = i; }
  peek(o = 0) { return this.toks[this.i + o]; }
  next() { return this.toks[this.i++]; }
  is(v, o = 0) { const t = this.peek(o); return t !== undefined && t.v === v && (t.t === 'p' || t.t === 'id'); }
  expect(v) { const t = this.next(); if (!t || t.v !== v) throw new Unsupported(`expected ${v}, got ${t ? t.v : 'end'}`); return t; }

  /** Skips a balanced expression (used for fields we ignore), returning the tokens' span. */
  skipExpr() {
    let depth = 0;
    const start = this.i;
    while (this.i < this.toks.length) {
      const t = this.peek();
      if (t.t === 'p' && '({['.includes(t.v)) depth++;
      if (t.t === 'p' && ')}]'.includes(t.v)) { if (depth === 0) break; depth--; }
      if (t.t === 'p' && t.v === ',' && depth === 0) break;
      this.i++;
    }
    return [start, this.i];
  }

  /** Reads a type expression (`&pkg.T`, `[]*pkg.T`, `map[string]string`) and returns its description. */
  type() {
    let ref = false;
    if (this.is('&')) { this.next(); ref = true; }
    if (this.is('[')) {
      this.next();
      this.expect(']');
      if (this.is('*')) this.next();
      const elem = this.type();
      return { kind: 'slice', elem, ref };
    }
    if (this.is('map')) {
      this.next();
      this.expect('[');
      this.type();
      this.expect(']');
      if (this.is('*')) this.next();
      const elem = this.type();
      return { kind: 'map', elem, ref };
    }
    if (this.is('*')) this.next();
    const t = this.next();
    if (!t || t.t !== 'id') throw new Unsupported(`type expected, got ${t ? t.v : 'end'}`);
    return { kind: 'named', name: t.v, ref };
  }

  /** Reads a value expression, with `hint` the element type of an elided composite literal. */
  value(hint) {
    const t = this.peek();
    if (!t) throw new Unsupported('unexpected end');
    if (t.t === 'str') { this.next(); return this.binaryTail(t.v); }
    if (t.t === 'num') { this.next(); return this.binaryTail(t.v); }
    if (t.t === 'p' && t.v === '-') { this.next(); const v = this.value(hint); if (typeof v !== 'number') throw new Unsupported('negation of non-number'); return -v; }
    if (t.t === 'p' && t.v === '{') return this.composite(hint);
    if (t.t === 'p' && (t.v === '&' || t.v === '[')) return this.composite(this.type());
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') { this.next(); return t.v === 'true'; }
      if (t.v === 'nil') { this.next(); return undefined; }
      if (t.v === 'map') return this.composite(this.type());
      if (t.v in CONSTANTS) { this.next(); return CONSTANTS[t.v]; }
      if (t.v in DURATION_UNITS) { this.next(); return { duration: this.durationTail(DURATION_UNITS[t.v]) }; }
      if (t.v === 'durationpb.New' || t.v === 'types.DurationProto' || t.v === 'ptypes.DurationProto') {
        this.next(); this.expect('(');
        const v = this.value();
        this.expect(')');
        if (v && typeof v === 'object' && 'duration' in v) return durationJson(v.duration);
        if (typeof v === 'number') return durationJson(v * 1e-9);
        throw new Unsupported('durationpb.New of a non-constant');
      }
      if (/^(?:u?int(?:8|16|32|64)?|float(?:32|64)|string)$/.test(t.v) && this.is('(', 1)) {
        this.next(); this.expect('(');
        const v = this.value();
        this.expect(')');
        return v;
      }
      if (this.is('{', 1)) return this.composite(this.type());
      const e = enumValue(t.v);
      if (e !== undefined && t.v.includes('.') && !this.is('(', 1)) { this.next(); return e; }
      throw new Unsupported(`not a constant: ${t.v}${this.is('(', 1) ? '(...)' : ''}`);
    }
    throw new Unsupported(`unexpected ${t.v}`);
  }

  binaryTail(v) {
    if (this.is('*') && typeof v === 'number') {
      this.next();
      const r = this.value();
      if (r && typeof r === 'object' && 'duration' in r) return { duration: v * r.duration };
      if (typeof r === 'number') return v * r;
      throw new Unsupported('product of non-numbers');
    }
    if (this.is('+') && typeof v === 'string') { this.next(); const r = this.value(); if (typeof r !== 'string') throw new Unsupported('string concat'); return v + r; }
    return v;
  }

  durationTail(unit) {
    if (this.is('*')) { this.next(); const r = this.value(); if (typeof r !== 'number') throw new Unsupported('duration product'); return unit * r; }
    return unit;
  }

  composite(type) {
    if (!type) throw new Unsupported('composite literal without a type');
    this.expect('{');
    if (type.kind === 'slice') {
      const arr = [];
      while (!this.is('}')) {
        arr.push(this.value(type.elem));
        if (this.is(',')) this.next();
      }
      this.next();
      return arr;
    }
    if (type.kind === 'map') {
      const obj = {};
      while (!this.is('}')) {
        const k = this.value();
        this.expect(':');
        const v = this.value(type.elem);
        obj[String(k)] = v && typeof v === 'object' && v.__map ? v.__map : v;
        if (this.is(',')) this.next();
      }
      this.next();
      return { __map: obj };
    }
    const name = type.name;
    const fields = [];
    while (!this.is('}')) {
      const key = this.next();
      if (key.t !== 'id' || !this.is(':')) throw new Unsupported(`positional struct literal ${name}`);
      this.next();
      fields.push([key.v, this.value()]);
      if (this.is(',')) this.next();
    }
    this.next();
    const short = name.split('.').pop();
    if (/^(?:BoolValue|UInt32Value|Int32Value|UInt64Value|Int64Value|DoubleValue|FloatValue|StringValue)$/.test(short)) {
      const v = fields.find(f => f[0] === 'Value');
      return v ? v[1] : (short === 'BoolValue' ? false : short === 'StringValue' ? '' : 0);
    }
    if (short === 'Duration' && /(?:durationpb|types|duration)\./.test(name)) {
      const s = fields.find(f => f[0] === 'Seconds')?.[1] ?? 0;
      const n = fields.find(f => f[0] === 'Nanos')?.[1] ?? 0;
      return durationJson(s + n * 1e-9);
    }
    if (/^(?:Struct|Value|Any|ListValue)$/.test(short) && /structpb|types\.|anypb/.test(name)) throw new Unsupported(`${name} literal`);
    // A oneof wrapper (`StringMatch_Exact{Exact: "x"}`): its single field goes into the parent.
    const suffix = short.includes('_') ? short.slice(short.lastIndexOf('_') + 1) : undefined;
    if (suffix !== undefined && fields.length === 1 && fields[0][0] === suffix) {
      return { __oneof: { [jsonName(suffix)]: fields[0][1] } };
    }
    const obj = {};
    for (const [k, v] of fields) {
      // protobuf JSON omits unset and empty repeated/map fields (`Endpoints: []...{}` is no field)
      if (v === undefined || (Array.isArray(v) && v.length === 0) || (v && typeof v === 'object' && v.__map && Object.keys(v.__map).length === 0)) continue;
      if (v && typeof v === 'object' && v.__map) { obj[jsonName(k)] = v.__map; continue; }
      if (v && typeof v === 'object' && '__oneof' in v) Object.assign(obj, v.__oneof);
      else if (v && typeof v === 'object' && 'duration' in v) throw new Unsupported('bare time.Duration field');
      else obj[jsonName(k)] = v;
    }
    return obj;
  }
}
