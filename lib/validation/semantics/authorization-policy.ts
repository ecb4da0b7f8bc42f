import { arr, Findings, isSet, obj, q, str } from './context';
import { checkSelectorLabels, checkTargetRefs } from './common';
import { isIpOrCidr } from './names';
import { Code } from '../codes';

// istiod's admission rules for AuthorizationPolicy (istio/istio pkg/config/validation/validation.go
// `ValidateAuthorizationPolicy`, pkg/config/security/security.go). `serviceAccounts` together with
// `principals`/`namespaces` and `selector` together with `targetRefs` are CEL rules (tier 1).

const SOURCE_FIELDS = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts'];
/** Source fields that make a rule match at L4 (TCP) as well. */
const TCP_SOURCE_FIELDS = SOURCE_FIELDS.filter(k => k !== 'requestPrincipals' && k !== 'notRequestPrincipals');
const OPERATION_FIELDS = ['ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts'];
const IP_FIELDS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const CUSTOM_UNSUPPORTED_SOURCE = ['namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals'];

function isPort(v: string): boolean {
  return /^[0-9]+$/.test(v) && Number(v) <= 65535;
}

function checkValues(f: Findings, path: string, field: string, values: unknown): void {
  arr(values).forEach((v, i) => {
    if (v === '') f.error(Code.CI2078, `${path}.${field}[${i}]`, `empty value not allowed in ${field}`);
  });
}

/** CI2086 (warning): Istio compares principals without the scheme; a `spiffe://` value never matches. */
function checkSpiffe(f: Findings, path: string, value: unknown): void {
  if (typeof value === 'string' && value.toLowerCase().startsWith('spiffe://')) {
    f.warn(Code.CI2086, path, `principal ${q(value)} never matches: Istio compares principals without the "spiffe://" prefix; use ${q(value.slice('spiffe://'.length))}`);
  }
}

function checkPathTemplate(f: Findings, path: string, value: string): void {
  if (!value.includes('{') && !value.includes('}')) return;
  const hasTemplate = value.includes('{*}') || value.includes('{**}');
  let seenAny = false;
  for (const glob of value.replace(/^\/+|\/+$/g, '').split('/')) {
    if ((glob === '{*}' || glob === '{**}') && seenAny) {
      f.error(Code.CI2081, path, `invalid path template ${q(value)}: {**} must be the last operator`);
      return;
    }
    if (glob === '{*}') continue;
    if (glob === '{**}') { seenAny = true; continue; }
    if (/[{}]/.test(glob)) {
      f.error(Code.CI2081, path, `invalid path template ${q(value)}: '{' or '}' outside a supported template ({*} or {**})`);
      return;
    }
    if (hasTemplate && !/^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/.test(glob)) {
      f.error(Code.CI2081, path, `invalid path template ${q(value)}: segment ${q(glob)} is not a valid literal`);
      return;
    }
  }
}

// The condition keys of istio 1.30.3 pkg/config/security/security.go ValidateAttribute.
const KNOWN_WHEN_KEYS = ['source.ip', 'remote.ip', 'source.namespace', 'source.principal', 'source.serviceAccount', 'source.trustDomain',
  'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter', 'destination.ip', 'destination.port', 'connection.sni'];
const MAP_WHEN_PREFIXES = ['request.headers', 'request.auth.claims', 'experimental.envoy.filters.'];

function checkWhen(f: Findings, path: string, condition: Record<string, any>): void {
  const key = str(condition.key);
  if (key === undefined) return;
  if (key === '') { f.error(Code.CI2082, `${path}.key`, '`key` must not be empty'); return; }
  const values = arr(condition.values);
  const notValues = arr(condition.notValues);
  if (values.length === 0 && notValues.length === 0) {
    f.error(Code.CI2083, path, `at least one of values or notValues must be set for key ${q(key)}`);
    return;
  }
  const prefix = MAP_WHEN_PREFIXES.find(p => key.startsWith(p));
  if (prefix) {
    const open = key.indexOf('[');
    if (!(key.endsWith(']') && open > 0 && open < key.length - 2)) {
      f.error(Code.CI2082, `${path}.key`, `bad key ${q(key)}: should have the format ${prefix.replace(/\.$/, '')}[name]`);
    }
  } else if (key === 'destination.namespace') {
    f.error(Code.CI2082, `${path}.key`, 'key "destination.namespace" is not supported; the policy namespace (metadata.namespace) scopes it');
  } else if (key.startsWith('destination.labels')) {
    f.error(Code.CI2082, `${path}.key`, `key ${q(key)} is not supported; use the workload selector`);
  } else if (key === 'destination.name' || key === 'destination.user') {
    f.error(Code.CI2082, `${path}.key`, `key ${q(key)} is deprecated and only supported in v1alpha1`);
  } else if (!KNOWN_WHEN_KEYS.includes(key)) {
    f.error(Code.CI2082, `${path}.key`, `unknown condition key ${q(key)}; supported: ${[...KNOWN_WHEN_KEYS, 'request.headers[...]', 'request.auth.claims[...]'].join(', ')}`);
  }
  for (const field of ['values', 'notValues']) {
    arr(condition[field]).forEach((v, i) => {
      const vp = `${path}.${field}[${i}]`;
      if (v === '') { f.error(Code.CI2078, vp, `empty value not allowed for key ${q(key)}`); return; }
      if (typeof v !== 'string') return;
      if (key === 'source.principal') checkSpiffe(f, vp, v);
      if ((key === 'source.ip' || key === 'remote.ip' || key === 'destination.ip') && !isIpOrCidr(v)) {
        f.error(Code.CI2079, vp, `bad IP address or CIDR range ${q(v)} for key ${key}`);
      } else if (key === 'source.trustDomain' && (v.split('*').length > 2 || (v.includes('*') && v !== '*' && !v.startsWith('*') && !v.endsWith('*')))) {
        f.error(Code.CI2084, vp, `bad value ${q(v)} for key source.trustDomain: at most one "*", at the start or the end`);
      } else if (key === 'destination.port' && !isPort(v)) {
        f.error(Code.CI2080, vp, `bad port ${q(v)} for key destination.port; use a number 0..65535`);
      }
    });
  }
}

/**
 * A DENY on `/x/*` does not deny `/x`: istiod renders a trailing `*` as a prefix match on what
 * precedes it (`/x/`), istio/istio 1.30.3 pilot/pkg/security/authz/matcher/string.go.
 */
function checkDenyPrefixes(f: Findings, path: string, paths: unknown[]): void {
  paths.forEach((v, n) => {
    const m = typeof v === 'string' ? /^(\/.+)\/\*$/.exec(v) : null;
    if (m && !paths.includes(m[1])) {
      f.warn(Code.CI2191, `${path}[${n}]`, `DENY on ${q(v)} does not cover ${q(m[1])} (a trailing * is a prefix match on ${q(`${m[1]}/`)}); add ${q(m[1])} to the paths`);
    }
  });
}

/** Validates an AuthorizationPolicy spec. */
export function validateAuthorizationPolicy(f: Findings, spec: Record<string, any>): void {
  checkTargetRefs(f, spec);
  checkSelectorLabels(f, 'spec.selector', spec.selector, 'matchLabels');
  const action = str(spec.action) ?? 'ALLOW';
  const rulesSet = isSet(spec.rules);
  const rules = arr(spec.rules);

  if (action === 'CUSTOM') {
    if (!rulesSet) {
      f.error(Code.CI2071, 'spec', 'CUSTOM action without rules never triggers; add an empty rule {} to trigger it for every request');
    } else if (!str(obj(spec.provider)?.name)) {
      f.error(Code.CI2072, 'spec.provider.name', 'CUSTOM action needs provider.name (an extension provider from the mesh config)');
    }
    rules.forEach((rv, i) => {
      const rule = obj(rv);
      if (!rule) return;
      arr(rule.from).forEach((fv, j) => {
        const src = obj(obj(fv)?.source);
        for (const k of CUSTOM_UNSUPPORTED_SOURCE) {
          if (src && arr(src[k]).length > 0) f.error(Code.CI2074, `spec.rules[${i}].from[${j}].source.${k}`, `${k} is not supported with CUSTOM action`);
        }
      });
      arr(rule.when).forEach((wv, j) => {
        const key = str(obj(wv)?.key) ?? '';
        if (key === 'source.namespace' || key === 'source.serviceAccount' || key === 'source.principal' || key.startsWith('request.auth.')) {
          f.error(Code.CI2074, `spec.rules[${i}].when[${j}].key`, `condition key ${q(key)} is not supported with CUSTOM action`);
        }
      });
    });
  }
  if (isSet(spec.provider) && action !== 'CUSTOM') {
    f.error(Code.CI2073, 'spec.provider', `provider is allowed only with action CUSTOM, found ${action}`);
  }
  if (action === 'DENY' && !rulesSet) {
    f.error(Code.CI2070, 'spec', 'DENY action without rules never triggers; add rules, or an empty rule {} to deny every request');
  }

  rules.forEach((rv, i) => {
    const rule = obj(rv);
    if (!rule) return;
    const rp = `spec.rules[${i}]`;
    let fromExists = false;
    let toExists = false;
    let tcpFrom = false;
    let tcpTo = false;
    if (Array.isArray(rule.from) && rule.from.length === 0) f.error(Code.CI2075, `${rp}.from`, '`from` must not be empty; remove it to match any source');
    arr(rule.from).forEach((fv, j) => {
      const fp = `${rp}.from[${j}]`;
      const src = obj(obj(fv)?.source);
      if (!src) { f.error(Code.CI2076, fp, '`from` entry needs a `source`'); return; }
      fromExists = true;
      if (!SOURCE_FIELDS.some(k => arr(src[k]).length > 0)) f.error(Code.CI2077, `${fp}.source`, '`from.source` must not be empty; set at least one field');
      for (const k of SOURCE_FIELDS) checkValues(f, `${fp}.source`, k, src[k]);
      for (const k of ['principals', 'notPrincipals']) {
        arr(src[k]).forEach((v, n) => checkSpiffe(f, `${fp}.source.${k}[${n}]`, v));
      }
      for (const k of IP_FIELDS) {
        arr(src[k]).forEach((v, n) => {
          if (typeof v === 'string' && v !== '' && !isIpOrCidr(v)) f.error(Code.CI2079, `${fp}.source.${k}[${n}]`, `bad IP address or CIDR range ${q(v)}`);
        });
      }
      if (TCP_SOURCE_FIELDS.some(k => isSet(src[k]))) tcpFrom = true;
    });
    if (Array.isArray(rule.to) && rule.to.length === 0) f.error(Code.CI2075, `${rp}.to`, '`to` must not be empty; remove it to match any operation');
    arr(rule.to).forEach((tv, j) => {
      const tp = `${rp}.to[${j}]`;
      const op = obj(obj(tv)?.operation);
      if (!op) { f.error(Code.CI2076, tp, '`to` entry needs an `operation`'); return; }
      toExists = true;
      if (!OPERATION_FIELDS.some(k => arr(op[k]).length > 0)) f.error(Code.CI2077, `${tp}.operation`, '`to.operation` must not be empty; set at least one field');
      for (const k of OPERATION_FIELDS) checkValues(f, `${tp}.operation`, k, op[k]);
      for (const k of ['ports', 'notPorts']) {
        arr(op[k]).forEach((v, n) => {
          if (typeof v === 'string' && v !== '' && !isPort(v)) f.error(Code.CI2080, `${tp}.operation.${k}[${n}]`, `bad port ${q(v)}; use a number 0..65535`);
        });
      }
      for (const k of ['paths', 'notPaths']) {
        arr(op[k]).forEach((v, n) => { if (typeof v === 'string') checkPathTemplate(f, `${tp}.operation.${k}[${n}]`, v); });
      }
      if (action === 'DENY') checkDenyPrefixes(f, `${tp}.operation.paths`, arr(op.paths));
      if (isSet(op.ports) || isSet(op.notPorts)) tcpTo = true;
    });
    arr(rule.when).forEach((wv, j) => {
      const w = obj(wv);
      if (w) checkWhen(f, `${rp}.when[${j}]`, w);
    });
    if (action === 'DENY' && ((fromExists && !toExists && !tcpFrom) || (toExists && !tcpTo))) {
      f.warn(Code.CI2085, rp, 'this DENY rule uses only HTTP attributes: on a workload in its scope that serves a TCP (non-HTTP) port it denies all traffic to that port; if any does, add `ports` with the HTTP ports to the operation (no effect where every port is HTTP)');
    }
  });
}
