import { arr, Findings, isSet, num, obj, q, str } from './context';
import { checkPortName, checkProtocol, checkSelectorLabels, isTlsProtocol } from './common';
import { namespacedHostProblems } from './hostnames';
import { fqdnProblem, isIpAddress, unixAddressProblem } from './names';
import { checkConnectionPool } from './traffic-policy';
import { Code } from '../codes';

// istiod's admission rules for Sidecar (istio/istio pkg/config/validation/validation.go
// `ValidateSidecar`).

function checkBind(f: Findings, path: string, bind: unknown): void {
  if (typeof bind === 'string' && bind !== '' && !bind.startsWith('unix://') && !isIpAddress(bind)) {
    f.error(Code.CI2106, path, `bind ${q(bind)} is not a valid IP address (or unix:// path)`);
  }
}

function checkIngress(f: Findings, spec: Record<string, any>): void {
  const ports = new Set<number>();
  arr(spec.ingress).forEach((iv, i) => {
    const ing = obj(iv);
    if (!ing) return;
    const path = `spec.ingress[${i}]`;
    const port = obj(ing.port);
    if (!port) return;
    if ((num(port.targetPort) ?? 0) > 0) f.error(Code.CI2110, `${path}.port.targetPort`, 'targetPort has no effect on a Sidecar; remove it');
    if (str(port.name)) checkPortName(f, `${path}.port.name`, port.name);
    checkProtocol(f, `${path}.port.protocol`, port.protocol);
    checkBind(f, `${path}.bind`, ing.bind);
    const n = num(port.number);
    if (n !== undefined && (n < 1 || n > 65535)) {
      f.error(Code.CI2112, `${path}.port.number`, `ingress port number ${n} is out of range 1..65535 (unix domain socket listeners are egress-only)`);
    }
    if (n !== undefined) {
      if (ports.has(n)) f.error(Code.CI2103, `${path}.port.number`, `port ${n} is used by another ingress listener; ports on IP-bound listeners must be unique`);
      ports.add(n);
    }
    const ep = str(ing.defaultEndpoint);
    const socketProblem = ep?.startsWith('unix://') ? unixAddressProblem(ep.slice('unix://'.length)) : undefined;
    if (socketProblem) f.error(Code.CI2107, `${path}.defaultEndpoint`, `defaultEndpoint ${q(ep)}: ${socketProblem}; use unix://<absolute path> or unix://@<abstract name>`);
    if (ep && !ep.startsWith('unix://')) {
      const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):([0-9]+)$/.exec(ep);
      const host = m ? (m[1] ?? m[2]) : undefined;
      if (!m || !['', '127.0.0.1', '0.0.0.0', '::1', '::'].includes(host ?? 'x') || Number(m[3]) < 1 || Number(m[3]) > 65535) {
        f.error(Code.CI2107, `${path}.defaultEndpoint`, `defaultEndpoint ${q(ep)} must have the form 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port> or unix://<path>`);
      }
    }
    const tls = obj(ing.tls);
    if (tls) {
      if (arr(tls.subjectAltNames).length > 0) f.error(Code.CI2109, `${path}.tls.subjectAltNames`, 'subjectAltNames is not supported in Sidecar ingress TLS');
      if (tls.httpsRedirect === true) f.error(Code.CI2109, `${path}.tls.httpsRedirect`, 'httpsRedirect is not supported in Sidecar ingress TLS');
      if (str(tls.credentialName)) f.error(Code.CI2109, `${path}.tls.credentialName`, 'credentialName is not supported in Sidecar ingress TLS');
      if (arr(tls.credentialNames).length > 0) f.error(Code.CI2109, `${path}.tls.credentialNames`, 'credentialNames is not supported in Sidecar ingress TLS');
      if (arr(tls.tlsCertificates).length > 0) f.error(Code.CI2109, `${path}.tls.tlsCertificates`, 'tlsCertificates is not supported in Sidecar ingress TLS; use serverCertificate and privateKey');
      if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'AUTO_PASSTHROUGH') f.error(Code.CI2109, `${path}.tls.mode`, `tls mode ${tls.mode} is not allowed in Sidecar ingress TLS`);
      if (!isTlsProtocol(str(port.protocol))) {
        f.error(Code.CI2109, `${path}.port.protocol`, `tls is set on a port with protocol ${q(port.protocol ?? '')}; TLS settings need protocol HTTPS or TLS`);
      }
    }
    checkConnectionPool(f, `${path}.connectionPool`, ing.connectionPool);
  });
}

function checkEgress(f: Findings, spec: Record<string, any>): void {
  const egress = arr(spec.egress);
  const ports = new Set<number>();
  const sockets = new Set<string>();
  let catchAll = false;
  egress.forEach((ev, i) => {
    const eg = obj(ev);
    if (!eg) return;
    const path = `spec.egress[${i}]`;
    const port = obj(eg.port);
    if (!port) {
      if (catchAll) {
        f.error(Code.CI2102, path, 'a Sidecar can have only one egress listener without a port (the catch-all)');
        return;
      }
      if (i === egress.length - 1) catchAll = true;
      else f.error(Code.CI2102, path, 'the egress listener without a port (the catch-all) must be the last listener');
    } else {
      if ((num(port.targetPort) ?? 0) > 0) f.error(Code.CI2110, `${path}.port.targetPort`, 'targetPort has no effect on a Sidecar; remove it');
      if (str(port.name)) checkPortName(f, `${path}.port.name`, port.name);
      checkProtocol(f, `${path}.port.protocol`, port.protocol);
      const n = num(port.number) ?? 0;
      const bind = str(eg.bind) ?? '';
      if (n === 0) {
        if (!bind.startsWith('unix://')) f.error(Code.CI2105, `${path}.bind`, 'an egress listener with port 0 needs a unix:// bind address');
        else if (sockets.has(bind)) f.error(Code.CI2105, `${path}.bind`, `unix domain socket ${q(bind)} is used by another listener; it must be unique`);
        sockets.add(bind);
        if (eg.captureMode !== undefined && eg.captureMode !== 'DEFAULT' && eg.captureMode !== 'NONE') {
          f.error(Code.CI2105, `${path}.captureMode`, 'captureMode must be DEFAULT or NONE for unix domain socket listeners');
        }
      } else {
        checkBind(f, `${path}.bind`, eg.bind);
        if (ports.has(n)) f.error(Code.CI2103, `${path}.port.number`, `port ${n} is used by another egress listener; ports on IP-bound listeners must be unique`);
        ports.add(n);
      }
    }
    const hosts = arr(eg.hosts);
    if (Array.isArray(eg.hosts) && hosts.length === 0) f.error(Code.CI2111, `${path}.hosts`, 'an egress listener needs at least one host');
    const byNs = new Map<string, Set<string>>();
    hosts.forEach((h, j) => {
      if (typeof h !== 'string') return;
      for (const problem of namespacedHostProblems(h, false)) f.error(Code.CI2101, `${path}.hosts[${j}]`, problem);
      const slash = h.indexOf('/');
      if (slash < 0) return;
      const ns = h.slice(0, slash) === '.' ? f.namespace || '.' : h.slice(0, slash);
      const svc = h.slice(slash + 1);
      const set = byNs.get(ns) ?? new Set<string>();
      if ((svc !== '*' && (set.has(svc) || set.has('*'))) || (svc === '*' && set.size > 0)) {
        f.warn(Code.CI2104, `${path}.hosts[${j}]`, `duplicated egress host ${q(h)}: an earlier entry already covers it`);
      }
      set.add(svc);
      byNs.set(ns, set);
    });
    if (byNs.get('*')?.has('*') && byNs.size !== 1) {
      f.warn(Code.CI2104, `${path}.hosts`, '"*/*" selects every host; no other hosts are needed');
    }
  });
}

/** Validates a Sidecar spec. */
export function validateSidecar(f: Findings, spec: Record<string, any>): void {
  checkSelectorLabels(f, 'spec.workloadSelector', spec.workloadSelector, 'labels');
  if (arr(spec.egress).length === 0 && arr(spec.ingress).length === 0 && !isSet(spec.outboundTrafficPolicy) && !isSet(spec.inboundConnectionPool)) {
    f.error(Code.CI2100, 'spec', 'empty Sidecar configuration: set at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool');
    return;
  }
  checkIngress(f, spec);
  checkConnectionPool(f, 'spec.inboundConnectionPool', spec.inboundConnectionPool);
  checkEgress(f, spec);
  const otp = obj(spec.outboundTrafficPolicy);
  const proxy = obj(otp?.egressProxy);
  if (otp && proxy) {
    const path = 'spec.outboundTrafficPolicy.egressProxy';
    if ((str(otp.mode) ?? 'REGISTRY_ONLY') !== 'ALLOW_ANY') {
      f.error(Code.CI2108, path, `egressProxy can be set only with mode ALLOW_ANY, found ${str(otp.mode) ?? 'REGISTRY_ONLY (default)'}`);
      return;
    }
    const host = str(proxy.host) ?? '';
    const hostProblem = fqdnProblem(host);
    if (hostProblem) f.error(Code.CI2108, `${path}.host`, `egressProxy host must be an FQDN (no wildcard): ${hostProblem}`);
    if (!isSet(proxy.port)) f.error(Code.CI2108, `${path}.port`, 'egressProxy needs a port (the port of the egress proxy service)');
  }
}
