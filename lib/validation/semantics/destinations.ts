import { arr, Findings, num, obj, q, str } from './context';
import { isDnsLabel, wildcardDomainProblem } from './names';
import { Code } from '../codes';

/** CI2020: a destination host must be a valid host other than `*`; a subset name a DNS label. */
export function checkDestination(f: Findings, path: string, value: unknown): void {
  const dest = obj(value);
  if (!dest) return;
  const host = str(dest.host);
  if (host !== undefined) {
    if (host === '*') {
      f.error(Code.CI2020, `${path}.host`, 'destination host "*" is not allowed; name a service host');
    } else {
      const problem = wildcardDomainProblem(host);
      if (problem) f.error(Code.CI2020, `${path}.host`, `invalid destination host: ${problem}`);
    }
  }
  const subset = str(dest.subset);
  if (subset !== undefined && subset !== '' && !isDnsLabel(subset)) {
    f.error(Code.CI2020, `${path}.subset`, `invalid subset name ${q(subset)}; a subset name must be a DNS label`);
  }
}

/**
 * Weighted destinations of an HTTP, TCP or TLS route: CI2019 negative weight, CI2018 several
 * destinations that all have weight 0. Weights are relative and need NOT sum to 100 (istiod
 * dropped that rule in 2022); a single destination may omit its weight.
 */
export function checkWeightedDestinations(f: Findings, path: string, routes: unknown): void {
  const list = arr(routes);
  let total = 0;
  list.forEach((r, i) => {
    const rd = obj(r);
    if (!rd) return;
    checkDestination(f, `${path}[${i}].destination`, rd.destination);
    const w = num(rd.weight) ?? 0;
    if (w < 0) f.error(Code.CI2019, `${path}[${i}].weight`, `weight ${w} is negative; weights are relative and must be >= 0`);
    total += w;
  });
  if (list.length > 1 && total === 0) {
    f.error(Code.CI2018, path, `all ${list.length} destinations have weight 0 (total destination weight = 0); give at least one destination a positive weight`);
  }
}
