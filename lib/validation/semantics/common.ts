import { arr, child, Findings, obj, q, str } from './context';
import { isLowerDnsLabel } from './names';
import { Code } from '../codes';

// Checks istiod applies to several kinds (istio/istio pkg/config/validation/validation.go).

/** Istio's protocol names (pkg/config/protocol), case-insensitive. */
const PROTOCOLS = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);
const HTTP_PROTOCOLS = new Set(['http', 'http2', 'http_proxy', 'grpc', 'grpc-web']);
const TLS_PROTOCOLS = new Set(['https', 'tls']);

/** True when Istio knows the protocol name ('' means sniffing and is allowed). */
export function isKnownProtocol(protocol: string): boolean {
  return protocol === '' || PROTOCOLS.has(protocol.toLowerCase());
}

/** Istio's `IsHTTP()`. */
export function isHttpProtocol(protocol: string | undefined): boolean {
  return HTTP_PROTOCOLS.has((protocol ?? '').toLowerCase());
}

/** Istio's `IsTLS()`. */
export function isTlsProtocol(protocol: string | undefined): boolean {
  return TLS_PROTOCOLS.has((protocol ?? '').toLowerCase());
}

/** CI2005: port protocol must be one Istio knows. */
export function checkProtocol(f: Findings, path: string, protocol: unknown): void {
  if (typeof protocol === 'string' && !isKnownProtocol(protocol)) {
    f.error(Code.CI2005, path, `unsupported protocol ${q(protocol)}; allowed: HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, TCP, TLS, UDP, MONGO, MYSQL, REDIS (or unset for sniffing)`);
  }
}

/** CI2006: port names must be DNS-1123 labels. */
export function checkPortName(f: Findings, path: string, name: unknown): void {
  if (typeof name === 'string' && !isLowerDnsLabel(name)) {
    f.error(Code.CI2006, path, `invalid port name ${q(name)}; a port name must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)`);
  }
}

/**
 * CI2002: `exportTo` entries: `.`, `*`, a namespace name (`~` too on a ServiceEntry); no duplicates
 * (`.` equals the own namespace), `*` and `~` only alone; a DestinationRule with a
 * workloadSelector only to its own namespace.
 */
export function checkExportTo(f: Findings, exportTo: unknown, opts: { serviceEntry?: boolean; selectorDr?: boolean } = {}): void {
  const list = arr(exportTo);
  if (list.length === 0) return;
  const ns = f.namespace;
  const seen = new Set<string>();
  list.forEach((e, i) => {
    if (typeof e !== 'string') return;
    const path = `spec.exportTo[${i}]`;
    const key = e === '.' ? ns || '.' : e;
    if (seen.has(key)) {
      f.error(Code.CI2002, path, key !== e
        ? `duplicate exportTo entry: "." and the own namespace ${q(ns)} are the same`
        : `duplicate exportTo entry ${q(e)}`);
      return;
    }
    if (e === '~' && !opts.serviceEntry) {
      f.error(Code.CI2002, path, `exportTo "~" (export to no one) is allowed only on a ServiceEntry`);
      return;
    }
    if (e !== '.' && e !== '*' && e !== '~' && !isLowerDnsLabel(e)) {
      f.error(Code.CI2002, path, `exportTo entry ${q(e)} is not ".", "*" or a namespace name (DNS-1123 label)`);
      return;
    }
    seen.add(key);
  });
  if (seen.has('*') && list.length > 1) {
    f.error(Code.CI2002, 'spec.exportTo', `exportTo ${q(list)} mixes "*" (public) with other entries; use "*" alone`);
  }
  if (seen.has('~') && list.length > 1) {
    f.error(Code.CI2002, 'spec.exportTo', `exportTo ${q(list)} mixes "~" (no one) with other entries; use "~" alone`);
  }
  if (opts.selectorDr && seen.size > 0) {
    if (!seen.has(ns) && !seen.has('.')) {
      f.error(Code.CI2002, 'spec.exportTo', `a DestinationRule with a workloadSelector cannot be exported beyond its own namespace; got ${q(list)}, allowed: ["."]`);
    } else if (seen.size > 1) {
      f.error(Code.CI2002, 'spec.exportTo', `a DestinationRule with a workloadSelector can have only one exportTo entry (its own namespace); got ${q(list)}`);
    }
  }
}

/** CI2003 (warning): a workload selector without labels selects every workload of the namespace. */
export function checkSelectorLabels(f: Findings, path: string, selector: unknown, labelsField: 'matchLabels' | 'labels'): void {
  const sel = obj(selector);
  if (!sel) return;
  const labels = obj(sel[labelsField]);
  // Wildcards in keys and values are CEL rules of the CRDs (tier 1); an empty key is istiod's rule.
  if (labels && Object.prototype.hasOwnProperty.call(labels, '')) {
    f.error(Code.CI2008, child(`${path}.${labelsField}`, ''), `a workload selector label needs a name (key), got the empty key with value ${q(labels[''])}`);
  }
  if (!labels || Object.keys(labels).length === 0) {
    f.warn(Code.CI2003, path, `workload selector specified without ${labelsField}; it applies to every workload in the namespace`);
  }
}

const TARGET_KINDS: Record<string, string> = {
  'core/Service': 'Service',
  'networking.istio.io/ServiceEntry': 'ServiceEntry',
  'gateway.networking.k8s.io/Gateway': 'Gateway',
  'gateway.networking.k8s.io/GatewayClass': 'GatewayClass',
};

/**
 * CI2004: a policy `targetRef`/`targetRefs[]` must name a Service (group ""), a ServiceEntry
 * (networking.istio.io), a Gateway or GatewayClass (gateway.networking.k8s.io).
 */
export function checkTargetRefs(f: Findings, spec: Record<string, any>): void {
  const refs: Array<[string, unknown]> = [];
  if (spec.targetRef !== undefined) refs.push(['spec.targetRef', spec.targetRef]);
  arr(spec.targetRefs).forEach((r, i) => refs.push([`spec.targetRefs[${i}]`, r]));
  for (const [path, value] of refs) {
    const ref = obj(value);
    if (!ref) continue;
    const group = str(ref.group) || 'core';
    const kind = str(ref.kind) ?? '';
    if (!TARGET_KINDS[`${group}/${kind}`]) {
      f.error(Code.CI2004, path, `targetRef ${q(`${str(ref.group) ?? ''}/${kind}`)} is not supported; allowed: Service (group ""), ServiceEntry (networking.istio.io), Gateway or GatewayClass (gateway.networking.k8s.io)`);
    }
  }
}

/**
 * CI2007: the `istio.io/dry-run` annotation is supported only on AuthorizationPolicy with action
 * ALLOW or DENY, and its value must be a boolean.
 */
export function checkDryRun(f: Findings, kind: string, spec: Record<string, any>): void {
  const annotations = obj(obj(f.doc?.metadata)?.annotations);
  if (!annotations || !('istio.io/dry-run' in annotations)) return;
  const path = child('metadata.annotations', 'istio.io/dry-run');
  const value = annotations['istio.io/dry-run'];
  if (kind !== 'AuthorizationPolicy') {
    f.error(Code.CI2007, path, `annotation istio.io/dry-run is supported only on AuthorizationPolicy; remove it from this ${kind}`);
    return;
  }
  const action = str(spec.action) ?? 'ALLOW';
  if (action !== 'ALLOW' && action !== 'DENY') {
    f.error(Code.CI2007, path, `annotation istio.io/dry-run supports only action ALLOW or DENY, found ${action}`);
  } else if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(String(value))) {
    f.error(Code.CI2007, path, `annotation istio.io/dry-run has invalid value ${q(value)}; expected "true" or "false"`);
  }
}
