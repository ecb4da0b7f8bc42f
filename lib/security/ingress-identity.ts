import { IConstruct } from 'constructs';
import { Identity, isDefaultIngressGateway } from '../identity';
import { AppRuntime } from '../app/runtime';
import { appObjectsOfKind, renderedJson } from '../mesh/app-objects';

// `Identity.ingressGateway()` without options assumes the gateway of Istio's Helm install. When the
// App holds the Istio Gateways that route to it, their `selector` says which install runs:
// - Helm chart `istio/gateway` released as `istio-ingress`: pods labelled `istio: ingress`
//   (`trimPrefix "istio-"` of the release name), service account = release name `istio-ingress`
//   (istio/istio 1.30.3 manifests/charts/gateway/templates/_helpers.tpl `gateway.selectorLabels`,
//   `gateway.serviceAccountName`), namespace `istio-ingress` in the install instructions;
// - `istioctl install` (profile default): Deployment `istio-ingressgateway` in `istio-system`, pods
//   labelled `istio: ingressgateway`, service account `istio-ingressgateway-service-account`
//   (manifests/profiles/default.yaml, manifests/charts/gateways/istio-ingress/values.yaml and
//   templates/serviceaccount.yaml `{{ $gateway.name }}-service-account`).

const ISTIOCTL = { namespace: 'istio-system', serviceAccount: 'istio-ingressgateway-service-account' };

function istioGatewaySelectors(scope: IConstruct): Array<{ gateway: string; istio?: string }> {
  return appObjectsOfKind(scope, 'Gateway')
    .filter(g => g.apiVersion.startsWith('networking.istio.io/'))
    .map(g => {
      const selector: Record<string, unknown> = renderedJson(scope, g)?.spec?.selector ?? {};
      return { gateway: `${g.metadata.namespace ?? ''}${g.metadata.namespace ? '/' : ''}${g.name}`, istio: typeof selector.istio === 'string' ? selector.istio : undefined };
    });
}

/**
 * The identity to render for `id`: a default `Identity.ingressGateway()` becomes the istioctl
 * gateway's identity when every Istio Gateway of the App selects `istio: ingressgateway` (an info
 * says so); a warning when the App's Gateways select another gateway; an info with the assumption
 * when the App holds no Istio Gateway. Other identities are returned unchanged.
 */
export function resolveIngressIdentity(scope: IConstruct, id: Identity, what: string): Identity {
  if (!isDefaultIngressGateway(id)) return id;
  const ctx = AppRuntime.of(scope);
  const gateways = istioGatewaySelectors(scope);
  const values = new Set(gateways.map(g => g.istio));
  if (gateways.length === 0) {
    ctx.info(scope, `${what}: Identity.ingressGateway() assumed the gateway of Istio's Helm install (service account istio-ingress/istio-ingress); `
      + `for istioctl's istio-ingressgateway pass Identity.ingressGateway({ namespace: '${ISTIOCTL.namespace}', serviceAccount: '${ISTIOCTL.serviceAccount}' }), `
      + 'for a Gateway API gateway { gatewayName }');
    return id;
  }
  if (values.size === 1 && values.has('ingressgateway')) {
    ctx.info(scope, `${what}: Identity.ingressGateway() is istioctl's istio-ingressgateway (${ISTIOCTL.namespace}/${ISTIOCTL.serviceAccount}): `
      + `the App's Gateways (${gateways.map(g => g.gateway).join(', ')}) select istio=ingressgateway`);
    return Identity.ingressGateway(ISTIOCTL);
  }
  if (values.size === 1 && values.has('ingress')) return id;
  ctx.warn(scope, `${what}: Identity.ingressGateway() assumes the Helm-installed gateway istio-ingress/istio-ingress (pods labelled istio=ingress), but the App's `
    + `Gateways select ${gateways.map(g => `${g.gateway}: istio=${g.istio ?? '(none)'}`).join(', ')}: pass the namespace and service account of the `
    + 'gateway those select (Identity.ingressGateway({ namespace, serviceAccount })), or its traffic is denied');
  return id;
}
