import { GraphContext } from './support/context';
import { arr, GK, listHead, Obj, ref } from './support/model';
import { VisibilityGroups } from './support/visibility-groups';
import { Code } from '../codes';

interface Entry {
  readonly se: Obj;
  readonly path: string;
  readonly protocol: string;
}

/** The entries that clash with entries of one visibility and protocol, by name, sorted. */
interface Clashes {
  readonly named: readonly { readonly name: string; readonly se: Obj }[];
  /** How many of `named` each ServiceEntry contributes (its own entries never clash with it). */
  readonly perEntry: ReadonlyMap<Obj, number>;
}

/**
 * IST0177: ServiceEntries visible in a common namespace that define the same host and port
 * number with different protocols.
 *
 * Entries are grouped by host and port, then by visibility: the clashes of every entry with the
 * same visibility and protocol are found (and sorted for the message) once.
 */
export function analyzeServiceEntryProtocols(ctx: GraphContext): void {
  const byHostPort = new Map<string, Entry[]>();
  for (const se of ctx.index.all(GK.serviceEntry)) {
    const ports = arr(se.spec.ports);
    for (const h of arr(se.spec.hosts)) {
      if (typeof h !== 'string') continue;
      ports.forEach((p, i) => {
        if (typeof p?.number !== 'number') return;
        const key = `${h}:${p.number}`;
        const entries = byHostPort.get(key) ?? [];
        entries.push({ se, path: `spec.ports[${i}]`, protocol: typeof p.protocol === 'string' ? p.protocol.toUpperCase() : '' });
        byHostPort.set(key, entries);
      });
    }
  }
  const reported = new Set<string>();
  for (const [hostPort, entries] of byHostPort) {
    if (new Set(entries.map(e => e.protocol)).size < 2) continue;
    const groups = new VisibilityGroups(entries, e => ctx.index.visibilityOf(e.se));
    const clashes = new Map<string, Clashes>();
    for (const e of entries) {
      const v = ctx.index.visibilityOf(e.se);
      const cacheKey = `${v.key}\n${e.protocol}`;
      let c = clashes.get(cacheKey);
      if (!c) {
        const named = groups.overlapping(v).filter(o => o.protocol !== e.protocol)
          .map(o => ({ name: `${ref(o.se)} (${o.protocol || 'no protocol'})`, se: o.se }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const perEntry = new Map<Obj, number>();
        for (const o of named) perEntry.set(o.se, (perEntry.get(o.se) ?? 0) + 1);
        c = { named, perEntry };
        clashes.set(cacheKey, c);
      }
      const total = c.named.length - (c.perEntry.get(e.se) ?? 0);
      if (total === 0) continue;
      const key = `${e.se.index}|${hostPort}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const head: string[] = [];
      for (const o of c.named) {
        if (head.length === 10) break;
        if (o.se !== e.se) head.push(o.name);
      }
      ctx.report(e.se, Code.IST0177, 'warning', e.path,
        `${hostPort} is declared with protocol ${e.protocol || '<none>'} here and differently by ServiceEntry ${listHead(head, total)}: traffic to it is unpredictable`);
    }
  }
}
