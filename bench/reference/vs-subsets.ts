import { GraphContext } from '../../lib/validation/graph/support/context';
import { arr, GK, list, serviceOfHost, visibility, visibleTo } from '../../lib/validation/graph/support/model';
import { vsDestinations } from '../../lib/validation/graph/support/virtual-service';
import { Code } from '../../lib/validation/codes';

/**
 * IST0101: a VirtualService route or mirror names a subset that no DestinationRule for that host
 * (exact or wildcard, exported to the VirtualService's namespace) defines. Checked when the set
 * holds DestinationRules of the VirtualService's or the host's namespace.
 */
export function analyzeVsSubsets(ctx: GraphContext): void {
  for (const vs of ctx.index.all(GK.virtualService)) {
    for (const d of vsDestinations(vs)) {
      if (!d.subset) continue;
      const rules = ctx.index.destinationRuleHosts.lookup(d.fqdn).filter(dr => visibleTo(visibility(dr), vs.ns));
      if (rules.some(dr => arr(dr.spec.subsets).some(s => s?.name === d.subset))) continue;
      const what = d.mirror ? 'mirror subset' : 'subset';
      const where = rules.length > 0
        ? `not defined by DestinationRule ${list(rules.map(r => `${r.ns}/${r.name}`))}`
        : 'no DestinationRule for that host';
      const svcRef = serviceOfHost(d.fqdn);
      const present = ctx.index.hasIn(GK.destinationRule, vs.ns) || (svcRef !== undefined && ctx.index.hasIn(GK.destinationRule, svcRef.namespace));
      ctx.missing(vs, Code.IST0101, present, `${d.path}.subset`,
        `Referenced ${what} not found: "${d.host}+${d.subset}" (${where})`);
    }
  }
}
