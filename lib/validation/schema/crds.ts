import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';

// js-yaml parses the large CRD schemas several times faster than the `yaml` package (which the
// CLI keeps for user manifests, for its error positions); the schemas are plain YAML 1.2.
const parse = (text: string): any => load(text);

/** The file whose presence marks the project's `crds/` folder. */
export const CRDS_MARKER = 'istio-1.30.3-crds.yaml';

/** One version of a CustomResourceDefinition. */
export interface CrdVersion {
  /** Version name, e.g. `v1`. */
  readonly name: string;
  /** Whether the API server serves this version. */
  readonly served: boolean;
  /** Whether the version has the status subresource (status is then reset on create). */
  readonly statusSubresource: boolean;
  /** `schema.openAPIV3Schema`. */
  readonly schema: any;
}

/** A CustomResourceDefinition from `crds/`, reduced to what validation needs. */
export interface Crd {
  readonly group: string;
  readonly kind: string;
  readonly scope: string;
  readonly file: string;
  readonly versions: ReadonlyMap<string, CrdVersion>;
}

interface Chunk {
  readonly file: string;
  readonly text: string;
  crd?: Crd;
}

/** A version whose schema is parsed from its own slice of the YAML on first use. */
class LazyVersion implements CrdVersion {
  private parsed: any;
  constructor(
    readonly name: string,
    readonly served: boolean,
    readonly statusSubresource: boolean,
    private readonly text: string,
  ) {}

  get schema(): any {
    if (this.parsed === undefined) {
      const item = parse(this.text)?.[0];
      this.parsed = item?.schema?.openAPIV3Schema ?? {};
    }
    return this.parsed;
  }
}

/**
 * Splits `spec.versions` of a CRD document (the layout of the vendored files: `  versions:` and
 * items at `  - `) into one lazily parsed version per item, so that validating a v1
 * VirtualService parses only that version's schema. Undefined when the layout is different.
 */
function splitVersions(text: string): Map<string, CrdVersion> | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex(l => /^ {2}versions:\s*$/.test(l));
  if (start < 0) return undefined;
  const items: string[][] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('  - ')) items.push([l]);
    else if (l.startsWith('    ') || l.trim() === '') items[items.length - 1]?.push(l);
    else break;
  }
  const out = new Map<string, CrdVersion>();
  for (const item of items) {
    const field = (name: string) => item.find(l => l.startsWith(`  - ${name}:`) || l.startsWith(`    ${name}:`))
      ?.replace(/^ {2}(- | {2})[^:]+:\s*/, '').replace(/^["']|["']$/g, '');
    const name = field('name');
    const served = field('served');
    if (name === undefined || served === undefined) return undefined;
    const sub = item.findIndex(l => /^( {2}- | {4})subresources:/.test(l));
    let status = false;
    for (let i = sub + 1; sub >= 0 && i < item.length && item[i].startsWith('      '); i++) {
      if (/^ {6}status:/.test(item[i])) status = true;
    }
    out.set(name, new LazyVersion(name, served === 'true', status, item.join('\n')));
  }
  return out;
}

let crdsDir: string | undefined;
let index: Map<string, Chunk> | undefined;

/**
 * The project's `crds/` folder: the first directory named `crds` holding the Istio CRD file,
 * walking up from this module (works from the source tree, from `build/` and from an installed
 * package that ships `crds/`).
 */
export function findCrdsDir(from: string = __dirname): string {
  if (from === __dirname && crdsDir !== undefined) return crdsDir;
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, 'crds');
    if (fs.existsSync(path.join(candidate, CRDS_MARKER))) {
      if (from === __dirname) crdsDir = candidate;
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cdk8s-istio: cannot find crds/${CRDS_MARKER} above ${from}`);
    dir = parent;
  }
}

/** `group/kind` key of the index. */
function key(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/**
 * Indexes every CRD in `crds/` by group and kind without parsing the YAML: each document is
 * parsed only when a manifest of its kind is first validated.
 */
function getIndex(): Map<string, Chunk> {
  if (index !== undefined) return index;
  const dir = findCrdsDir();
  const map = new Map<string, Chunk>();
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml') || f.endsWith('.yml')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const part of text.split(/^---[ \t]*$/m)) {
      if (!/^kind:\s*CustomResourceDefinition\s*$/m.test(part)) continue;
      const group = /^ {2}group:\s*(\S+)\s*$/m.exec(part)?.[1];
      const kind = /^ {4}kind:\s*(\S+)\s*$/m.exec(part)?.[1];
      if (group === undefined || kind === undefined) {
        // Unusual layout: parse now.
        const crd = toCrd(parse(part), file);
        if (crd) map.set(key(crd.group, crd.kind), { file, text: part, crd });
        continue;
      }
      map.set(key(group, kind), { file, text: part });
    }
  }
  index = map;
  return map;
}

function toCrd(obj: any, file: string): Crd | undefined {
  if (obj?.kind !== 'CustomResourceDefinition' || !obj.spec) return undefined;
  const versions = new Map<string, CrdVersion>();
  for (const v of obj.spec.versions ?? []) {
    versions.set(String(v.name), {
      name: String(v.name),
      served: v.served === true,
      statusSubresource: v.subresources?.status !== undefined,
      schema: v.schema?.openAPIV3Schema ?? {},
    });
  }
  return { group: obj.spec.group, kind: obj.spec.names.kind, scope: obj.spec.scope, file, versions };
}

/** The CRD for `group` and `kind`, or undefined when `crds/` has none. */
export function lookupCrd(group: string, kind: string): Crd | undefined {
  const chunk = getIndex().get(key(group, kind));
  if (chunk === undefined) return undefined;
  if (chunk.crd === undefined) {
    const versions = splitVersions(chunk.text);
    const scope = /^ {2}scope:\s*(\S+)\s*$/m.exec(chunk.text)?.[1];
    chunk.crd = versions !== undefined && scope !== undefined
      ? { group, kind, scope, file: chunk.file, versions }
      : toCrd(parse(chunk.text), chunk.file);
  }
  return chunk.crd;
}

/** The kinds that `crds/` defines in `group` (empty when the group is not in crds/). */
export function kindsOfGroup(group: string): string[] {
  const prefix = `${group}/`;
  return [...getIndex().keys()].filter(k => k.startsWith(prefix)).map(k => k.slice(prefix.length)).sort();
}

/** Every CRD in `crds/` (parses all of them). */
export function allCrds(): Crd[] {
  const out: Crd[] = [];
  for (const k of getIndex().keys()) {
    const [group, ...rest] = k.split('/');
    const crd = lookupCrd(group, rest.join('/'));
    if (crd) out.push(crd);
  }
  return out;
}
