import { ManifestIndex, Named } from './model';
import { simulationError } from './request';
import { SimulationVia } from './types';

// The gateway a request enters through.

/** A gateway a request enters through. */
export interface GatewayInfo {
  readonly namespace: string;
  readonly name: string;
  readonly gatewayApi: boolean;
  readonly object: Named;
  readonly selector: Record<string, string>;
  readonly podNamespace: string;
  readonly serviceAccount: string;
  readonly port?: number;
  readonly assumption?: string;
}

/** Looks up `via.gateway` (a Gateway API Gateway or an Istio Gateway); MeshError when it is not in the set. */
export function gatewayOf(index: ManifestIndex, via: SimulationVia): GatewayInfo {
  const [namespace, name] = via.gateway.split('/');
  const found = index.ofKind('Gateway', namespace).filter(g => g.name === name);
  const api = found.find(g => (g.object.apiVersion ?? '').startsWith('gateway.networking.k8s.io/'));
  const istio = found.find(g => (g.object.apiVersion ?? '').startsWith('networking.istio.io/'));
  if (api) {
    return {
      namespace, name, gatewayApi: true, object: api, selector: {}, podNamespace: via.namespace ?? namespace,
      serviceAccount: via.serviceAccount ?? `${name}-istio`,
    };
  }
  if (istio) {
    const assumption = via.serviceAccount === undefined
      ? `gateway ${via.gateway} runs as istio-ingress/istio-ingress (Istio's Helm gateway); pass via.serviceAccount and via.namespace otherwise` : undefined;
    return {
      namespace, name, gatewayApi: false, object: istio, selector: { ...(istio.object.spec?.selector ?? {}) },
      podNamespace: via.namespace ?? 'istio-ingress', serviceAccount: via.serviceAccount ?? 'istio-ingress', assumption,
    };
  }
  const known = index.allOfKind('Gateway').filter(g => (g.object.spec?.gatewayClassName ?? '') !== 'istio-waypoint').map(g => `${g.namespace}/${g.name}`);
  throw simulationError(`via.gateway must name a Gateway in the set, got "${via.gateway}" (gateways: ${known.length ? known.join(', ') : 'none'})`);
}

