import { arr, Findings, isSet, num, obj, q, str } from './context';
import { checkProtocol, isHttpProtocol, isKnownProtocol, isTlsProtocol } from './common';
import { namespacedHostProblems } from './hostnames';
import { isDnsLabel, isIpAddress } from './names';
import { Code } from '../codes';

// istiod's admission rules for the Istio Gateway (networking.istio.io) (istio/istio
// pkg/config/validation/validation.go `ValidateGateway`, `validateServer`, `validateTLSOptions`).

function checkServerTls(f: Findings, path: string, tls: Record<string, any>): void {
  const mode = str(tls.mode) ?? 'PASSTHROUGH';
  const has = (k: string) => typeof tls[k] === 'string' && tls[k] !== '';
  if (mode === 'ISTIO_MUTUAL') {
    for (const k of ['serverCertificate', 'privateKey', 'caCertificates', 'credentialName']) {
      if (has(k)) f.error(Code.CI2127, `${path}.${k}`, `tls mode ISTIO_MUTUAL uses Istio's certificates; remove ${k}`);
    }
    return;
  }
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    if (['caCrl', 'serverCertificate', 'privateKey', 'caCertificates', 'credentialName'].some(has)) {
      f.warn(Code.CI2128, path, `tls mode ${mode} does not use certificates; they are ignored`);
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') && (has('credentialName') || isSet(tls.credentialNames) || isSet(tls.tlsCertificates))) {
    return;
  }
  if (mode === 'SIMPLE') {
    if (!has('serverCertificate')) f.error(Code.CI2127, `${path}.serverCertificate`, 'tls mode SIMPLE requires serverCertificate (or credentialName)');
    if (!has('privateKey')) f.error(Code.CI2127, `${path}.privateKey`, 'tls mode SIMPLE requires privateKey (or credentialName)');
  } else if (mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') {
    if (!has('serverCertificate')) f.error(Code.CI2127, `${path}.serverCertificate`, `tls mode ${mode} requires serverCertificate (or credentialName)`);
    if (!has('privateKey')) f.error(Code.CI2127, `${path}.privateKey`, `tls mode ${mode} requires privateKey (or credentialName)`);
    if (!has('caCertificates')) f.error(Code.CI2127, `${path}.caCertificates`, `tls mode ${mode} requires caCertificates (or credentialName)`);
  }
  if (has('caCrl') && mode === 'SIMPLE') f.error(Code.CI2127, `${path}.caCrl`, 'caCrl is not supported with tls mode SIMPLE');
}

function checkServer(f: Findings, path: string, server: Record<string, any>): void {
  const hosts = arr(server.hosts);
  if (Array.isArray(server.hosts) && hosts.length === 0) f.error(Code.CI2122, `${path}.hosts`, 'a server needs at least one host');
  hosts.forEach((h, i) => {
    if (typeof h !== 'string') return;
    for (const problem of namespacedHostProblems(h, true)) f.error(Code.CI2123, `${path}.hosts[${i}]`, problem);
  });
  const port = obj(server.port);
  const bind = str(server.bind) ?? '';
  if (port) {
    checkProtocol(f, `${path}.port.protocol`, port.protocol);
    if ((num(port.targetPort) ?? 0) > 0) f.error(Code.CI2129, `${path}.port.targetPort`, 'targetPort has no effect on a Gateway; remove it');
    if (port.name === '') f.error(Code.CI2131, `${path}.port.name`, 'port name must be set');
    const number = num(port.number);
    if (number !== undefined && (number > 65535 || number < 0 || (number === 0 && !bind.startsWith('unix://')))) {
      f.error(Code.CI2133, `${path}.port.number`, `port number ${number} is out of range 1..65535`);
    }
    if ((num(port.number) ?? 0) !== 0 && bind.startsWith('unix://')) f.error(Code.CI2130, `${path}.port.number`, 'port number must be 0 for a unix domain socket bind');
  }
  if (bind !== '' && !bind.startsWith('unix://') && !isIpAddress(bind)) f.error(Code.CI2130, `${path}.bind`, `bind ${q(bind)} is not a valid IP address (or unix:// path)`);
  const tls = obj(server.tls);
  if (tls) checkServerTls(f, `${path}.tls`, tls);
  const protocol = str(port?.protocol);
  if (port && protocol !== undefined && isKnownProtocol(protocol)) {
    if (isTlsProtocol(protocol) && !tls) {
      f.error(Code.CI2125, `${path}.tls`, `a server with protocol ${protocol} needs tls settings (e.g. mode: SIMPLE with credentialName)`);
    } else if (!isTlsProtocol(protocol) && tls) {
      if (isHttpProtocol(protocol)) {
        const mode = str(tls.mode) ?? 'PASSTHROUGH';
        const passthrough = mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
        if (!passthrough || ['caCertificates', 'privateKey', 'serverCertificate'].some(k => str(tls[k]))) {
          f.error(Code.CI2126, `${path}.tls`, `a plain-text ${protocol} server can have only tls.httpsRedirect; use protocol HTTPS for TLS termination`);
        }
      } else {
        f.error(Code.CI2126, `${path}.tls`, `a ${protocol} server cannot have tls settings; use protocol TLS or HTTPS`);
      }
    }
  }
}

/** Validates an Istio Gateway spec. */
export function validateGateway(f: Findings, spec: Record<string, any>): void {
  const name = str(obj(f.doc?.metadata)?.name);
  if (name !== undefined && name !== '' && !isDnsLabel(name)) {
    f.error(Code.CI2120, 'metadata.name', `invalid Gateway name ${q(name)}: an Istio Gateway name must be a DNS label (no dots), because VirtualServices reference it as <namespace>/<name>`);
  }
  const servers = arr(spec.servers);
  if (servers.length === 0) {
    f.error(Code.CI2121, 'spec.servers', 'a Gateway needs at least one server');
    return;
  }
  const portNames = new Set<string>();
  servers.forEach((sv, i) => {
    const server = obj(sv);
    if (!server) return;
    const path = `spec.servers[${i}]`;
    checkServer(f, path, server);
    const port = obj(server.port);
    if (!port) return;
    const pn = str(port.name) ?? '';
    if (portNames.has(pn)) f.error(Code.CI2124, `${path}.port.name`, `duplicate port name ${q(pn)}; port names of a Gateway's servers must be unique`);
    portNames.add(pn);
    if (!isHttpProtocol(str(port.protocol)) && obj(server.tls)?.httpsRedirect === true) {
      f.warn(Code.CI2132, `${path}.tls.httpsRedirect`, 'tls.httpsRedirect should only be used with HTTP servers');
    }
  });
}
