import { GraphContext } from '../../lib/validation/graph/support/context';
import { arr, GK, list, Obj, ref, visibilitiesOverlap, visibility } from '../../lib/validation/graph/support/model';
import { Code } from '../../lib/validation/codes';

interface Entry {
  readonly se: Obj;
  readonly path: string;
  readonly protocol: string;
}

/**
 * IST0177: ServiceEntries visible in a common namespace that define the same host and port
 * number with different protocols.
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
    for (const e of entries) {
      const v = visibility(e.se);
      const clash = entries.filter(o => o.se !== e.se && o.protocol !== e.protocol && visibilitiesOverlap(v, visibility(o.se)));
      if (clash.length === 0) continue;
      const key = `${e.se.index}|${hostPort}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const others = clash.map(o => `${ref(o.se)} (${o.protocol || 'no protocol'})`).sort();
      ctx.report(e.se, Code.IST0177, 'warning', e.path,
        `${hostPort} is declared with protocol ${e.protocol || '<none>'} here and differently by ServiceEntry ${list(others)}: traffic to it is unpredictable`);
    }
  }
}
