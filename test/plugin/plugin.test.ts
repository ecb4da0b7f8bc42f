import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import type { ValidationContext as CliValidationContext } from '../../node_modules/cdk8s-cli/lib/plugins/validation';
import { IstioValidation, MeshContext } from '../../lib';
import { runCli } from '../../lib/cli';
import { validateFiles } from '../../lib/plugin';
import { testChart } from '../util';

const ROOT = path.join(__dirname, '..', '..');

// The first validation compiles the CRD schemas and the end-to-end test spawns `cdk8s synth`:
// allow for a loaded CI machine.
jest.setTimeout(120_000);

// cdk8s-cli exposes the plugin context as `cdk8s-cli/plugins` (package exports), which this
// project's `moduleResolution: node` cannot type: the type comes from the file, the value from
// the package entry point, as a plugin gets it at `cdk8s synth`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins') as { ValidationContext: typeof CliValidationContext };

const SERVICE = `apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  selector: { app: reviews }
  ports: [{ name: http, port: 9080 }]
`;
const DESTINATION_RULE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews.shop.svc.cluster.local
  subsets: [{ name: v1, labels: { version: v1 } }]
`;
const virtualService = (subset: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - route:
        - destination: { host: reviews.shop.svc.cluster.local, subset: ${subset}, port: { number: 9080 } }
${extra}`;
const HTTPROUTE_WITH_RETRY = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ratings, namespace: shop }
spec:
  parentRefs: [{ group: '', kind: Service, name: ratings, port: 9080 }]
  rules:
    - backendRefs: [{ name: ratings, port: 9080 }]
      retry: { attempts: 2, codes: [503] }
`;
const FAULT_WITH_TIMEOUT = `      fault: { abort: { httpStatus: 503, percentage: { value: 1 } } }
      timeout: 2s
`;

/** Writes files into a fresh temporary directory and returns their paths. */
function writeFiles(files: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-plugin-'));
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const HELP = (code: string) => `https://unpkg.com/cdk8s-istio@${VERSION}/docs/diagnostic-codes.md#${code.toLowerCase()}`;

/** Runs the plugin as cdk8s-cli does; `logged` is what it printed through the context's logger. */
async function runPluginLogged(files: string[], props: object = {}, metadata = {}, version = VERSION) {
  const context = new ValidationContext(files, 'cdk8s-istio', version, metadata, false);
  const logged: string[] = [];
  jest.spyOn(context.logger, 'log').mockImplementation(line => { logged.push(line); });
  await new IstioValidation(props as any).validate(context);
  return { report: context.report.toJson(), logged };
}

async function runPlugin(files: string[], props: object = {}, metadata = {}) {
  return (await runPluginLogged(files, props, metadata)).report;
}

describe('IstioValidation (cdk8s validation plugin)', () => {
  test('reports a cross-file graph error with code, object, location, file and construct path, and fails', async () => {
    // GIVEN the DestinationRule in one file and a VirtualService naming a missing subset in another
    const [a, b] = writeFiles({ 'a.k8s.yaml': `${SERVICE}---\n${DESTINATION_RULE}`, 'b.k8s.yaml': virtualService('v2') });
    // WHEN
    const report = await runPlugin([a, b], {}, { reviews: { path: 'shop/reviews-vs' } });
    // THEN
    expect(report.summary).toEqual({
      status: 'failure', plugin: 'cdk8s-istio', version: VERSION, metadata: { errors: '1', warnings: '0', infos: '0' },
    });
    expect(report.violations).toEqual([{
      ruleName: 'IST0101 (error)',
      recommendation: 'VirtualService shop/reviews: Referenced subset not found: "reviews.shop.svc.cluster.local+v2" (not defined by DestinationRule shop/reviews)',
      fix: HELP('IST0101'),
      violatingConstructs: [{
        resourceName: 'reviews', constructPath: 'shop/reviews-vs', manifestPath: b,
        locations: ['spec.http[0].route[0].destination.subset (line 8, column 64)'],
      }],
    }]);
  });

  test('warnings are listed but pass, unless failOnWarnings', async () => {
    const files = writeFiles({ 'app.k8s.yaml': [SERVICE, DESTINATION_RULE, virtualService('v1', FAULT_WITH_TIMEOUT)].join('---\n') });
    const lenient = await runPlugin(files);
    expect(lenient.summary.status).toBe('success');
    expect(lenient.violations.map(v => v.ruleName)).toEqual(['CI3008 (warning)']);
    expect(lenient.violations[0].violatingConstructs[0].locations).toEqual(['spec.http[0].fault (line 23, column 7)']);
    const strictWarnings = await runPlugin(files, { failOnWarnings: true });
    expect(strictWarnings.summary.status).toBe('failure');
  });

  test('infos are counted, listed only with includeInfos, and become errors under strict', async () => {
    // GIVEN a VirtualService whose DestinationRule is not in the set (an outside reference)
    const files = writeFiles({ 'app.k8s.yaml': [SERVICE, virtualService('v1')].join('---\n') });
    const plain = await runPlugin(files);
    expect(plain.summary).toMatchObject({ status: 'success', metadata: { errors: '0', warnings: '0', infos: '1' } });
    expect(plain.violations).toEqual([]);
    expect((await runPlugin(files, { includeInfos: true })).violations.map(v => v.ruleName)).toEqual(['IST0101 (info)']);
    const strict = await runPlugin(files, { strict: true });
    expect(strict.summary.status).toBe('failure');
    expect(strict.violations.map(v => v.ruleName)).toEqual(['IST0101 (error)']);
  });

  test('a clean set passes with no violations; resolved options are readable', async () => {
    const files = writeFiles({ 'app.k8s.yaml': [SERVICE, DESTINATION_RULE, virtualService('v1')].join('---\n') });
    const report = await runPlugin(files);
    expect(report.summary.status).toBe('success');
    expect(report.violations).toEqual([]);
    expect(new IstioValidation().props).toEqual({ strict: false, gatewayApiChannel: 'standard', failOnWarnings: false, includeInfos: false });
  });

  test('prints the same one-line findings as the CLI, then its summary line; "How to fix" is a link', async () => {
    const [a, b] = writeFiles({ 'a.k8s.yaml': `${SERVICE}---\n${DESTINATION_RULE}`, 'b.k8s.yaml': virtualService('v2') });
    const { report, logged } = await runPluginLogged([a, b]);
    const cli: string[] = [];
    runCli(['validate', a, b], { out: l => cli.push(l), err: () => undefined });
    expect(logged).toEqual([cli[0], `cdk8s-istio: ${cli[1]}`]);
    expect(logged[0]).toMatch(/^\S+b\.k8s\.yaml[#:]\S* error IST0101 VirtualService shop\/reviews spec\.http\[0\]\.route\[0\]\.destination\.subset: Referenced subset not found/);
    expect(report.violations.map(v => v.fix)).toEqual([HELP('IST0101')]);
  });

  test('unknown and ill-typed options fail synth with one message each, never a throw', async () => {
    const files = writeFiles({ 'app.k8s.yaml': SERVICE });
    const bad = { strcit: true, gatewayApiChannel: 'beta', failOnWarnings: 'yes' };
    expect(() => new IstioValidation(bad as any)).not.toThrow();
    const { report, logged } = await runPluginLogged(files, bad);
    const messages = [
      'unknown option "strcit" in properties; the options are strict, gatewayApiChannel, failOnWarnings, includeInfos',
      'properties.gatewayApiChannel must be "standard" or "experimental", got "beta"',
      'properties.failOnWarnings must be true or false, got "yes"',
    ];
    expect(logged).toEqual(messages.map(m => `cdk8s-istio: error in cdk8s.yaml (validations, class IstioValidation): ${m}`));
    expect(report.summary).toEqual({ status: 'failure', plugin: 'cdk8s-istio', version: VERSION, metadata: { errors: '3', warnings: '0', infos: '0' } });
    expect(report.violations.map(v => [v.ruleName, v.recommendation])).toEqual(messages.map(m => ['cdk8s.yaml (error)', m]));
  });

  test('a version in cdk8s.yaml other than the installed package fails synth, naming the version to write', async () => {
    const files = writeFiles({ 'app.k8s.yaml': SERVICE });
    const { report, logged } = await runPluginLogged(files, {}, {}, '0.0.9');
    const message = `version "0.0.9" in cdk8s.yaml is not the installed cdk8s-istio ${VERSION}; set \`version: ${VERSION}\``;
    expect(logged).toEqual([`cdk8s-istio: error in cdk8s.yaml (validations, class IstioValidation): ${message}`]);
    expect(report.summary.status).toBe('failure');
    expect(report.violations.map(v => v.recommendation)).toEqual([message]);
  });

  test('#15.12 gatewayApiChannel: experimental accepts an HTTPRoute retry that the standard channel rejects', async () => {
    const files = writeFiles({ 'app.k8s.yaml': HTTPROUTE_WITH_RETRY });
    const standard = await runPlugin(files);
    expect(standard.summary.status).toBe('failure');
    expect(standard.violations.map(v => [v.ruleName, v.violatingConstructs[0].locations[0]])).toEqual([
      ['CI1002 (error)', expect.stringMatching(/^spec\.rules\[0\]\.retry /)],
    ]);
    const experimental = await runPlugin(files, { gatewayApiChannel: 'experimental' });
    expect(experimental.summary.status).toBe('success');
    expect(experimental.violations).toEqual([]);
    expect(new IstioValidation({ gatewayApiChannel: 'experimental', strict: true }).props).toEqual({ strict: true, gatewayApiChannel: 'experimental', failOnWarnings: false, includeInfos: false });
  });

  test('validateFiles gives each diagnostic its file and its index in that file; empty documents are skipped', () => {
    const [a, b] = writeFiles({ 'a.yaml': `---\n${SERVICE}---\n${DESTINATION_RULE}`, 'b.yaml': `# nothing\n---\n${virtualService('v9')}` });
    expect(validateFiles([a, b]).map(d => `${path.basename(d.file)}#${d.index} ${d.code}`)).toEqual(['b.yaml#0 IST0101']);
  });
});

describe('validation at synth (MeshContext) and in cdk8s synth', () => {
  test('a broken raw ApiObject fails app synth with the graph code and its construct path', () => {
    // GIVEN an app whose DestinationRule has subset v1 and a raw VirtualService routing to subset v2
    const { app, chart } = testChart();
    MeshContext.of(chart);
    new ApiObject(chart, 'reviews-svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews' },
      spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } });
    new ApiObject(chart, 'reviews-dr', { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews' },
      spec: { host: 'reviews.shop.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } });
    const broken = new Chart(app, 'routes', { namespace: 'shop' });
    new ApiObject(broken, 'reviews-vs', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews' },
      spec: { hosts: ['reviews.shop.svc.cluster.local'], http: [{ route: [{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v2', port: { number: 9080 } } }] }] } });
    // THEN
    expect(() => app.synth()).toThrow(
      '[routes/reviews-vs] error IST0101 VirtualService shop/reviews spec.http[0].route[0].destination.subset: Referenced subset not found: "reviews.shop.svc.cluster.local+v2" (not defined by DestinationRule shop/reviews)');
    expect(() => Testing.synth(broken)).toThrow(/\[routes\/reviews-vs\] error IST0101 /);
  });

  /** `cdk8s synth` in a fresh project whose app writes `manifests`, with the plugin from source and these properties. */
  function synth(manifests: string, properties: string[] = []) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-synth-'));
    fs.writeFileSync(path.join(dir, 'app.js'),
      `require('fs').mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });\n`
      + `require('fs').writeFileSync(require('path').join(process.env.CDK8S_OUTDIR, 'shop.k8s.yaml'), ${JSON.stringify(manifests)});\n`);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
      'language: typescript', 'app: node app.js', 'output: dist', 'validations:',
      `  - package: ${path.join(ROOT, 'lib', 'plugin', 'from-source.js')}`, `    version: ${VERSION}`, '    class: IstioValidation',
      ...(properties.length > 0 ? ['    properties:', ...properties.map(p => `      ${p}`)] : []), '',
    ].join('\n'));
    try {
      const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade'],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
      return { output: `${run.stdout}\n${run.stderr}`, status: run.status };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('`cdk8s synth` runs the plugin from cdk8s.yaml and fails on a graph error (exit code 2)', () => {
    // GIVEN a project whose app writes a manifest set with a missing subset, and the plugin configured
    // the way the repository's own cdk8s.yaml configures it
    // WHEN
    const { output, status } = synth([SERVICE, DESTINATION_RULE, virtualService('v2')].join('---\n'));
    // THEN
    expect(output).toContain('Performing validations');
    expect(output).toContain('dist/shop.k8s.yaml:22:64 error IST0101 VirtualService shop/reviews spec.http[0].route[0].destination.subset: Referenced subset not found');
    expect(output).toContain('IST0101 (error)');
    expect(output).toContain('Manifest Path: dist/shop.k8s.yaml');
    expect(output).toContain('> spec.http[0].route[0].destination.subset (line 22, column 64)');
    expect(output).toContain('Recommendation: VirtualService shop/reviews: Referenced subset not found: "reviews.shop.svc.cluster.local+v2"');
    expect(output).toContain(`How to fix: ${HELP('IST0101')}`);
    expect(output).toContain('Validation failed');
    expect(output).not.toMatch(/^\s+at /m);
    expect(status).toBe(2);
  });

  test('#15.12 `cdk8s synth` of an app that opted into experimental fields passes with gatewayApiChannel: experimental', () => {
    const standard = synth(HTTPROUTE_WITH_RETRY);
    expect(standard.output).toContain('error CI1002 HTTPRoute shop/ratings spec.rules[0].retry: unknown field "retry"');
    expect(standard.status).toBe(2);
    const experimental = synth(HTTPROUTE_WITH_RETRY, ['gatewayApiChannel: experimental', 'strict: false']);
    expect(experimental.output).toContain('cdk8s-istio: 0 errors, 0 warnings, 2 infos in 1 document from 1 file');
    expect(experimental.output).not.toContain('Validation failed');
    expect(experimental.status).toBe(0);
  });

  test('`cdk8s synth` with an unknown option fails with one line and no stack trace', () => {
    const { output, status } = synth(SERVICE, ['strcit: true']);
    expect(output).toContain('cdk8s-istio: error in cdk8s.yaml (validations, class IstioValidation): unknown option "strcit" in properties; the options are strict, gatewayApiChannel, failOnWarnings, includeInfos');
    expect(output).not.toMatch(/^\s+at /m);
    expect(status).toBe(2);
  });

  test("the repository's cdk8s.yaml configures the plugin from source", () => {
    const config = fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8');
    expect(config).toContain('validations:\n  # cdk8s-istio\'s own validation plugin, loaded from source (see lib/plugin/from-source.js).\n'
      + '  - package: ./lib/plugin/from-source.js\n    version: 0.1.0\n    class: IstioValidation\n');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require(path.join(ROOT, 'lib', 'plugin', 'from-source.js')).IstioValidation).toBe(IstioValidation);
  });
});
