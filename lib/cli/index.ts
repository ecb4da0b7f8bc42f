export { runCli, validatePaths, CliIo, CliDeps, EXIT_OK, EXIT_ERRORS, EXIT_USAGE } from './validate-command';
export { parseArgs, USAGE, OutputFormat, ValidateArgs } from './args';
