#!/usr/bin/env node
// The `cdk8s-istio` executable: a thin wrapper around runCli (see validate-command.ts).
import { runCli } from './validate-command';

process.exitCode = runCli(process.argv.slice(2), {
  out: line => process.stdout.write(`${line}\n`),
  err: line => process.stderr.write(`${line}\n`),
});
