import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostic } from '../validation';
import { Code } from '../validation/codes';

/** A diagnostic about an input path itself (no document). */
export function inputDiagnostic(file: string, code: string, severity: Diagnostic['severity'], message: string, index?: number): Diagnostic {
  return { code, severity, file, ...(index !== undefined ? { index } : {}), apiVersion: '', kind: '', namespace: '', name: '', path: '', message };
}

function isYamlName(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  return e?.message ?? String(err);
}

function walk(dir: string, out: string[], problems: Diagnostic[], seen: Set<string> = new Set()): void {
  // Directory links may form cycles: read each real directory once.
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    // reported by readdirSync below
  }
  if (seen.has(real)) return;
  seen.add(real);
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    problems.push(inputDiagnostic(dir, Code.CI9001, 'error', `cannot read directory: ${errorText(err)}`));
    return;
  }
  for (const name of entries) {
    const full = join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch (err) {
      if (isYamlName(name)) problems.push(inputDiagnostic(full, Code.CI9001, 'error', `cannot read file: ${errorText(err)}`));
      continue;
    }
    if (isDir) {
      // Dependencies and hidden directories (.git, .cache) are not manifests; name them explicitly to read them.
      if (name !== 'node_modules' && !name.startsWith('.')) walk(full, out, problems, seen);
    } else if (isYamlName(name)) out.push(full);
  }
}

/**
 * The files to read for the given paths, in a deterministic order: each argument in turn; a
 * directory contributes its `.yaml`/`.yml` files recursively (skipping `node_modules` and hidden
 * directories), sorted by name at every level; a file
 * argument is read whatever its extension. Duplicates are dropped. Unreadable paths become CI9001
 * diagnostics, a directory without YAML files a CI9004 warning.
 */
export function collectFiles(paths: readonly string[]): { files: string[]; problems: Diagnostic[] } {
  const files: string[] = [];
  const problems: Diagnostic[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      const st = statSync(p);
      isDir = st.isDirectory();
      if (!isDir && !st.isFile()) {
        problems.push(inputDiagnostic(p, Code.CI9001, 'error', 'cannot read: not a regular file or directory'));
        continue;
      }
    } catch (err) {
      problems.push(inputDiagnostic(p, Code.CI9001, 'error', `cannot read: ${errorText(err)}`));
      continue;
    }
    if (isDir) {
      const found: string[] = [];
      const before = problems.length;
      walk(p, found, problems);
      if (found.length === 0 && problems.length === before) problems.push(inputDiagnostic(p, Code.CI9004, 'warning', 'directory holds no .yaml or .yml files'));
      files.push(...found);
    } else {
      files.push(p);
    }
  }
  return { files: [...new Set(files)], problems };
}
