import { GraphContext } from './support/context';
import { arr, GK, listHead, Obj, serviceOfHost } from './support/model';
import { VisibleHostIndex } from './support/visible-hosts';
import { vsDestinations } from './support/virtual-service';
import { Code } from '../codes';

/**
 * IST0101: a VirtualService route or mirror names a subset that no DestinationRule for that host
 * (exact or wildcard, exported to the VirtualService's namespace) defines. Checked when the set
 * holds DestinationRules of the VirtualService's or the host's namespace.
 */
export function analyzeVsSubsets(ctx: GraphContext): void {
  const subsetNames = (dr: Obj): string[] => arr(dr.spec.subsets).map(s => s?.name).filter((n): n is string => typeof n === 'string');
  const rules = new VisibleHostIndex(ctx.index.destinationRuleHosts, o => ctx.index.visibilityOf(o), subsetNames);
  for (const vs of ctx.index.all(GK.virtualService)) {
    for (const d of vsDestinations(vs)) {
      if (!d.subset) continue;
      if (rules.hasKey(d.fqdn, vs.ns, d.subset)) continue;
      const what = d.mirror ? 'mirror subset' : 'subset';
      const visible = rules.head(d.fqdn, vs.ns, 10);
      const where = visible.total > 0
        ? `not defined by DestinationRule ${listHead(visible.objects.map(r => `${r.ns}/${r.name}`), visible.total)}`
        : 'no DestinationRule for that host';
      const svcRef = serviceOfHost(d.fqdn);
      const present = ctx.index.hasIn(GK.destinationRule, vs.ns) || (svcRef !== undefined && ctx.index.hasIn(GK.destinationRule, svcRef.namespace));
      ctx.missing(vs, Code.IST0101, present, `${d.path}.subset`,
        `Referenced ${what} not found: "${d.host}+${d.subset}" (${where})`);
    }
  }
}
