// Phases b (the CLI cold on the bench mesh's YAML vs a js-yaml parse, each in a fresh process)
// and c (the CLI on one small file vs `node -e 0`).
import * as fs from 'fs';
import * as path from 'path';
import { median, round, runNode, ProcessRun, tmpdir } from './util';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-istio.js');

/** Phase b result. */
export interface CliColdResult {
  readonly services: number;
  readonly documents: number;
  readonly files: number;
  readonly megabytes: number;
  readonly cliMs: number;
  readonly floorMs: number;
  readonly ratioToFloor: number;
  readonly cliDocsPerSecond: number;
  readonly cliPeakRssMb: number;
  readonly cliExitCode: number | null;
  readonly runs: number;
}

/** Phase c result. */
export interface CliSmallResult {
  readonly cliMs: number;
  readonly nodeMs: number;
  readonly overheadMs: number;
  readonly cliPeakRssMb: number;
  readonly cliExitCode: number | null;
  /** Whether the CLI's modules load cdk8s or constructs (they should not). */
  readonly loadsCdk8s: boolean;
  readonly runs: number;
}

/** The parse floor: js-yaml `loadAll` over every file of the folder, in a fresh process. */
const FLOOR_SCRIPT = `
const fs = require('fs'); const path = require('path'); const yaml = require('js-yaml');
const dir = process.argv[1]; let n = 0;
for (const f of fs.readdirSync(dir).sort()) n += yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')).length;
if (n === 0) process.exit(3);`;

function check(run: ProcessRun, what: string, allowed: readonly number[]): void {
  if (!allowed.includes(run.status ?? -1)) throw new Error(`bench: ${what} exited with ${run.status}`);
}

/** Phase b over the YAML folder `dir` holding `documents` documents of a mesh of `services`. */
export function measureCliCold(dir: string, services: number, documents: number, repeat: number): CliColdResult {
  const files = fs.readdirSync(dir);
  const bytes = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  const cli: ProcessRun[] = [];
  const floor: ProcessRun[] = [];
  for (let r = 0; r < repeat; r++) {
    const c = runNode([BIN, 'validate', '--format', 'json', dir], ROOT);
    check(c, 'the CLI', [0, 1]);
    cli.push(c);
    const f = runNode(['-e', FLOOR_SCRIPT, dir], ROOT);
    check(f, 'the js-yaml floor', [0]);
    floor.push(f);
  }
  const cliMs = median(cli.map(c => c.wallMs));
  const floorMs = median(floor.map(f => f.wallMs));
  return {
    services, documents, files: files.length, megabytes: round(bytes / 2 ** 20),
    cliMs: round(cliMs), floorMs: round(floorMs), ratioToFloor: round(cliMs / floorMs, 2),
    cliDocsPerSecond: Math.round(documents / (cliMs / 1000)),
    cliPeakRssMb: Math.max(...cli.map(c => c.peakRssMb)), cliExitCode: cli[0].status, runs: repeat,
  };
}

const SMALL_FILE = `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector: {app: reviews}
  ports:
  - {name: http, port: 9080}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1, port: {number: 9080}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
`;

/** Phase c: the CLI on one small clean file (a Service, its VirtualService and DestinationRule) against `node -e 0`. */
export function measureCliSmall(repeat: number): CliSmallResult {
  const dir = tmpdir();
  try {
    const file = path.join(dir, 'reviews.yaml');
    fs.writeFileSync(file, SMALL_FILE);
    const cli: ProcessRun[] = [];
    const bare: ProcessRun[] = [];
    for (let r = 0; r < repeat; r++) {
      const c = runNode([BIN, 'validate', file], ROOT);
      check(c, 'the CLI on a small file', [0]);
      cli.push(c);
      bare.push(runNode(['-e', '0'], ROOT));
    }
    const modules = runNode(['-e', `require(${JSON.stringify(path.join(ROOT, 'build', 'lib', 'cli', 'index.js'))});
      process.exit(Object.keys(require.cache).some(k => /[\\\\/]node_modules[\\\\/](cdk8s|constructs)[\\\\/]/.test(k)) ? 1 : 0)`], ROOT);
    const cliMs = median(cli.map(c => c.wallMs));
    const nodeMs = median(bare.map(b => b.wallMs));
    return {
      cliMs: round(cliMs), nodeMs: round(nodeMs), overheadMs: round(cliMs - nodeMs),
      cliPeakRssMb: Math.max(...cli.map(c => c.peakRssMb)), cliExitCode: cli[0].status,
      loadsCdk8s: modules.status !== 0, runs: repeat,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
