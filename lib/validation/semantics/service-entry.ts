import { arr, child, Findings, obj, q, str } from './context';
import { checkExportTo, checkPortName, checkProtocol, checkSelectorLabels, isHttpProtocol, isTlsProtocol } from './common';
import { fqdnProblem, isIpAddress, isIpOrCidr, isPartialWildcard, unixAddressProblem, wildcardDomainProblem } from './names';
import { Code } from '../codes';

// istiod's admission rules for ServiceEntry (istio/istio pkg/config/validation/validation.go
// `ValidateServiceEntry`). `*` hosts, NONE + endpoints, CIDR addresses with DNS, several
// DNS_ROUND_ROBIN endpoints and duplicate port numbers are CEL rules of the CRD (tier 1).

/** Protocols the dynamic forward proxy serves (resolution DYNAMIC_DNS). */
const DYNAMIC_DNS_PROTOCOLS = new Set(['http', 'tls', 'grpc', 'http2']);

function checkDynamicDns(f: Findings, spec: Record<string, any>): void {
  arr(spec.hosts).forEach((h, i) => {
    if (typeof h === 'string' && !h.startsWith('*')) f.error(Code.CI2069, `spec.hosts[${i}]`, `host ${q(h)} must be a wildcard (e.g. "*.example.com") for resolution DYNAMIC_DNS; use resolution DNS for a single host`);
  });
  if (arr(spec.addresses).length > 0) f.error(Code.CI2069, 'spec.addresses', 'addresses cannot be set for resolution DYNAMIC_DNS (routes are generated from the hosts); remove them');
  if (arr(spec.endpoints).length > 0) f.error(Code.CI2069, 'spec.endpoints', 'endpoints cannot be set for resolution DYNAMIC_DNS (the destination is resolved from the request host); remove them');
  arr(spec.ports).forEach((pv, i) => {
    const protocol = str(obj(pv)?.protocol) ?? '';
    if (obj(pv) && !DYNAMIC_DNS_PROTOCOLS.has(protocol.toLowerCase())) {
      f.error(Code.CI2069, `spec.ports[${i}].protocol`, `protocol ${q(protocol)} is not supported for resolution DYNAMIC_DNS; use HTTP, TLS, GRPC or HTTP2`);
    }
  });
  const waypoint = str(obj(obj(f.doc?.metadata)?.labels)?.['istio.io/use-waypoint']);
  if (spec.location === 'MESH_INTERNAL' && waypoint && waypoint.toLowerCase() !== 'none') {
    f.error(Code.CI2069, 'spec.location', `location MESH_INTERNAL with resolution DYNAMIC_DNS is not supported for a ServiceEntry bound to a waypoint (istio.io/use-waypoint ${q(waypoint)}); use MESH_EXTERNAL or remove the waypoint label`);
  }
}

function checkEndpointAddress(f: Findings, path: string, address: string, resolution: string, portCount: number): void {
  if (resolution === 'STATIC') {
    if (address.startsWith('unix://')) {
      const problem = unixAddressProblem(address.slice('unix://'.length));
      if (problem) f.error(Code.CI2065, path, `endpoint address ${q(address)}: ${problem}`);
      // a unix endpoint with `ports` is a CEL rule of the CRD (tier 1)
      if (portCount !== 1) f.error(Code.CI2065, path, `a unix endpoint needs exactly 1 service port, the ServiceEntry has ${portCount}`);
    } else if (!isIpAddress(address)) {
      f.error(Code.CI2065, path, `endpoint address ${q(address)} is not a valid IP address; resolution STATIC needs IP (or unix://) endpoints, use resolution DNS for host names`);
    }
  } else if (!isIpAddress(address) && fqdnProblem(address)) {
    f.error(Code.CI2065, path, `endpoint address ${q(address)} is not a valid FQDN or IP address`);
  }
}

/** Validates a ServiceEntry spec. */
export function validateServiceEntry(f: Findings, spec: Record<string, any>): void {
  const hosts = arr(spec.hosts).filter((h): h is string => typeof h === 'string');
  const resolution = str(spec.resolution) ?? 'NONE';
  const endpoints = arr(spec.endpoints);
  const ports = arr(spec.ports).map(obj).filter((p): p is Record<string, any> => p !== undefined);

  arr(spec.hosts).forEach((h, i) => {
    if (typeof h !== 'string' || h === '*') return; // `*` is a CRD (CEL) rule
    const problem = wildcardDomainProblem(h);
    if (problem) f.error(Code.CI2060, `spec.hosts[${i}]`, `invalid host: ${problem}`);
    else if (isPartialWildcard(h) && resolution !== 'DYNAMIC_DNS') f.warn(Code.CI2061, `spec.hosts[${i}]`, `partial wildcard host ${q(h)} is not supported; use a "*." prefix (e.g. "*.example.com")`);
  });

  arr(spec.addresses).forEach((a, i) => {
    if (typeof a === 'string' && !isIpOrCidr(a)) f.error(Code.CI2064, `spec.addresses[${i}]`, `address ${q(a)} is not a valid IP address or CIDR block`);
  });

  const portNames = new Set<string>();
  ports.forEach((p, i) => {
    if (typeof p.name === 'string') {
      portNames.add(p.name);
      checkPortName(f, `spec.ports[${i}].name`, p.name);
    }
    checkProtocol(f, `spec.ports[${i}].protocol`, p.protocol);
  });

  const autoAllocate = obj(obj(f.doc?.metadata)?.labels)?.['networking.istio.io/enable-autoallocate-ip'] !== 'false';
  if (arr(spec.addresses).length === 0 && !autoAllocate) {
    ports.forEach((p, i) => {
      if (p.protocol === undefined || p.protocol === '' || p.protocol === 'TCP') {
        f.warn(Code.CI2068, `spec.ports[${i}]`, 'addresses are required for ports serving TCP (or unset) protocol when IP auto-allocation is disabled for this ServiceEntry');
      }
    });
  }

  // istiod warns only for NONE: with DNS or DNS_ROUND_ROBIN the selected WorkloadEntries' addresses
  // (which may be DNS names) are resolved by Envoy (istio 1.30.3 validation.go ValidateServiceEntry).
  if (resolution === 'NONE' && obj(spec.workloadSelector)) {
    f.warn(Code.CI2067, 'spec.workloadSelector', `workloadSelector should not be set when resolution is ${resolution}; use STATIC (or DNS for WorkloadEntries addressed by DNS name)`);
  }
  checkSelectorLabels(f, 'spec.workloadSelector', spec.workloadSelector, 'labels');

  if (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') {
    if (endpoints.length === 0) {
      arr(spec.hosts).forEach((h, i) => {
        if (typeof h === 'string' && h !== '*' && fqdnProblem(h) && !wildcardDomainProblem(h)) {
          f.error(Code.CI2062, `spec.hosts[${i}]`, `host ${q(h)} must be an FQDN (no wildcard) when resolution is ${resolution} and no endpoints are given; use resolution NONE or DYNAMIC_DNS for wildcard hosts`);
        }
      });
    }
  }
  if (resolution === 'STATIC' || resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') {
    endpoints.forEach((ev, i) => {
      const e = obj(ev);
      if (!e) return;
      if (typeof e.address === 'string') checkEndpointAddress(f, `spec.endpoints[${i}].address`, e.address, resolution, ports.length);
      for (const name of Object.keys(obj(e.ports) ?? {})) {
        if (!portNames.has(name)) {
          f.error(Code.CI2066, child(`spec.endpoints[${i}].ports`, name), `endpoint port ${q(name)} is not defined by the ServiceEntry ports ${q([...portNames])}`);
        }
      }
    });
  }

  if (resolution === 'DYNAMIC_DNS') checkDynamicDns(f, spec);
  if (resolution !== 'NONE' && hosts.length > 1) {
    const bad = ports.findIndex(p => !isHttpProtocol(str(p.protocol)) && !isTlsProtocol(str(p.protocol)));
    if (bad >= 0) {
      f.error(Code.CI2063, `spec.ports[${bad}]`, `several hosts with a non-HTTP, non-TLS port (protocol ${q(ports[bad].protocol ?? '')}) need resolution NONE; with resolution ${resolution} use one host per ServiceEntry`);
    }
  }
  checkExportTo(f, spec.exportTo, { serviceEntry: true });
}
