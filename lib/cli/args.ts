import { GRAPH_USAGE, GraphArgs, parseGraphArgs } from './graph-command';
import { parseSimulateArgs, SIMULATE_USAGE, SimulateArgs } from './simulate-args';

/** Output formats of `cdk8s-istio validate`. */
export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';

/** Parsed arguments of `cdk8s-istio validate`. */
export interface ValidateArgs {
  readonly command: 'validate';
  /** Files and directories to read, in the order given. */
  readonly paths: readonly string[];
  /** Output format. */
  readonly format: OutputFormat;
  /** References to objects outside the manifest set are errors. */
  readonly strict: boolean;
  /** Gateway API release channel of the cluster's CRDs. */
  readonly gatewayApiChannel: 'standard' | 'experimental';
  /** More warnings than this fail the run (exit 1); undefined: warnings never fail it. */
  readonly maxWarnings?: number;
}

/** `--help`: print the usage and exit 0. */
export interface HelpArgs {
  readonly command: 'help';
}

/** `--version`: print the package version and exit 0. */
export interface VersionArgs {
  readonly command: 'version';
}

/** A usage error: print the message and the usage, exit 2. */
export interface UsageError {
  readonly command: 'usage-error';
  readonly message: string;
}

export const USAGE = `Usage: cdk8s-istio validate <file|dir|->... [--format text|json|sarif|github] [--strict]
                                          [--gateway-api-channel standard|experimental] [--max-warnings N]
       cdk8s-istio simulate <file|dir|->... --to HOST:PORT (--from NS[/SA] | --via NS/GATEWAY) [options]
       cdk8s-istio graph <file|dir|->... [--format mermaid|dot]
       cdk8s-istio --version

validate: checks Kubernetes, Istio and Gateway API manifests offline: CRD schema and CEL rules,
istiod's admission rules and cross-resource analysis. Reads every .yaml/.yml file (multi-document)
under the given paths, directories recursively (except node_modules and hidden directories),
"-" reads standard input, and validates all documents as one set. YAML is read as kubectl reads
it (YAML 1.1 scalars such as yes/on, << merge keys, List kinds unpacked).

Options:
  --format text|json|sarif|github
                      validate output (default: text): text lines file:line:col, a JSON array,
                      SARIF 2.1.0 (code scanning), or GitHub Actions workflow annotations
  --strict            references to objects outside the given manifests are errors, not infos
  --gateway-api-channel standard|experimental
                      the Gateway API CRD channel of the cluster (default: standard); experimental
                      accepts and checks experimental-only fields such as HTTPRoute rules[].retry
  --max-warnings N    fail (exit 1) when there are more than N warnings (default: warnings never fail)
  -h, --help          show this help
  --version           print the version of cdk8s-istio

Exit status: 0 no errors (and no more warnings than --max-warnings), 1 at least one error or
more warnings than --max-warnings, 2 usage error.

${SIMULATE_USAGE}

${GRAPH_USAGE}`;

type Parsed = ValidateArgs | SimulateArgs | GraphArgs | HelpArgs | VersionArgs | UsageError;

function usage(message: string): UsageError {
  return { command: 'usage-error', message };
}

function shown(value: string | undefined): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** Parses the command line (without `node` and the script). */
export function parseArgs(argv: readonly string[]): Parsed {
  if (argv.length === 0) return usage('missing command');
  if (argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') return { command: 'help' };
  if (argv[0] === '--version' || argv[0] === 'version') return argv.length === 1 ? { command: 'version' } : usage('--version takes no arguments');
  const [command, ...rest] = argv;
  if (command === 'simulate') return parseSimulateArgs(rest);
  if (command === 'graph') return parseGraphArgs(rest);
  if (command !== 'validate') return usage(`unknown command ${JSON.stringify(command)}`);
  const formats: readonly string[] = ['text', 'json', 'sarif', 'github'];
  const paths: string[] = [];
  let format: string = formats[0];
  let strict = false;
  let gatewayApiChannel: 'standard' | 'experimental' = 'standard';
  let maxWarnings: number | undefined;
  let onlyPaths = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const option = (name: string) => arg === name || arg.startsWith(`${name}=`);
    const value = (name: string) => (arg === name ? rest[++i] : arg.slice(name.length + 1));
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      paths.push(arg);
    } else if (arg === '--') {
      onlyPaths = true;
    } else if (option('--format')) {
      const v = value('--format');
      if (v === undefined || !formats.includes(v)) return usage(`--format must be one of ${formats.map(f => `"${f}"`).join(', ')}, got ${shown(v)}`);
      format = v;
    } else if (command === 'validate' && arg === '--strict') {
      strict = true;
    } else if (command === 'validate' && option('--gateway-api-channel')) {
      const v = value('--gateway-api-channel');
      if (v !== 'standard' && v !== 'experimental') return usage(`--gateway-api-channel must be "standard" or "experimental", got ${shown(v)}`);
      gatewayApiChannel = v;
    } else if (command === 'validate' && option('--max-warnings')) {
      const v = value('--max-warnings');
      if (v === undefined || !/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) return usage(`--max-warnings must be a whole number ≥ 0, got ${shown(v)}`);
      maxWarnings = Number(v);
    } else {
      return usage(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  if (paths.length === 0) return usage('no file or directory given');
  return { command, paths, format: format as OutputFormat, strict, gatewayApiChannel, ...(maxWarnings !== undefined ? { maxWarnings } : {}) };
}
