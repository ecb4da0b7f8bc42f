import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSimulateArgs, USAGE } from '../../lib/cli';
import { runCaptured } from './run-cli';

// GIVEN manifests on disk, WHEN `cdk8s-istio simulate` runs, THEN it prints the verdict, the route
// and the explanation (or JSON) and exits 0 allowed, 1 denied, 2 usage/input error, 3 unknown.

const MESH = join(__dirname, 'fixtures', 'simulate-mesh.yaml');
const FQDN = 'reviews.shop.svc.cluster.local';
const RETRIES = 'retries: 2 (connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes); timeout: none';

const run = runCaptured;

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'cdk8s-istio-sim-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('simulate: text output', () => {
  test('a canary header: allowed, routed to v2, exit 0', () => {
    expect(run(['simulate', MESH, '--from', 'shop/productpage', '--to', 'reviews.shop:9080', '--header', 'x-canary=true'])).toEqual({
      code: 0, err: [], out: [
        'allowed: ALLOW shop/reviews rule 0 at sidecar (ALLOW policy shop/reviews rule 0 matches)',
        `route: VirtualService shop/reviews rule 0 -> ${FQDN} subset v2 100%`,
        RETRIES,
        '',
        'request GET / to reviews.shop:9080',
        'from cluster.local/ns/shop/sa/productpage in namespace shop (sidecar)',
        'route: at the caller\'s sidecar: VirtualService shop/reviews: rule 0 match 0 holds',
        'sidecar: sidecar of shop/reviews-v2 (port 9080)',
        '  mTLS PERMISSIVE (no PeerAuthentication (PERMISSIVE)); the caller uses mTLS',
        '  no token, no RequestAuthentication',
        '  ALLOW policy shop/reviews rule 0 matches',
        'verdict: allowed (ALLOW shop/reviews at sidecar)',
      ],
    });
  });

  test('a caller the policy does not list: denied, exit 1; the 90/10 split is shown', () => {
    const r = run(['simulate', MESH, '--from=shop/ratings', '--to=reviews.shop:9080']);
    expect(r.code).toBe(1);
    expect(r.out.slice(0, 3)).toEqual([
      'denied: DEFAULT_DENY at sidecar (ALLOW policies apply (shop/reviews) and none matches)',
      `route: VirtualService shop/reviews rule 1 -> ${FQDN} subset v1 90%, ${FQDN} subset v2 10%`,
      RETRIES,
    ]);
    expect(r.out[r.out.length - 1]).toBe('verdict: denied (DEFAULT_DENY at sidecar)');
  });

  test('the method counts: productpage may GET, not DELETE', () => {
    expect(run(['simulate', MESH, '--from', 'shop/productpage', '--to', 'reviews.shop:9080', '--method', 'delete']).code).toBe(1);
    expect(run(['simulate', MESH, '--from', 'shop/productpage', '--to', 'reviews.shop:9080', '--method', 'GET', '--path', '/reviews/1']).code).toBe(0);
  });

  test('a CUSTOM authorizer makes the outcome unknown: exit 3', () => {
    const custom = join(dir, 'custom.yaml');
    writeFileSync(custom, [
      'apiVersion: security.istio.io/v1', 'kind: AuthorizationPolicy', 'metadata: { name: ext, namespace: shop }',
      'spec: { action: CUSTOM, provider: { name: opa }, selector: { matchLabels: { app: reviews } }, rules: [{}] }', '',
    ].join('\n'));
    const r = run(['simulate', MESH, custom, '--from', 'shop/productpage', '--to', 'reviews.shop:9080']);
    expect(r.code).toBe(3);
    expect(r.out[0]).toBe('unknown: CUSTOM policy shop/ext sends the request to the external authorizer "opa", whose answer is outside the set');
  });

  test('manifests from standard input', () => {
    const r = run(['simulate', '-', '--from', 'shop/productpage', '--to', 'reviews.shop:9080'], 'apiVersion: v1\nkind: Service\nmetadata: { name: reviews, namespace: shop }\nspec: { selector: { app: reviews }, ports: [{ port: 9080 }] }\n');
    expect(r.code).toBe(0);
    expect(r.out.slice(0, 2)).toEqual([
      'allowed: DEFAULT_ALLOW at sidecar (no ALLOW policy applies)',
      `route: Service shop/reviews -> ${FQDN}:9080 100%`,
    ]);
  });
});

describe('simulate: --format json', () => {
  test('the request, the result and the explanation as one JSON document', () => {
    const r = run(['simulate', MESH, '--from', 'shop/productpage', '--to', 'reviews.shop:9080', '--header', 'x-canary=true', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    const json = JSON.parse(r.out[0]);
    expect(json.request).toEqual({ from: { namespace: 'shop', serviceAccount: 'productpage' }, to: { host: 'reviews.shop', port: 9080 }, headers: { 'x-canary': 'true' } });
    expect(json.allowed).toBe(true);
    expect(json.decision).toEqual({ action: 'ALLOW', policy: 'shop/reviews', rule: 0, enforcedAt: 'sidecar', reason: 'ALLOW policy shop/reviews rule 0 matches' });
    expect(json.route).toEqual({
      resource: 'VirtualService shop/reviews', rule: 0, backends: [{ host: FQDN, subset: 'v2', percent: 100 }],
      retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' },
    });
    expect(json.explain[json.explain.length - 1]).toBe('verdict: allowed (ALLOW shop/reviews at sidecar)');
    expect(Object.keys(json)).toEqual(['request', 'allowed', 'decision', 'decisions', 'route', 'explain']);
  });
});

describe('simulate: arguments', () => {
  test('every request flag becomes a request field', () => {
    expect(parseSimulateArgs(['a.yaml', 'dir', '--from', 'shop', '--label', 'app=productpage', '--label=version=v1', '--to', 'reviews:9080', '--method', 'post',
      '--path', '/x?y=1', '--header', 'x-a=1', '--header', 'x-b=', '--jwt', 'https://auth.example.com', '--jwt-subject', 'u1',
      '--jwt-claim', 'groups=a', '--jwt-claim', 'groups=b', '--jwt-claim', 'aud=shop', '--jwt-invalid', '--via', 'istio-ingress/public', '--format', 'json'])).toEqual({
      command: 'simulate', paths: ['a.yaml', 'dir'], format: 'json',
      request: {
        from: { namespace: 'shop', labels: { app: 'productpage', version: 'v1' } }, to: { host: 'reviews', port: 9080 }, method: 'POST', path: '/x?y=1',
        headers: { 'x-a': '1', 'x-b': '' },
        jwt: { issuer: 'https://auth.example.com', subject: 'u1', claims: { groups: ['a', 'b'], aud: 'shop' }, valid: false },
        via: { gateway: 'istio-ingress/public' },
      },
    });
    expect(parseSimulateArgs(['a.yaml', '--via', 'istio-ingress/public', '--to', 'shop.example.com:80'])).toEqual({
      command: 'simulate', paths: ['a.yaml'], format: 'text', request: { to: { host: 'shop.example.com', port: 80 }, via: { gateway: 'istio-ingress/public' } },
    });
  });

  test.each([
    ['--from NAMESPACE[/SERVICEACCOUNT] or --via NAMESPACE/GATEWAY is required', ['simulate', MESH, '--to', 'reviews:9080']],
    ['--to HOST:PORT is required', ['simulate', MESH, '--from', 'shop/productpage']],
    ['no file or directory given', ['simulate', '--from', 'shop', '--to', 'reviews:9080']],
    ['--from must be NAMESPACE or NAMESPACE/SERVICEACCOUNT (shop/productpage), got "Shop"', ['simulate', MESH, '--from', 'Shop', '--to', 'reviews:9080']],
    ['--to must be HOST:PORT (reviews.shop:9080), got "reviews"', ['simulate', MESH, '--from', 'shop', '--to', 'reviews']],
    ['--via must be NAMESPACE/GATEWAY (istio-ingress/public), got "public"', ['simulate', MESH, '--from', 'shop', '--to', 'reviews:80', '--via', 'public']],
    ['--header must be NAME=VALUE, got "x-canary"', ['simulate', MESH, '--from', 'shop', '--to', 'reviews:80', '--header', 'x-canary']],
    ['--path must start with "/", got "x"', ['simulate', MESH, '--from', 'shop', '--to', 'reviews:80', '--path', 'x']],
    ['--method must be an HTTP method (GET, POST), got "GE T"', ['simulate', MESH, '--from', 'shop', '--to', 'reviews:80', '--method', 'GE T']],
    ['--format must be "text" or "json", got "sarif"', ['simulate', MESH, '--from', 'shop', '--to', 'reviews:80', '--format', 'sarif']],
    ['--jwt must be the token\'s issuer (https://auth.example.com), got nothing', ['simulate', MESH, '--from', 'shop', '--to', 'reviews:80', '--jwt']],
    ['--jwt-subject, --jwt-claim and --jwt-invalid need --jwt ISSUER', ['simulate', MESH, '--from', 'shop', '--to', 'reviews:80', '--jwt-subject', 'u1']],
    ['--label needs --from (it is a label of the calling workload)', ['simulate', MESH, '--via', 'istio-ingress/public', '--to', 'reviews:80', '--label', 'app=x']],
    ['unknown option "--strict"', ['simulate', MESH, '--from', 'shop', '--to', 'reviews:80', '--strict']],
  ])('usage error: %s', (message, args) => {
    expect(run(args as string[])).toEqual({ code: 2, out: [], err: [`cdk8s-istio: ${message}`, USAGE] });
  });

  test('an unreadable file or a YAML syntax error: exit 2, the problems on standard error', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'kind: [\n');
    const missing = join(dir, 'missing.yaml');
    const r = run(['simulate', missing, bad, '--from', 'shop', '--to', 'reviews:9080']);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err[0]).toBe(`${missing} error CI9001: cannot read: no such file or directory`);
    expect(r.err[1]).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ error CI9002: YAML syntax error`));
    expect(r.err[2]).toBe('cdk8s-istio: cannot simulate: 2 input errors');
  });

  test('a gateway that is not in the set: exit 2 with the simulator\'s message', () => {
    expect(run(['simulate', MESH, '--via', 'istio-ingress/public', '--to', 'shop.example.com:80'])).toEqual({
      code: 2, out: [], err: ['cdk8s-istio: MeshSimulation request: via.gateway must name a Gateway in the set, got "istio-ingress/public" (gateways: none)'],
    });
  });

  test('the usage names simulate and its exit statuses', () => {
    expect(USAGE).toContain('cdk8s-istio simulate <file|dir|->... --to HOST:PORT (--from NS[/SA] | --via NS/GATEWAY) [options]');
    expect(USAGE).toContain('Exit status: 0 allowed, 1 denied (including no matching route), 2 usage error or unreadable input,\n3 the outcome depends on something outside the manifests (unknown).');
  });
});

describe('simulate: the installed command', () => {
  test('bin/cdk8s-istio.js simulate prints the verdict and exits with its status', () => {
    const bin = join(__dirname, '..', '..', 'bin', 'cdk8s-istio.js');
    const r = spawnSync(process.execPath, [bin, 'simulate', MESH, '--from', 'shop/ratings', '--to', 'reviews.shop:9080'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('denied: DEFAULT_DENY at sidecar (ALLOW policies apply (shop/reviews) and none matches)');
    expect(r.status).toBe(1);
  });
});
