import { GraphContext } from './support/context';
import { arr, GK } from './support/model';
import { Code } from '../codes';

/**
 * CI3008 (warning): a VirtualService HTTP route with fault injection and retries or a timeout.
 * Istio disables retries and timeouts on a route that injects faults.
 */
export function analyzeFaultRetries(ctx: GraphContext): void {
  for (const vs of ctx.index.all(GK.virtualService)) {
    arr(vs.spec.http).forEach((rule, i) => {
      if (!rule?.fault || typeof rule.fault !== 'object') return;
      const retries = rule.retries && typeof rule.retries === 'object' && rule.retries.attempts !== 0;
      const timeout = typeof rule.timeout === 'string';
      if (!retries && !timeout) return;
      const what = [retries ? 'retries' : '', timeout ? 'timeout' : ''].filter(Boolean).join(' and ');
      ctx.report(vs, Code.CI3008, 'warning', `spec.http[${i}].fault`,
        `route ${i} injects faults and sets ${what}: Istio disables retries and timeouts on a route with fault injection; put the fault on a separate (e.g. header-matched) route`);
    });
  }
}
