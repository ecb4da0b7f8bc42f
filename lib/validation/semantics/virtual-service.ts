import { arr, Findings, obj, q } from './context';
import { checkExportTo } from './common';
import { checkWeightedDestinations } from './destinations';
import { checkHttpRoute } from './virtual-service-http';
import { hostsOverlap, hostSubsetOf, isDnsLabel, isIpAddress, isIpOrCidr, fqdnProblem, wildcardDomainProblem } from './names';
import { Code } from '../codes';

// istiod's admission rules for VirtualService (istio/istio pkg/config/validation/validation.go
// `ValidateVirtualService`, virtualservice.go `validateHTTPRoute`).

/** CI2015: gateway references are `<namespace>/<name>` (DNS labels) or an FQDN-style name. */
function checkGatewayNames(f: Findings, path: string, names: unknown): void {
  arr(names).forEach((g, i) => {
    if (typeof g !== 'string') return;
    const parts = g.split('/');
    if (parts.length === 1) {
      const problem = fqdnProblem(g);
      if (problem) f.error(Code.CI2015, `${path}[${i}]`, `invalid gateway reference ${q(g)}: ${problem}; use <namespace>/<name>`);
      return;
    }
    const [ns, ...rest] = parts;
    const name = rest.join('/');
    if (!ns || !name || !isDnsLabel(ns) || !isDnsLabel(name)) {
      f.error(Code.CI2015, `${path}[${i}]`, `invalid gateway reference ${q(g)}; expected <namespace>/<name> with DNS-label namespace and name`);
    }
  });
}

/** True when the VirtualService applies only to gateways (it lists gateways and not `mesh`). */
function gatewayOnly(gateways: string[]): boolean {
  return gateways.length > 0 && !gateways.includes('mesh');
}

/** Validates a VirtualService spec. */
export function validateVirtualService(f: Findings, spec: Record<string, any>): void {
  const hosts = arr(spec.hosts).filter((h): h is string => typeof h === 'string');
  const gateways = arr(spec.gateways).filter((g): g is string => typeof g === 'string');
  const http = arr(spec.http);
  const tcp = arr(spec.tcp);
  const tls = arr(spec.tls);
  const toGateway = gatewayOnly(gateways);

  if (arr(spec.hosts).length === 0) {
    if (gateways.length > 0) f.error(Code.CI2014, 'spec.gateways', 'a delegate VirtualService (no hosts) must not list gateways');
    if (tls.length > 0) f.error(Code.CI2014, 'spec.tls', 'a delegate VirtualService (no hosts) must not have tls routes');
    if (tcp.length > 0) f.error(Code.CI2014, 'spec.tcp', 'a delegate VirtualService (no hosts) must not have tcp routes');
  }
  checkGatewayNames(f, 'spec.gateways', spec.gateways);

  let allValid = true;
  arr(spec.hosts).forEach((h, i) => {
    if (typeof h !== 'string') return;
    // Gateway-bound TLS routes may use the auto-generated SNI form `outbound_.<port>_._.<host>`.
    const autoSni = toGateway && h.startsWith('outbound_') && tls.some(r => arr(obj(r)?.match).some(m => arr(obj(m)?.sniHosts).length > 0));
    const problem = autoSni ? undefined : wildcardDomainProblem(h);
    if (problem) {
      if (!isIpAddress(h)) {
        f.error(Code.CI2010, `spec.hosts[${i}]`, `invalid host: ${problem}`);
        allValid = false;
      }
    } else if (!toGateway && h === '*') {
      f.error(Code.CI2011, `spec.hosts[${i}]`, 'host "*" is not allowed on a VirtualService bound to the mesh (no gateways, or gateways including "mesh"); name the hosts, or bind it only to gateways');
      allValid = false;
    }
  });
  if (allValid) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        if (hostsOverlap(hosts[i], hosts[j])) {
          f.error(Code.CI2012, `spec.hosts[${j}]`, `duplicate hosts in VirtualService: ${q(hosts[i])} and ${q(hosts[j])} overlap; list each host once`);
        }
      }
    }
  }

  if (http.length === 0 && tcp.length === 0 && tls.length === 0) {
    f.error(Code.CI2013, 'spec', 'a VirtualService needs at least one of http, tcp or tls routes');
  }

  if (!toGateway) {
    http.forEach((r, i) => arr(obj(r)?.match).forEach((m, j) => {
      for (const field of ['headers', 'withoutHeaders']) {
        for (const key of Object.keys(obj(obj(m)?.[field]) ?? {})) {
          if (key.startsWith('@request.auth.claims')) {
            f.error(Code.CI2034, `spec.http[${i}].match[${j}].${field}`, `JWT claim based routing (${q(key)}) is supported only on gateways; this VirtualService applies to the mesh`);
          }
        }
      }
    }));
  }

  const delegate = arr(spec.hosts).length === 0;
  http.forEach((r, i) => {
    const route = obj(r);
    if (route) checkHttpRoute(f, `spec.http[${i}]`, route, delegate);
  });
  tcp.forEach((r, i) => {
    const route = obj(r);
    if (!route) return;
    checkSubnets(f, `spec.tcp[${i}].match`, route.match);
    if (arr(route.route).length === 0) f.error(Code.CI2016, `spec.tcp[${i}]`, 'a tcp route needs at least one route destination');
    checkWeightedDestinations(f, `spec.tcp[${i}].route`, route.route);
  });
  tls.forEach((r, i) => {
    const route = obj(r);
    if (!route) return;
    arr(route.match).forEach((m, j) => {
      arr(obj(m)?.sniHosts).forEach((sni, k) => {
        if (typeof sni !== 'string') return;
        // istiod accepts IPs and outbound_ names; a wildcard is allowed only as the first label
        if (sni.lastIndexOf('*') > 0 || (sni.startsWith('*') && sni !== '*' && !sni.startsWith('*.'))) {
          f.error(Code.CI2057, `spec.tls[${i}].match[${j}].sniHosts[${k}]`, `invalid SNI host ${q(sni)}: a wildcard is allowed only as the whole first label ("*.example.com")`);
          return;
        }
        if (wildcardDomainProblem(sni)) return;
        if (!hosts.some(h => hostSubsetOf(sni, h))) {
          f.error(Code.CI2035, `spec.tls[${i}].match[${j}].sniHosts[${k}]`, `SNI host ${q(sni)} is not covered by any of the VirtualService hosts ${q(hosts)}`);
        }
      });
    });
    checkSubnets(f, `spec.tls[${i}].match`, route.match);
    if (arr(route.route).length === 0) f.error(Code.CI2016, `spec.tls[${i}]`, 'a tls route needs at least one route destination');
    checkWeightedDestinations(f, `spec.tls[${i}].route`, route.route);
  });
  checkExportTo(f, spec.exportTo);
}

function checkSubnets(f: Findings, path: string, matches: unknown): void {
  arr(matches).forEach((m, j) => {
    arr(obj(m)?.destinationSubnets).forEach((s, k) => {
      if (typeof s === 'string' && !isIpOrCidr(s)) {
        f.error(Code.CI2036, `${path}[${j}].destinationSubnets[${k}]`, `${q(s)} is not a valid IP address or CIDR block`);
      }
    });
  });
}

