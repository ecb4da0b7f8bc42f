import { arr, Findings, isSet, num, obj, q, str } from './context';
import { checkDurationPrecision } from './durations';
import { Code } from '../codes';

// istiod's rules for DestinationRule traffic policies (istio/istio pkg/config/validation/validation.go
// `validateTrafficPolicy` and helpers, agent `ValidateTLS`).

function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  const limit = Math.floor(Math.sqrt(x));
  for (let d = 3; d <= limit; d += 2) if (x % d === 0) return false;
  return true;
}

/** CI2044/CI2045/CI2046: connection pool settings (also used by Sidecar). */
export function checkConnectionPool(f: Findings, path: string, value: unknown): void {
  const pool = obj(value);
  if (!pool) return;
  const http = obj(pool.http);
  const tcp = obj(pool.tcp);
  if (!http && !tcp) {
    f.error(Code.CI2044, path, 'connection pool must have at least one field (http or tcp)');
    return;
  }
  if (http) {
    for (const k of ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams']) {
      const v = num(http[k]);
      if (v !== undefined && v < 0) f.error(Code.CI2045, `${path}.http.${k}`, `${k} ${v} is negative; it must be >= 0`);
    }
    checkDurationPrecision(f, `${path}.http.idleTimeout`, http.idleTimeout);
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
      f.error(Code.CI2046, `${path}.http.useClientProtocol`, 'useClientProtocol must not be true when h2UpgradePolicy is UPGRADE');
    }
  }
  if (tcp) {
    const v = num(tcp.maxConnections);
    if (v !== undefined && v < 0) f.error(Code.CI2045, `${path}.tcp.maxConnections`, `maxConnections ${v} is negative; it must be >= 0`);
    for (const k of ['connectTimeout', 'maxConnectionDuration', 'idleTimeout']) checkDurationPrecision(f, `${path}.tcp.${k}`, tcp[k]);
    const ka = obj(tcp.tcpKeepalive);
    if (ka) for (const k of ['time', 'interval']) checkDurationPrecision(f, `${path}.tcp.tcpKeepalive.${k}`, ka[k]);
  }
}

function checkOutlier(f: Findings, path: string, value: unknown): void {
  const o = obj(value);
  if (!o) return;
  checkDurationPrecision(f, `${path}.baseEjectionTime`, o.baseEjectionTime);
  checkDurationPrecision(f, `${path}.interval`, o.interval);
  if (o.splitExternalLocalOriginErrors !== true && (num(o.consecutiveLocalOriginFailures) ?? 0) > 0) {
    f.error(Code.CI2048, `${path}.consecutiveLocalOriginFailures`, 'consecutiveLocalOriginFailures is set but splitExternalLocalOriginErrors is false; set splitExternalLocalOriginErrors: true');
  }
  for (const k of ['maxEjectionPercent', 'minHealthPercent']) {
    const v = num(o[k]);
    if (v !== undefined && (v < 0 || v > 100)) f.error(Code.CI2047, `${path}.${k}`, `${k} ${v} is not in range 0..100`);
  }
}

const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

/** CI2054/CI2055: locality load balancing (istiod `ValidateLocalityLbSetting`). */
function checkLocality(f: Findings, path: string, value: unknown, outlier: unknown): void {
  const lb = obj(value);
  if (!lb) return;
  const distribute = arr(lb.distribute);
  const failover = arr(lb.failover);
  const priority = arr(lb.failoverPriority);
  if (distribute.length > 0 && failover.length > 0) {
    f.error(Code.CI2054, path, 'localityLbSetting cannot set both distribute and failover');
    return;
  }
  if (failover.length > 0) {
    const topo = priority.find(p => typeof p === 'string' && TOPOLOGY_LABELS.includes(p));
    if (topo !== undefined) {
      f.error(Code.CI2054, `${path}.failoverPriority`, `failover cannot be combined with the topology label ${q(topo)} in failoverPriority`);
      return;
    }
  }
  for (const [i, dv] of distribute.entries()) {
    const to = obj(obj(dv)?.to) ?? {};
    let total = 0;
    for (const [loc, w] of Object.entries(to)) {
      const weight = num(w) ?? 0;
      if (weight <= 0 || weight > 100) {
        f.error(Code.CI2054, `${path}.distribute[${i}].to`, `locality weight ${weight} for ${q(loc)} is not in range 1..100`);
        return;
      }
      total += weight;
    }
    if (total !== 100) {
      f.error(Code.CI2054, `${path}.distribute[${i}].to`, `locality weights of distribute[${i}] sum to ${total}; unlike route weights they must sum to 100`);
      return;
    }
  }
  if ((failover.length > 0 || priority.length > 0) && !isSet(outlier)) {
    f.warn(Code.CI2055, path, 'locality failover needs an outlierDetection policy to take effect');
  }
  failover.forEach((fv, i) => {
    const from = str(obj(fv)?.from) ?? '';
    const to = str(obj(fv)?.to) ?? '';
    if (from === to) f.error(Code.CI2054, `${path}.failover[${i}]`, `failover from and to must be different regions, both are ${q(from)}`);
    if (from.includes('/') || to.includes('/')) f.error(Code.CI2054, `${path}.failover[${i}]`, 'failover from/to name regions only (no "/" zone or subzone)');
    if (from.includes('*') || to.includes('*')) f.error(Code.CI2054, `${path}.failover[${i}]`, 'failover regions cannot contain a "*" wildcard');
  });
}

function checkLoadBalancer(f: Findings, path: string, value: unknown, outlier: unknown): void {
  const lb = obj(value);
  if (!lb) return;
  const ch = obj(lb.consistentHash);
  if (ch) {
    const cookie = obj(ch.httpCookie);
    if (cookie && !str(cookie.name)) {
      f.error(Code.CI2049, `${path}.consistentHash.httpCookie.name`, 'consistent-hash httpCookie needs a non-empty name');
    }
    const maglev = obj(ch.maglev);
    if (maglev) {
      const size = num(maglev.tableSize) ?? 0;
      if (size === 0) {
        f.error(Code.CI2050, `${path}.consistentHash.maglev.tableSize`, 'maglev tableSize must be set (a prime number below 5000011, e.g. 65537)');
      } else if (size >= 5000011) {
        f.error(Code.CI2050, `${path}.consistentHash.maglev.tableSize`, `maglev tableSize ${size} must be less than 5000011`);
      } else if (!isPrime(size)) {
        f.error(Code.CI2050, `${path}.consistentHash.maglev.tableSize`, `maglev tableSize ${size} must be a prime number (e.g. 65537)`);
      }
    }
  }
  checkLocality(f, `${path}.localityLbSetting`, lb.localityLbSetting, outlier);
  checkDurationPrecision(f, `${path}.warmupDurationSecs`, lb.warmupDurationSecs);
  checkDurationPrecision(f, `${path}.warmup.duration`, obj(lb.warmup)?.duration);
}

/** CI2051: client TLS settings of a DestinationRule (`ValidateTLS`). */
function checkClientTls(f: Findings, path: string, value: unknown): void {
  const tls = obj(value);
  if (!tls) return;
  const mode = str(tls.mode) ?? 'DISABLE';
  const has = (k: string) => typeof tls[k] === 'string' && tls[k] !== '';
  if (tls.insecureSkipVerify === true) {
    if (mode === 'SIMPLE' && (has('caCertificates') || has('credentialName') || isSet(tls.subjectAltNames))) {
      f.error(Code.CI2051, path, 'insecureSkipVerify: true cannot be combined with caCertificates, credentialName or subjectAltNames in SIMPLE mode');
    }
    if (mode === 'MUTUAL' && (has('caCertificates') || isSet(tls.subjectAltNames))) {
      f.error(Code.CI2051, path, 'insecureSkipVerify: true cannot be combined with caCertificates or subjectAltNames in MUTUAL mode');
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && has('credentialName')) {
    if (has('clientCertificate') || has('caCertificates') || has('privateKey') || has('caCrl')) {
      f.error(Code.CI2051, path, `tls mode ${mode} with credentialName cannot also set clientCertificate, privateKey, caCertificates or caCrl (the credential provides them)`);
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (!has('clientCertificate')) f.error(Code.CI2051, `${path}.clientCertificate`, 'tls mode MUTUAL requires clientCertificate (or credentialName)');
    if (!has('privateKey')) f.error(Code.CI2051, `${path}.privateKey`, 'tls mode MUTUAL requires privateKey (or credentialName)');
  }
}

const POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];
const PORT_POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'];

/** Validates a `trafficPolicy` (top level or of a subset). */
export function checkTrafficPolicy(f: Findings, path: string, value: unknown): void {
  const tp = obj(value);
  if (!tp) return;
  if (!POLICY_FIELDS.some(k => isSet(tp[k]))) {
    f.error(Code.CI2043, path, `trafficPolicy must have at least one field (${POLICY_FIELDS.join(', ')}); remove the empty trafficPolicy`);
    return;
  }
  if (isSet(tp.tunnel) && isSet(tp.proxyProtocol)) {
    f.error(Code.CI2052, path, 'tunnel and proxyProtocol must not be set together');
    return;
  }
  checkOutlier(f, `${path}.outlierDetection`, tp.outlierDetection);
  checkConnectionPool(f, `${path}.connectionPool`, tp.connectionPool);
  checkLoadBalancer(f, `${path}.loadBalancer`, tp.loadBalancer, tp.outlierDetection);
  checkClientTls(f, `${path}.tls`, tp.tls);
  arr(tp.portLevelSettings).forEach((pv, i) => {
    const p = obj(pv);
    if (!p) return;
    const pp = `${path}.portLevelSettings[${i}]`;
    if (!isSet(p.port)) f.error(Code.CI2053, `${pp}.port`, 'a port-level traffic policy needs a port');
    if (!PORT_POLICY_FIELDS.some(k => isSet(p[k]))) {
      f.error(Code.CI2043, pp, `a port-level traffic policy must have at least one field (${PORT_POLICY_FIELDS.join(', ')})`);
      return;
    }
    checkOutlier(f, `${pp}.outlierDetection`, p.outlierDetection);
    checkConnectionPool(f, `${pp}.connectionPool`, p.connectionPool);
    checkLoadBalancer(f, `${pp}.loadBalancer`, p.loadBalancer, p.outlierDetection);
    checkClientTls(f, `${pp}.tls`, p.tls);
    // Not an istiod rule but a trap: a port-level entry replaces the destination-level policy for
    // its port, nothing is inherited (destination_rule.proto, TrafficPolicy.port_level_settings).
    // A destination-level `tls: {mode: ISTIO_MUTUAL}` and nothing else is what auto mTLS gives
    // the port anyway, so nothing is lost there.
    const dropped = INHERITABLE.filter(k => isSet(tp[k]) && !isSet(p[k]) && !(k === 'tls' && isPlainIstioMutual(tp.tls)));
    if (dropped.length > 0) {
      const portNo = num(obj(p.port)?.number);
      f.warn(Code.CI2056, pp, `this entry replaces the destination-level policy for port ${portNo ?? '(unset)'}, so the destination-level `
        + `${dropped.join(', ')} ${dropped.length === 1 ? 'does' : 'do'} not apply to that port (it gets the defaults); `
        + `if ${dropped.length === 1 ? 'it' : 'they'} should, repeat ${dropped.length === 1 ? 'it' : 'them'} in this entry`);
    }
  });
}

function isPlainIstioMutual(tls: unknown): boolean {
  const t = obj(tls);
  return t !== undefined && t.mode === 'ISTIO_MUTUAL' && Object.keys(t).every(k => k === 'mode');
}

/** Destination-level fields that a port-level entry can set too (and then does not inherit). */
const INHERITABLE = ['connectionPool', 'outlierDetection', 'loadBalancer', 'tls'];

