import { runCli } from '../../lib/cli';

/** Runs the CLI in-process with `args` (and `stdin` for `-`), capturing its lines and exit code. */
export function runCaptured(args: string[], stdin?: string): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(args, { out: l => out.push(l), err: l => err.push(l) }, stdin !== undefined ? { readStdin: () => stdin } : {});
  return { code, out, err };
}
