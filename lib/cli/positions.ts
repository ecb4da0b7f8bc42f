import type { Node, Pair } from 'yaml';
import type * as YamlModule from 'yaml';

let yamlModule: typeof YamlModule | undefined;

/**
 * The `yaml` package, loaded on first use: only documents with diagnostics are parsed again for
 * positions, so a clean run (a pre-commit hook) never pays for loading it.
 */
function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof YamlModule);
}
import { YamlChunk } from './kube-yaml';

/** A 1-based line and column in a file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Splits a diagnostic path (`spec.http[0].route["a.b"].weight`) into keys and indexes. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['([^']*)'\]|\.?([^.[\]]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(`"${m[2]}"`) as string);
    else if (m[3] !== undefined) out.push(m[3]);
    else out.push(m[4]);
  }
  return out;
}

function keyText(key: unknown): string | undefined {
  if (yaml().isScalar(key)) return String(key.value);
  return undefined;
}

/**
 * Finds where `path` is in a document: the key of the last segment found (or the value for an
 * item of a list), going as deep as the document allows (a path into a merged or missing part
 * points at the deepest ancestor written in the file). Paths whose segments are not literal keys
 * (labels paths such as `metadata.labels.app.kubernetes.io/name`) match the longest key first.
 * Parsed again with positions only for documents that have diagnostics.
 */
export class ChunkPositions {
  private readonly doc;
  private readonly lines = new (yaml().LineCounter)();

  public constructor(private readonly chunk: YamlChunk) {
    this.doc = yaml().parseDocument(chunk.text, { version: '1.1', uniqueKeys: false, lineCounter: this.lines, keepSourceTokens: false });
  }

  /** Position of the start of the document's content. */
  public start(): Position {
    const root = this.doc.contents as Node | null;
    return this.at(root?.range?.[0] ?? 0);
  }

  /** Position of `path` (or of its deepest ancestor present in the text). */
  public locate(path: string): Position {
    let node = this.doc.contents as unknown;
    let offset = (node as Node | null)?.range?.[0] ?? 0;
    const segs = pathSegments(path);
    for (let i = 0; i < segs.length; i++) {
      if (yaml().isAlias(node)) node = node.resolve(this.doc);
      const seg = segs[i];
      if (yaml().isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) break;
        node = item;
        offset = item.range?.[0] ?? offset;
      } else if (yaml().isMap(node)) {
        const items = node.items as Pair[];
        // the key may itself contain dots (label keys): try the longest run of segments first
        let found = false;
        for (let j = segs.length; j > i && !found; j--) {
          const key = segs.slice(i, j).join('.');
          const pair = items.find((p: unknown) => yaml().isPair(p) && keyText(p.key) === key);
          if (pair) {
            offset = (pair.key as Node | null)?.range?.[0] ?? offset;
            node = pair.value;
            i = j - 1;
            found = true;
          }
        }
        if (!found) break;
      } else {
        break;
      }
    }
    return this.at(offset);
  }

  private at(offset: number): Position {
    const p = this.lines.linePos(offset);
    return { line: this.chunk.line + p.line, column: p.col };
  }
}
