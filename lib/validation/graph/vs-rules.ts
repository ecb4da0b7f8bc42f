import { GraphContext } from './support/context';
import { matchCovers, matchKey } from './support/match-cover';
import { arr, GK } from './support/model';
import { Code } from '../codes';

function ruleName(rule: any, i: number): string {
  return typeof rule?.name === 'string' && rule.name ? `${i} (${JSON.stringify(rule.name)})` : String(i);
}

/**
 * IST0130: a VirtualService rule that can never be used: it follows a rule without matches
 * (a catch-all), or every one of its matches is already taken by earlier rules.
 * IST0131: one match of a rule repeats, or is covered by, a match of an earlier rule
 * (`prefix: /api` before `prefix: /api/v1`, a header match before the same header match plus
 * a path); only HTTP matches are compared for coverage, TLS/TCP matches for equality.
 */
export function analyzeVsRules(ctx: GraphContext): void {
  for (const vs of ctx.index.all(GK.virtualService)) {
    for (const proto of ['http', 'tls', 'tcp']) {
      const rules = arr(vs.spec[proto]);
      const seen = new Map<string, number>();
      const earlier: { match: any; rule: number; index: number }[] = [];
      let catchAll = -1;
      rules.forEach((rule, i) => {
        const path = `spec.${proto}[${i}]`;
        const matches = arr(rule?.match);
        if (catchAll >= 0) {
          ctx.report(vs, Code.IST0130, 'warning', path,
            `VirtualService rule ${ruleName(rule, i)} is never used: rule ${catchAll} before it has no match and takes all traffic`);
          return;
        }
        if (matches.length === 0) {
          catchAll = i;
          return;
        }
        let shadowed = 0;
        matches.forEach((m, j) => {
          const key = matchKey(m);
          const first = seen.get(key);
          if (first !== undefined) {
            shadowed++;
            ctx.report(vs, Code.IST0131, 'info', `${path}.match[${j}]`,
              `VirtualService rule ${ruleName(rule, i)} match ${j} is never used: rule ${ruleName(rules[first], first)} has the same match`);
            return;
          }
          const cover = proto === 'http' ? earlier.find(e => matchCovers(e.match, m)) : undefined;
          if (cover) {
            shadowed++;
            ctx.report(vs, Code.IST0131, 'info', `${path}.match[${j}]`,
              `VirtualService rule ${ruleName(rule, i)} match ${j} is never used: rule ${ruleName(rules[cover.rule], cover.rule)} match ${cover.index} already matches every request it matches`);
          }
          seen.set(key, i);
          earlier.push({ match: m, rule: i, index: j });
        });
        if (shadowed === matches.length) {
          ctx.report(vs, Code.IST0130, 'warning', path,
            `VirtualService rule ${ruleName(rule, i)} is never used: all its matches are taken by earlier rules`);
        }
      });
    }
  }
}
