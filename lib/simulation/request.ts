import { IConstruct } from 'constructs';
import { MeshError, formatValue } from '../mesh/errors';
import { SimulationRequest, SimulationSource } from './types';

// Checks and normalizes a request: every malformed field is a MeshError naming it.

/** The request with defaults resolved. */
export interface NormalizedRequest {
  readonly from?: Required<Pick<SimulationSource, 'namespace' | 'serviceAccount' | 'labels'>> & { readonly plaintext?: boolean; readonly gateway: boolean };
  readonly host: string;
  readonly port: number;
  readonly toNamespace?: string;
  readonly method: string;
  /** Path without query. */
  readonly path: string;
  /** Query parameters. */
  readonly query: Record<string, string>;
  /** The path as given (with query). */
  readonly rawPath: string;
  /** Lower-cased names. */
  readonly headers: Record<string, string>;
  readonly jwt?: SimulationRequest['jwt'];
  readonly via?: SimulationRequest['via'];
  /** The caller's protocol, when the request says it. */
  readonly protocol?: 'HTTP' | 'TCP' | 'TLS';
}

/** The "scope" of simulation errors: messages start with `MeshSimulation request:`. */
const SUBJECT = { constructor: { name: 'MeshSimulation' }, node: { path: 'request' } } as unknown as IConstruct;

/** A MeshError about request field `prop`. */
export function requestError(prop: string, value: unknown, allowed: string): MeshError {
  return MeshError.invalid(SUBJECT, prop, value, allowed);
}

/** A MeshError with a free-form detail. */
export function simulationError(detail: string): MeshError {
  return new MeshError(SUBJECT, detail);
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOST = /^(\*\.)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;
const METHOD = /^[A-Z]+$/;

/** Checks `req`; throws MeshError for the first malformed field. */
export function normalizeRequest(req: SimulationRequest): NormalizedRequest {
  if (!req || typeof req !== 'object') throw requestError('request', req, 'an object with `from` and `to`');
  const to = req.to as any;
  if (!to || typeof to !== 'object') throw requestError('to', to, 'an object { host, port }');
  if (typeof to.host !== 'string' || !HOST.test(to.host)) {
    throw requestError('to.host', to.host, 'a host name such as "reviews.shop.svc.cluster.local", "reviews.shop" or "reviews" (no scheme, port or path)');
  }
  if (!Number.isInteger(to.port) || to.port < 1 || to.port > 65535) throw requestError('to.port', to.port, 'an integer 1..65535 (the Service port)');
  if (to.namespace !== undefined && (typeof to.namespace !== 'string' || !NAME.test(to.namespace))) throw requestError('to.namespace', to.namespace, 'a namespace name');
  let from: NormalizedRequest['from'];
  if (req.from !== undefined) {
    const f = req.from as any;
    if (!f || typeof f !== 'object' || typeof f.namespace !== 'string' || !NAME.test(f.namespace)) {
      throw requestError('from.namespace', f?.namespace, 'the caller\'s namespace (a DNS label), e.g. { namespace: "shop", serviceAccount: "productpage" }');
    }
    const sa = f.serviceAccount ?? f.serviceAccountName ?? 'default';
    if (typeof sa !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(sa)) throw requestError('from.serviceAccount', sa, 'a service account name');
    const labels = f.labels ?? {};
    if (typeof labels !== 'object' || Object.values(labels).some(v => typeof v !== 'string')) throw requestError('from.labels', labels, 'a map of label names to string values');
    const gateway = f.gateway === true || f.isIngressGateway === true;
    from = { namespace: f.namespace, serviceAccount: sa, labels, gateway, ...(typeof f.plaintext === 'boolean' ? { plaintext: f.plaintext } : {}) };
  } else if (req.via === undefined) {
    throw requestError('from', undefined, 'the caller ({ namespace, serviceAccount }), or `via: { gateway }` for a client outside the mesh');
  }
  const method = req.method ?? 'GET';
  if (typeof method !== 'string' || !METHOD.test(method)) throw requestError('method', method, 'an HTTP method in upper case ("GET", "POST")');
  const rawPath = req.path ?? '/';
  if (typeof rawPath !== 'string' || !rawPath.startsWith('/')) throw requestError('path', rawPath, 'a path starting with "/"');
  const [path, qs] = splitQuery(rawPath);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    if (typeof v !== 'string') throw requestError(`headers.${k}`, v, 'a string');
    headers[k.toLowerCase()] = v;
  }
  const jwt = req.jwt;
  if (jwt !== undefined && (typeof jwt !== 'object' || typeof jwt.issuer !== 'string' || jwt.issuer === '')) {
    throw requestError('jwt.issuer', (jwt as any)?.issuer, 'the token issuer (the `iss` claim)');
  }
  if (req.via !== undefined && (typeof req.via?.gateway !== 'string' || !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(req.via.gateway))) {
    throw requestError('via.gateway', req.via?.gateway, '"namespace/name" of a Gateway in the set');
  }
  const protocol = req.protocol;
  if (protocol !== undefined && !['HTTP', 'TCP', 'TLS'].includes(protocol)) throw requestError('protocol', protocol, '"HTTP", "TCP" or "TLS"');
  return { ...(protocol !== undefined ? { protocol } : {}), from, host: to.host.toLowerCase(), port: to.port, toNamespace: to.namespace, method, path, query: qs, rawPath, headers, jwt, via: req.via };
}

function splitQuery(raw: string): [string, Record<string, string>] {
  const i = raw.indexOf('?');
  if (i < 0) return [raw, {}];
  const query: Record<string, string> = {};
  for (const part of raw.slice(i + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    query[k] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
  }
  return [raw.slice(0, i), query];
}

/** Renders a value for explain(). */
export function show(value: unknown): string {
  return formatValue(value);
}
