import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What the CLI and the plugin tell about the installed package. */
export interface PackageInfo {
  /** `name` in package.json (`cdk8s-istio`). */
  readonly name: string;
  /** `version` in package.json. */
  readonly version: string;
  /** The GitHub web address of the repository, from package.json `repository` (undefined when it has none). */
  readonly repositoryUrl?: string;
}

let cached: PackageInfo | undefined;

/**
 * package.json of cdk8s-istio, found upwards from this file (`lib/cli/` in the sources,
 * `build/lib/cli/` in the package).
 */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (pkg.name === 'cdk8s-istio') {
        const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
        const m = typeof repo === 'string' ? /github\.com[/:]([^/]+\/[^/.]+)/.exec(repo) : null;
        cached = { name: pkg.name, version: pkg.version, ...(m ? { repositoryUrl: `https://github.com/${m[1]}` } : {}) };
        return cached;
      }
    }
    if (dirname(dir) === dir) throw new Error(`cdk8s-istio: package.json not found above ${__dirname}`);
  }
}

/**
 * Where a diagnostic code is documented: its anchor in docs/diagnostic-codes.md of the installed
 * version, on GitHub when package.json names the repository, otherwise the copy of the file that
 * the npm package ships (served by unpkg).
 */
export function diagnosticHelpUri(code: string, info: PackageInfo = packageInfo()): string {
  const base = info.repositoryUrl
    ? `${info.repositoryUrl}/blob/v${info.version}/docs/diagnostic-codes.md`
    : `https://unpkg.com/${info.name}@${info.version}/docs/diagnostic-codes.md`;
  return `${base}#${code.toLowerCase()}`;
}
