/** Output formats of `cdk8s-istio validate`. */
export type OutputFormat = 'text' | 'json';

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
}

/** `--help`: print the usage and exit 0. */
export interface HelpArgs {
  readonly command: 'help';
}

/** A usage error: print the message and the usage, exit 2. */
export interface UsageError {
  readonly command: 'usage-error';
  readonly message: string;
}

export const USAGE = `Usage: cdk8s-istio validate <file|dir|->... [--format text|json] [--strict]
                                          [--gateway-api-channel standard|experimental]

Validates Kubernetes, Istio and Gateway API manifests offline: CRD schema and CEL rules,
istiod's admission rules and cross-resource analysis. Reads every .yaml/.yml file (multi-document)
under the given paths, directories recursively (except node_modules and hidden directories),
"-" reads standard input, and validates all documents as one set. YAML is read as kubectl reads
it (YAML 1.1 scalars such as yes/on, << merge keys, List kinds unpacked).

Options:
  --format text|json  output format (default: text)
  --strict            references to objects outside the given manifests are errors, not infos
  --gateway-api-channel standard|experimental
                      the Gateway API CRD channel of the cluster (default: standard); experimental
                      accepts and checks experimental-only fields such as HTTPRoute rules[].retry
  -h, --help          show this help

Exit status: 0 no errors, 1 at least one error, 2 usage error.`;

/** Parses the command line (without `node` and the script). */
export function parseArgs(argv: readonly string[]): ValidateArgs | HelpArgs | UsageError {
  if (argv.length === 0) return { command: 'usage-error', message: 'missing command' };
  if (argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') return { command: 'help' };
  const [command, ...rest] = argv;
  if (command !== 'validate') return { command: 'usage-error', message: `unknown command ${JSON.stringify(command)}` };
  const paths: string[] = [];
  let format: OutputFormat = 'text';
  let strict = false;
  let gatewayApiChannel: 'standard' | 'experimental' = 'standard';
  let onlyPaths = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      paths.push(arg);
    } else if (arg === '--') {
      onlyPaths = true;
    } else if (arg === '--strict') {
      strict = true;
    } else if (arg === '--gateway-api-channel' || arg.startsWith('--gateway-api-channel=')) {
      const value = arg === '--gateway-api-channel' ? rest[++i] : arg.slice('--gateway-api-channel='.length);
      if (value !== 'standard' && value !== 'experimental') {
        return { command: 'usage-error', message: `--gateway-api-channel must be "standard" or "experimental", got ${value === undefined ? 'nothing' : JSON.stringify(value)}` };
      }
      gatewayApiChannel = value;
    } else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? rest[++i] : arg.slice('--format='.length);
      if (value !== 'text' && value !== 'json') {
        return { command: 'usage-error', message: `--format must be "text" or "json", got ${value === undefined ? 'nothing' : JSON.stringify(value)}` };
      }
      format = value;
    } else {
      return { command: 'usage-error', message: `unknown option ${JSON.stringify(arg)}` };
    }
  }
  if (paths.length === 0) return { command: 'usage-error', message: 'no file or directory given' };
  return { command: 'validate', paths, format, strict, gatewayApiChannel };
}
