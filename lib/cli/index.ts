export { runCli, validatePaths, CliIo, CliDeps, EXIT_OK, EXIT_ERRORS, EXIT_USAGE } from './validate-command';
export { parseArgs, USAGE, OutputFormat, ValidateArgs } from './args';
export { SimulateArgs, SIMULATE_USAGE, parseSimulateArgs } from './simulate-args';
export { runSimulate, SIMULATE_EXIT_ALLOWED, SIMULATE_EXIT_DENIED, SIMULATE_EXIT_INPUT, SIMULATE_EXIT_UNKNOWN } from './simulate-command';
export { GraphArgs, GRAPH_USAGE, parseGraphArgs, runGraph, GRAPH_EXIT_OK, GRAPH_EXIT_INPUT } from './graph-command';
