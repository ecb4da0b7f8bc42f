import { Chart } from 'cdk8s';

/** External APIs called from `shop`. */
export function addShopExternal(_shop: Chart): void {
  // ExternalApi lands with its issue.
}

/** External APIs called from `payments`. */
export function addPaymentsExternal(_payments: Chart): void {
  // ExternalApi (payment provider through an egress waypoint) lands with its issue.
}
