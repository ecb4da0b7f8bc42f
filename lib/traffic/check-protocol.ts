import { IConstruct } from 'constructs';
import { MeshError } from '../mesh/errors';
import { checkDnsName } from '../mesh/hosts';
import { RequestMatch } from '../request-match';
import { RouteProtocol } from './protocol';

/** The protocol props of a CanaryRoute. */
export interface ProtocolProps {
  readonly protocol?: RouteProtocol;
  readonly sniHosts?: string[];
  readonly canaryMatches?: RequestMatch[];
  readonly mirrorPercent?: number;
  readonly ingress?: unknown;
}

/** Checks `protocol` and what it can carry; returns the intent fields. */
export function checkProtocol(scope: IConstruct, props: ProtocolProps, serviceHost: string): { protocol: RouteProtocol; sniHosts?: string[] } {
  const protocol = props.protocol ?? RouteProtocol.HTTP;
  if (!Object.values(RouteProtocol).includes(protocol)) {
    throw MeshError.invalid(scope, 'protocol', protocol, 'RouteProtocol.HTTP, GRPC, TCP or TLS');
  }
  const l4 = protocol === RouteProtocol.TCP || protocol === RouteProtocol.TLS;
  if (l4 && (props.canaryMatches ?? []).length > 0) {
    throw MeshError.invalid(scope, 'canaryMatches', `${props.canaryMatches!.length} matches`,
      `empty with RouteProtocol.${protocol} (a ${protocol} connection has no headers, paths or cookies to match; only the weighted split)`);
  }
  if (protocol !== RouteProtocol.HTTP && (props.mirrorPercent ?? 0) > 0) {
    throw MeshError.invalid(scope, 'mirrorPercent', props.mirrorPercent, `0 with RouteProtocol.${protocol} (mirroring copies HTTP requests)`);
  }
  if (protocol === RouteProtocol.TCP && props.ingress !== undefined) {
    throw MeshError.invalid(scope, 'ingress', 'an ingress binding', 'unset with RouteProtocol.TCP (a TCP gateway listener has no hostname to bind by; '
      + 'use RouteProtocol.TLS with a Listener.tlsPassthrough() listener)');
  }
  if (props.sniHosts !== undefined) {
    if (protocol !== RouteProtocol.TLS) throw MeshError.invalid(scope, 'sniHosts', props.sniHosts, 'unset unless protocol is RouteProtocol.TLS');
    if (!Array.isArray(props.sniHosts) || props.sniHosts.length === 0 || props.sniHosts.length > 16) {
      throw MeshError.invalid(scope, 'sniHosts', props.sniHosts, 'a list of 1..16 SNI names');
    }
    const hosts = props.sniHosts.map((h, i) => checkDnsName(scope, `sniHosts[${i}]`, h, { wildcard: true }));
    return { protocol, sniHosts: hosts };
  }
  void serviceHost;
  return { protocol };
}
