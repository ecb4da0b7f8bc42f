import { IConstruct } from 'constructs';
import { checkInteger } from '../mesh/checks';
import { istioDuration } from '../mesh/duration';
import { MeshError } from '../mesh/errors';
import { OutlierDetection } from '../mesh/resilience';

// The one renderer of outlier detection (DestinationRule `trafficPolicy.outlierDetection`), used by
// every construct and both APIs.

/** Validates outlier detection and renders Istio's `outlierDetection`. */
export function outlierDetection(scope: IConstruct, prop: string, od: OutlierDetection): Record<string, unknown> {
  if (od === null || typeof od !== 'object') {
    throw MeshError.invalid(scope, prop, od, 'an OutlierDetection object');
  }
  const out: Record<string, unknown> = {};
  if (od.consecutive5xxErrors !== undefined) out.consecutive5xxErrors = checkInteger(scope, `${prop}.consecutive5xxErrors`, od.consecutive5xxErrors, 0, 4_294_967_295);
  if (od.consecutiveGatewayErrors !== undefined) out.consecutiveGatewayErrors = checkInteger(scope, `${prop}.consecutiveGatewayErrors`, od.consecutiveGatewayErrors, 0, 4_294_967_295);
  if (od.interval !== undefined) out.interval = istioDuration(scope, `${prop}.interval`, od.interval);
  if (od.baseEjectionTime !== undefined) out.baseEjectionTime = istioDuration(scope, `${prop}.baseEjectionTime`, od.baseEjectionTime);
  if (od.maxEjectionPercent !== undefined) out.maxEjectionPercent = checkInteger(scope, `${prop}.maxEjectionPercent`, od.maxEjectionPercent, 0, 100);
  if (od.minHealthPercent !== undefined) out.minHealthPercent = checkInteger(scope, `${prop}.minHealthPercent`, od.minHealthPercent, 0, 100);
  if (Object.keys(out).length === 0) {
    throw MeshError.invalid(scope, prop, od, 'an OutlierDetection with at least one field set');
  }
  return out;
}
