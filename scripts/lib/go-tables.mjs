// Finds the test tables of Istio's pkg/config/validation tests and reads each case's data with
// go-literal.mjs: name, the resource spec (`in`/`config`), and the verdict (`valid`, or an
// expected error substring `out`/`err`/`error`; "" means valid).
import { GoParser, tokenize, Unsupported } from './go-literal.mjs';

const KINDS = {
  'networking.Gateway': ['networking.istio.io/v1', 'Gateway'],
  'networking.VirtualService': ['networking.istio.io/v1', 'VirtualService'],
  'networking.DestinationRule': ['networking.istio.io/v1', 'DestinationRule'],
  'networking.ServiceEntry': ['networking.istio.io/v1', 'ServiceEntry'],
  'networking.Sidecar': ['networking.istio.io/v1', 'Sidecar'],
  'security_beta.AuthorizationPolicy': ['security.istio.io/v1', 'AuthorizationPolicy'],
  'security_beta.RequestAuthentication': ['security.istio.io/v1', 'RequestAuthentication'],
  'security_beta.PeerAuthentication': ['security.istio.io/v1', 'PeerAuthentication'],
};

/** The balanced `{...}` block starting at token `i` (a '{'): index after its '}'. */
function blockEnd(toks, i) {
  let depth = 0;
  for (let j = i; j < toks.length; j++) {
    if (toks[j].t === 'p' && toks[j].v === '{') depth++;
    if (toks[j].t === 'p' && toks[j].v === '}') { depth--; if (depth === 0) return j + 1; }
  }
  return toks.length;
}

/**
 * Extracts the table of test function `fn` from Go source `src`. Returns { cases, skipped } where
 * each case is { name, apiVersion, kind, spec, valid, expect } and each skipped one { name, reason }.
 */
export function extractTable(src, fn) {
  const start = src.indexOf(`func ${fn}(`);
  if (start < 0) return { cases: [], skipped: [{ name: fn, reason: 'test function not found' }] };
  const toks = tokenize(src.slice(start));
  const fnEnd = blockEnd(toks, toks.findIndex(t => t.v === '{'));
  // the table: `[]struct { fields }{ cases }`
  let i = 0;
  while (i < fnEnd && !(toks[i].v === '[' && toks[i + 1]?.v === ']' && toks[i + 2]?.v === 'struct')) i++;
  if (i >= fnEnd) return { cases: [], skipped: [{ name: fn, reason: 'no []struct table' }] };
  i += 3;
  const defEnd = blockEnd(toks, i);
  const fields = [];
  for (let j = i + 1; j < defEnd - 1; j++) {
    // `name string` / `in proto.Message` / `a, b string`: identifiers followed by a type
    if (toks[j].t === 'id' && (toks[j - 1].v === '{' || toks[j - 1].pos < toks[j].pos && src.slice(start).slice(toks[j - 1].pos, toks[j].pos).includes('\n') || toks[j - 1].v === ',')) {
      fields.push(toks[j].v);
      while (toks[j + 1]?.v === ',') { fields.push(toks[j + 2].v); j += 2; }
    }
  }
  const tableEnd = blockEnd(toks, defEnd);
  // the namespace the test loop puts the config in (`Namespace: "..."` after the table)
  const loop = src.slice(start).slice(toks[tableEnd - 1].pos, toks[Math.min(fnEnd, toks.length - 1)].pos);
  const namespace = /Namespace:\s*"([^"]+)"/.exec(loop)?.[1] ?? 'default';
  const cases = [];
  const skipped = [];
  let k = defEnd + 1;
  let n = 0;
  while (k < tableEnd - 1) {
    if (toks[k].v !== '{') { k++; continue; }
    const end = blockEnd(toks, k);
    const p = new GoParser(toks.slice(k + 1, end - 1));
    const values = {};
    let reason;
    const keyed = p.peek()?.t === 'id' && p.is(':', 1) && fields.includes(p.peek().v);
    let pos = 0;
    while (p.i < p.toks.length) {
      let field;
      if (keyed) { field = p.next().v; p.expect(':'); } else field = fields[pos++];
      const at = p.i;
      try {
        const v = p.value();
        values[field] = v && typeof v === 'object' && v.__map ? v.__map : v;
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        p.i = at;
        p.skipExpr();
        if (['in', 'config', 'spec', 'cfg'].includes(field)) reason = e.message;
      }
      if (p.is(',')) p.next();
    }
    n++;
    const name = String(values.name ?? values.title ?? `case ${n}`);
    const inField = ['in', 'config', 'spec', 'cfg'].find(f => fields.includes(f));
    const inType = inField ? typeOf(toks, k, end, keyed, fields, inField) : undefined;
    const kind = inType ? KINDS[inType] : undefined;
    let valid;
    if ('valid' in values) valid = values.valid === true;
    else for (const f of ['out', 'err', 'error', 'errorMsg', 'expectedErr']) if (f in values) valid = values[f] === '' || values[f] === undefined;
    if (valid === undefined && fields.some(f => ['valid', 'out', 'err', 'error', 'errorMsg', 'expectedErr'].includes(f))) valid = !('valid' in values) ? true : false;
    if (reason) skipped.push({ name, reason: `not a constant literal: ${reason}` });
    else if (!kind) skipped.push({ name, reason: `input is ${inType ?? 'not a resource literal'} (not a whole resource of a kind we validate)` });
    else if (valid === undefined) skipped.push({ name, reason: 'no verdict field' });
    else {
      const spec = values[inField] ?? {};
      const expect = ['out', 'err', 'error', 'errorMsg'].map(f => values[f]).find(v => typeof v === 'string' && v !== '') ?? '';
      // `labels` / `annotations` fields of a case become the config's metadata (the test loops set them as Meta).
      const labels = {
        ...(values.labels && typeof values.labels === 'object' ? { labels: values.labels } : {}),
        ...(values.annotations && typeof values.annotations === 'object' ? { annotations: values.annotations } : {}),
      };
      cases.push({ name, apiVersion: kind[0], kind: kind[1], metadata: { name: 'test', namespace, ...labels }, spec, valid, ...(expect ? { expect } : {}) });
    }
    k = end;
  }
  return { cases, skipped };
}

function typeOf(toks, k, end, keyed, fields, inField) {
  // the Go type named right after the field (keyed) or at the field's position
  let j = k + 1;
  if (keyed) {
    while (j < end && !(toks[j].v === inField && toks[j + 1]?.v === ':')) j++;
    j += 2;
  } else {
    // positional: skip earlier fields by counting top-level commas
    let depth = 0;
    let idx = 0;
    const want = fields.indexOf(inField);
    while (j < end && idx < want) {
      const v = toks[j].v;
      if ('({['.includes(v) && toks[j].t === 'p') depth++;
      if (')}]'.includes(v) && toks[j].t === 'p') depth--;
      if (v === ',' && depth === 0) idx++;
      j++;
    }
  }
  if (toks[j]?.v === '&') j++;
  return toks[j]?.t === 'id' ? toks[j].v : undefined;
}
