import { Diagnostic, formatDiagnostic, validateManifests, ValidateOptions } from '../validation';
import { parseArgs, USAGE, ValidateArgs } from './args';
import { collectFiles } from './files';
import { githubAnnotation } from './github';
import { runGraph } from './graph-command';
import { loadFile, LoadedDocument, STDIN_NAME } from './load';
import { packageInfo } from './package-info';
import { toSarif } from './sarif';
import { runSimulate } from './simulate-command';

/** Where the CLI writes; one call per line (without the trailing newline). */
export interface CliIo {
  /** Writes one line to standard output. */
  readonly out: (line: string) => void;
  /** Writes one line to standard error. */
  readonly err: (line: string) => void;
}

/** Replaceable collaborators (tests pass their own). */
export interface CliDeps {
  /** The validator. @default validateManifests */
  readonly validate?: (docs: readonly unknown[], options: ValidateOptions) => Diagnostic[];
  /** Reads standard input (the path `-`). @default reads file descriptor 0 */
  readonly readStdin?: () => string;
}

/** Exit status of the CLI: no errors (and no more warnings than `--max-warnings`). */
export const EXIT_OK = 0;
/** Exit status of the CLI: at least one error, or more warnings than `--max-warnings`. */
export const EXIT_ERRORS = 1;
/** Exit status of the CLI: usage error. */
export const EXIT_USAGE = 2;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The last line of the text output: `1 error, 0 warnings, 2 infos in 5 documents from 2 files`. */
export function summaryLine(diagnostics: readonly Diagnostic[], documents: number, files: number): string {
  const n = (s: Diagnostic['severity']) => diagnostics.filter(d => d.severity === s).length;
  return `${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}, ${plural(n('info'), 'info')} in ${plural(documents, 'document')} from ${plural(files, 'file')}`;
}

/** Validates the files under `args.paths` as one manifest set and returns the diagnostics, each with `file` and `index`. */
export function validatePaths(args: Pick<ValidateArgs, 'paths' | 'strict'> & Partial<Pick<ValidateArgs, 'gatewayApiChannel'>>, deps: CliDeps = {}): { diagnostics: Diagnostic[]; files: number; documents: number } {
  const validate = deps.validate ?? validateManifests;
  // Rank of every path in the order it was met (arguments in turn, directories sorted), so that
  // output follows the input whatever the tier that found a problem.
  const order = new Map<string, number>();
  const note = (f: string) => { if (!order.has(f)) order.set(f, order.size); };
  const files: string[] = [];
  const problems: Diagnostic[] = [];
  for (const p of args.paths) {
    if (p === '-') {
      if (!order.has(p)) { note(STDIN_NAME); order.set(p, order.get(STDIN_NAME)!); files.push(p); }
      continue;
    }
    const c = collectFiles([p]);
    for (const d of c.problems) note(d.file ?? p);
    for (const f of c.files) {
      if (order.has(f)) continue;
      note(f);
      files.push(f);
    }
    problems.push(...c.problems);
  }
  const loaded: LoadedDocument[] = [];
  for (const file of files) {
    const r = loadFile(file, deps.readStdin);
    loaded.push(...r.docs);
    problems.push(...r.problems);
  }
  const found = validate(loaded.map(l => l.doc), { strict: args.strict, gatewayApiChannel: args.gatewayApiChannel ?? 'standard' }).map(d => {
    const src = d.index !== undefined ? loaded[d.index] : undefined;
    if (!src) return d;
    // positions are computed only for documents that have diagnostics
    const path = src.item === undefined ? d.path : d.path === '' ? src.item : `${src.item}.${d.path}`;
    return { ...d, file: src.file, index: src.index, path, ...src.locate(d.path) };
  });
  const rank = (d: Diagnostic) => (d.file !== undefined ? order.get(d.file) ?? -1 : -1);
  const diagnostics = [...problems, ...found]
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || (a.d.index ?? -1) - (b.d.index ?? -1) || a.i - b.i)
    .map(x => x.d);
  return { diagnostics, files: files.length, documents: loaded.length };
}

/**
 * `cdk8s-istio <args>`: runs the CLI and returns its exit status (validate: 0 no errors, 1 errors or
 * more warnings than `--max-warnings`, 2 usage error; simulate: 0 allowed, 1 denied, 2 usage or input
 * error, 3 unknown; graph: 0 drawn, 2 usage or input error). The `bin` is a thin wrapper around this function.
 */
export function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = {}): number {
  const args = parseArgs(argv);
  if (args.command === 'help') {
    io.out(USAGE);
    return EXIT_OK;
  }
  if (args.command === 'version') {
    io.out(packageInfo().version);
    return EXIT_OK;
  }
  if (args.command === 'usage-error') {
    io.err(`cdk8s-istio: ${args.message}`);
    io.err(USAGE);
    return EXIT_USAGE;
  }
  if (args.command === 'simulate') return runSimulate(args, { out: io.out, err: io.err, readStdin: deps.readStdin });
  if (args.command === 'graph') return runGraph(args, { out: io.out, err: io.err, readStdin: deps.readStdin });
  const { diagnostics, files, documents } = validatePaths(args, deps);
  const errors = diagnostics.filter(d => d.severity === 'error').length;
  const warnings = diagnostics.filter(d => d.severity === 'warning').length;
  const summary = summaryLine(diagnostics, documents, files);
  const tooManyWarnings = args.maxWarnings !== undefined && warnings > args.maxWarnings;
  if (args.format === 'json') {
    io.out(JSON.stringify(diagnostics, null, 2));
  } else if (args.format === 'sarif') {
    io.out(JSON.stringify(toSarif(diagnostics), null, 2));
  } else {
    for (const d of diagnostics) io.out(args.format === 'github' ? githubAnnotation(d) : formatDiagnostic(d));
    io.out(summary);
    if (tooManyWarnings) io.out(`more than --max-warnings ${args.maxWarnings}: ${plural(warnings, 'warning')}`);
  }
  // Machine formats keep standard output parseable: the verdict on warnings goes to standard error.
  if (tooManyWarnings && (args.format === 'json' || args.format === 'sarif')) io.err(`cdk8s-istio: ${plural(warnings, 'warning')}, more than --max-warnings ${args.maxWarnings}`);
  return errors > 0 || tooManyWarnings ? EXIT_ERRORS : EXIT_OK;
}
