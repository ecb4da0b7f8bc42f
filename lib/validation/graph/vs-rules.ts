import { GraphContext } from './context';
import { arr, GK } from './model';

/** JSON with sorted keys, so that equal matches compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map(k => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function ruleName(rule: any, i: number): string {
  return typeof rule?.name === 'string' && rule.name ? `${i} (${JSON.stringify(rule.name)})` : String(i);
}

/**
 * IST0130: a VirtualService rule that can never be used: it follows a rule without matches
 * (a catch-all), or every one of its matches repeats a match of an earlier rule.
 * IST0131: one match of a rule repeats a match of an earlier rule.
 */
export function analyzeVsRules(ctx: GraphContext): void {
  for (const vs of ctx.index.all(GK.virtualService)) {
    for (const proto of ['http', 'tls', 'tcp']) {
      const rules = arr(vs.spec[proto]);
      const seen = new Map<string, number>();
      let catchAll = -1;
      rules.forEach((rule, i) => {
        const path = `spec.${proto}[${i}]`;
        const matches = arr(rule?.match);
        if (catchAll >= 0) {
          ctx.report(vs, 'IST0130', 'warning', path,
            `VirtualService rule ${ruleName(rule, i)} is never used: rule ${catchAll} before it has no match and takes all traffic`);
          return;
        }
        if (matches.length === 0) {
          catchAll = i;
          return;
        }
        let duplicates = 0;
        matches.forEach((m, j) => {
          const key = canonical(m);
          const first = seen.get(key);
          if (first !== undefined) {
            duplicates++;
            ctx.report(vs, 'IST0131', 'info', `${path}.match[${j}]`,
              `VirtualService rule ${ruleName(rule, i)} match ${j} is never used: rule ${ruleName(rules[first], first)} has the same match`);
          } else {
            seen.set(key, i);
          }
        });
        if (duplicates === matches.length) {
          ctx.report(vs, 'IST0130', 'warning', path,
            `VirtualService rule ${ruleName(rule, i)} is never used: all its matches are used by earlier rules`);
        }
      });
    }
  }
}
