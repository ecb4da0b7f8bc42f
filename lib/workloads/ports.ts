import { IConstruct } from 'constructs';
import { checkDns1123Label, checkPort } from '../mesh/checks';
import { MeshError } from '../mesh/errors';

/** Istio's protocol names as a port-name prefix or `appProtocol` selects them (case-insensitive). */
const PROTOCOLS: Record<string, string> = {
  'http': 'HTTP', 'http2': 'HTTP2', 'https': 'HTTPS', 'grpc': 'GRPC', 'grpc-web': 'GRPC-WEB',
  'tcp': 'TCP', 'tls': 'TLS', 'mongo': 'MONGO', 'mysql': 'MYSQL', 'redis': 'REDIS', 'udp': 'UDP',
};
const APP_PROTOCOLS: Record<string, string> = { 'kubernetes.io/h2c': 'HTTP2', 'kubernetes.io/ws': 'HTTP', 'kubernetes.io/wss': 'HTTPS' };

/** A port of a workload outside Kubernetes, as its props give it. */
export interface WorkloadPortInput {
  readonly name: string;
  readonly port: number;
  readonly targetPort?: number;
  readonly appProtocol?: string;
}

/** A checked port with the protocol Istio selects for it. */
export interface WorkloadPort {
  /** Port name. */
  readonly name: string;
  /** Service port. */
  readonly port: number;
  /**
   * Port the workload listens on.
   *
   * @default - the same as `port`
   */
  readonly targetPort?: number;
  /** The ServiceEntry protocol (`TCP`, `HTTP`, ...). */
  readonly protocol: string;
}

/**
 * The protocol Istio selects from a port name (`<protocol>[-<suffix>]`) or `appProtocol`, or
 * undefined when neither names one (Istio then sniffs, or treats the port as TCP).
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export function selectedProtocol(name: string, appProtocol?: string): string | undefined {
  if (appProtocol !== undefined) return PROTOCOLS[appProtocol.toLowerCase()] ?? APP_PROTOCOLS[appProtocol];
  const lower = name.toLowerCase();
  if (PROTOCOLS[lower]) return PROTOCOLS[lower];
  const dash = lower.indexOf('-');
  if (lower.startsWith('grpc-web-') || lower === 'grpc-web') return 'GRPC-WEB';
  return dash > 0 ? PROTOCOLS[lower.slice(0, dash)] : undefined;
}

const ALLOWED = `a name "<protocol>[-<suffix>]" with protocol ${Object.keys(PROTOCOLS).join(', ')} (e.g. "tcp-postgres"), or an appProtocol`;

/** Checks the ports of a workload: names, numbers, unique, with a protocol Istio can select. */
export function checkWorkloadPorts(scope: IConstruct, prop: string, value: unknown): WorkloadPort[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw MeshError.invalid(scope, prop, value, 'a non-empty list of ports { name, port, targetPort?, appProtocol? }');
  }
  const names = new Set<string>();
  const numbers = new Set<number>();
  return value.map((p, i) => {
    const at = `${prop}[${i}]`;
    if (p === null || typeof p !== 'object') throw MeshError.invalid(scope, at, p, 'a port { name, port, targetPort?, appProtocol? }');
    const name = checkDns1123Label(scope, `${at}.name`, p.name);
    const port = checkPort(scope, `${at}.port`, p.port);
    const targetPort = p.targetPort === undefined ? undefined : checkPort(scope, `${at}.targetPort`, p.targetPort);
    if (p.appProtocol !== undefined && typeof p.appProtocol !== 'string') {
      throw MeshError.invalid(scope, `${at}.appProtocol`, p.appProtocol, `one of ${Object.keys(PROTOCOLS).join(', ')}`);
    }
    const protocol = selectedProtocol(name, p.appProtocol);
    if (protocol === undefined) {
      throw MeshError.invalid(scope, p.appProtocol !== undefined ? `${at}.appProtocol` : `${at}.name`, p.appProtocol ?? name,
        `${ALLOWED}: Istio selects the protocol from them; without one it sniffs, which fails for server-first protocols such as Postgres or MySQL`);
    }
    if (names.has(name)) throw MeshError.invalid(scope, `${at}.name`, name, 'unique among the ports');
    if (numbers.has(port)) throw MeshError.invalid(scope, `${at}.port`, port, 'unique among the ports');
    names.add(name);
    numbers.add(port);
    return { name, port, protocol, ...(targetPort !== undefined ? { targetPort } : {}) };
  });
}
