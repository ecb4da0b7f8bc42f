import { SimulationRequest } from '../simulation';

// Arguments of `cdk8s-istio simulate`.

/** Parsed arguments of `cdk8s-istio simulate`. */
export interface SimulateArgs {
  readonly command: 'simulate';
  /** Files and directories to read, in the order given. */
  readonly paths: readonly string[];
  /** Output format. */
  readonly format: 'text' | 'json';
  /** The request to simulate. */
  readonly request: SimulationRequest;
}

export const SIMULATE_USAGE = `Usage: cdk8s-istio simulate <file|dir|->... --to HOST:PORT (--from NAMESPACE[/SERVICEACCOUNT] | --via NAMESPACE/GATEWAY)
                           [--method GET] [--path /x?q=1] [--header NAME=VALUE]... [--label NAME=VALUE]...
                           [--jwt ISSUER [--jwt-subject SUB] [--jwt-claim NAME=VALUE]... [--jwt-invalid]]
                           [--format text|json]

simulate: answers "where does this request go, and is it allowed?" from the manifests alone
(Istio 1.30 / Gateway API v1.6, sidecar and ambient): the route rule that matches and its
backends, then authorization at every enforcement point on the way (gateway, waypoint, sidecar,
ztunnel). Reads the paths as validate does.

Options:
  --from NS[/SA]      the calling workload: namespace and service account (default: default)
  --label NAME=VALUE  a pod label of the caller (VirtualService sourceLabels); repeatable
  --via NS/NAME       the request enters through this Gateway (--to is then the Host header);
                      without --from the client is outside the mesh
  --to HOST:PORT      the destination as the caller writes it: reviews.shop.svc.cluster.local:9080,
                      reviews.shop:9080, or reviews:9080 (in the caller's namespace)
  --method METHOD     HTTP method (default: GET)
  --path PATH         request path with optional query (default: /)
  --header NAME=VALUE a request header; repeatable
  --jwt ISSUER        the request carries a valid token of this issuer
  --jwt-subject SUB   the token's subject (default: user); --jwt-claim NAME=VALUE adds a claim
                      (repeatable; repeated names make a list); --jwt-invalid: the token fails validation
  --format text|json  output (default: text): the verdict, the route and the explanation, or JSON

Exit status: 0 allowed, 1 denied (including no matching route), 2 usage error or unreadable input,
3 the outcome depends on something outside the manifests (unknown).`;

/** A usage error of `simulate`. */
export interface SimulateUsageError {
  readonly command: 'usage-error';
  readonly message: string;
}

const PAIR = /^([^=]+)=(.*)$/;

/** Parses `simulate` arguments (after the command). */
export function parseSimulateArgs(rest: readonly string[]): SimulateArgs | SimulateUsageError {
  const usage = (message: string): SimulateUsageError => ({ command: 'usage-error', message });
  const shown = (v: string | undefined) => (v === undefined ? 'nothing' : JSON.stringify(v));
  const paths: string[] = [];
  const headers: Record<string, string> = {};
  const labels: Record<string, string> = {};
  const claims: Record<string, string | string[]> = {};
  let format: 'text' | 'json' = 'text';
  let from: { namespace: string; serviceAccount?: string } | undefined;
  let to: { host: string; port: number } | undefined;
  let via: string | undefined;
  let method: string | undefined;
  let path: string | undefined;
  let issuer: string | undefined;
  let subject: string | undefined;
  let invalid = false;
  let onlyPaths = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : rest[++i]);
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    switch (name) {
      case '--': onlyPaths = true; break;
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') return usage(`--format must be "text" or "json", got ${shown(v)}`);
        format = v;
        break;
      }
      case '--from': {
        const v = value();
        const m = v === undefined ? null : /^([a-z0-9-]+)(?:\/([a-z0-9.-]+))?$/.exec(v);
        if (!m) return usage(`--from must be NAMESPACE or NAMESPACE/SERVICEACCOUNT (shop/productpage), got ${shown(v)}`);
        from = { namespace: m[1], ...(m[2] !== undefined ? { serviceAccount: m[2] } : {}) };
        break;
      }
      case '--to': {
        const v = value();
        const m = v === undefined ? null : /^([^:\s]+):([0-9]{1,5})$/.exec(v);
        if (!m) return usage(`--to must be HOST:PORT (reviews.shop:9080), got ${shown(v)}`);
        to = { host: m[1], port: Number(m[2]) };
        break;
      }
      case '--via': {
        const v = value();
        if (v === undefined || !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(v)) return usage(`--via must be NAMESPACE/GATEWAY (istio-ingress/public), got ${shown(v)}`);
        via = v;
        break;
      }
      case '--method': {
        const v = value();
        if (v === undefined || !/^[A-Za-z]+$/.test(v)) return usage(`--method must be an HTTP method (GET, POST), got ${shown(v)}`);
        method = v.toUpperCase();
        break;
      }
      case '--path': {
        const v = value();
        if (v === undefined || !v.startsWith('/')) return usage(`--path must start with "/", got ${shown(v)}`);
        path = v;
        break;
      }
      case '--header': case '--label': case '--jwt-claim': {
        const v = value();
        const m = v === undefined ? null : PAIR.exec(v);
        if (!m) return usage(`${name} must be NAME=VALUE, got ${shown(v)}`);
        if (name === '--header') headers[m[1]] = m[2];
        else if (name === '--label') labels[m[1]] = m[2];
        else {
          const prev = claims[m[1]];
          claims[m[1]] = prev === undefined ? m[2] : ([] as string[]).concat(prev, m[2]);
        }
        break;
      }
      case '--jwt': {
        const v = value();
        if (v === undefined || v === '' || v.startsWith('--')) return usage(`--jwt must be the token's issuer (https://auth.example.com), got ${shown(v)}`);
        issuer = v;
        break;
      }
      case '--jwt-subject': {
        const v = value();
        if (v === undefined || v === '') return usage(`--jwt-subject must be the token's subject, got ${shown(v)}`);
        subject = v;
        break;
      }
      case '--jwt-invalid': invalid = true; break;
      default: return usage(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  if (paths.length === 0) return usage('no file or directory given');
  if (!to) return usage('--to HOST:PORT is required');
  if (!from && !via) return usage('--from NAMESPACE[/SERVICEACCOUNT] or --via NAMESPACE/GATEWAY is required');
  if (Object.keys(labels).length && !from) return usage('--label needs --from (it is a label of the calling workload)');
  if (issuer === undefined && (subject !== undefined || invalid || Object.keys(claims).length)) return usage('--jwt-subject, --jwt-claim and --jwt-invalid need --jwt ISSUER');
  const request: SimulationRequest = {
    ...(from ? { from: { ...from, ...(Object.keys(labels).length ? { labels } : {}) } } : {}),
    to,
    ...(method ? { method } : {}),
    ...(path ? { path } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(issuer !== undefined ? { jwt: { issuer, ...(subject ? { subject } : {}), ...(Object.keys(claims).length ? { claims } : {}), ...(invalid ? { valid: false } : {}) } } : {}),
    ...(via ? { via: { gateway: via } } : {}),
  };
  return { command: 'simulate', paths, format, request };
}
