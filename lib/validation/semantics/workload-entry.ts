import { Code } from '../codes';
import { checkPortName } from './common';
import { arr, child, Findings, obj, q, str } from './context';
import { fqdnProblem, isIpAddress } from './names';

// istiod's admission rules for WorkloadEntry and WorkloadGroup (istio/istio 1.30
// pkg/config/validation/validation.go `ValidateWorkloadEntry`, `ValidateWorkloadGroup`,
// `validateReadinessProbe`; labels as pkg/config/labels `Instance.Validate`). The CRDs carry
// the rest: an address or a network is required, unix socket addresses, port ranges, a
// template, probe fields non-negative, probe ports and schemes.

const LABEL_NAME = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const DNS_LABEL = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const TAG_KEY = new RegExp(`^(${DNS_LABEL}(?:\\.${DNS_LABEL})*/)?(${LABEL_NAME})$`);
const TAG_VALUE = new RegExp(`^(${LABEL_NAME})?$`);
const PROBE_HEADER = /^[-A-Za-z0-9]+$/;

/** CI2162: label keys and values as Istio checks them (Kubernetes label syntax). */
export function checkIstioLabels(f: Findings, path: string, labels: unknown): void {
  const map = obj(labels);
  if (!map) return;
  for (const [k, v] of Object.entries(map)) {
    const m = TAG_KEY.exec(k);
    if (!m) f.error(Code.CI2162, child(path, k), `invalid label key ${q(k)}; a key is an optional DNS prefix and "/" then a name of letters, digits, '-', '_' and '.'`);
    else if (m[1] && m[1].length - 1 > 253) f.error(Code.CI2162, child(path, k), `invalid label key ${q(k)} (DNS prefix is longer than 253 characters)`);
    else if (m[2].length > 63) f.error(Code.CI2162, child(path, k), `invalid label key ${q(k)} (name is longer than 63 characters)`);
    if (typeof v === 'string' && !TAG_VALUE.test(v)) {
      f.error(Code.CI2162, child(path, k), `invalid label value ${q(v)}; a value is empty or letters, digits, '-', '_' and '.' starting and ending with a letter or digit`);
    }
  }
}

/** Validates a WorkloadEntry spec. */
export function validateWorkloadEntry(f: Findings, spec: Record<string, any>): void {
  const address = str(spec.address) ?? '';
  if (address === '' && str(spec.network)) {
    f.warn(Code.CI2160, 'spec.address', `address is unset with network ${q(spec.network)}; the entry is reachable only through that network's gateway`);
  }
  if (address !== '' && !address.startsWith('unix://') && !isIpAddress(address)) {
    const problem = fqdnProblem(address);
    if (problem) f.error(Code.CI2161, 'spec.address', `endpoint address ${q(address)} is not a valid FQDN or an IP address: ${problem}`);
  }
  for (const name of Object.keys(obj(spec.ports) ?? {})) {
    checkPortName(f, child('spec.ports', name), name);
  }
  checkIstioLabels(f, 'spec.labels', spec.labels);
}

function checkProbe(f: Findings, probe: Record<string, any>): void {
  const methods = ['httpGet', 'tcpSocket', 'exec', 'grpc'].filter(m => obj(probe[m]));
  if (methods.length === 0) {
    f.error(Code.CI2163, 'spec.probe', 'probe has no health check method; set one of httpGet, tcpSocket, exec or grpc');
    return;
  }
  const exec = obj(probe.exec);
  if (exec && arr(exec.command).length === 0) {
    f.error(Code.CI2163, 'spec.probe.exec.command', 'exec.command is required');
  }
  arr(obj(probe.httpGet)?.httpHeaders).forEach((hv, i) => {
    const name = str(obj(hv)?.name) ?? '';
    const path = `spec.probe.httpGet.httpHeaders[${i}].name`;
    if (name === '') f.error(Code.CI2164, path, 'header name cannot be empty');
    else if (!PROBE_HEADER.test(name)) f.error(Code.CI2164, path, `header name ${q(name)} is not a valid header name (letters, digits and '-')`);
  });
}

/** Validates a WorkloadGroup spec. */
export function validateWorkloadGroup(f: Findings, spec: Record<string, any>): void {
  checkIstioLabels(f, 'spec.metadata.labels', obj(spec.metadata)?.labels);
  const probe = obj(spec.probe);
  if (probe) checkProbe(f, probe);
}
