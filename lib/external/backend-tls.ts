import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ExternalProtocol } from './types';
import { ExternalModel } from './model';

/**
 * TLS origination with a Gateway API `BackendTLSPolicy` on the ServiceEntry port the app calls.
 * istiod 1.30 turns it into a DestinationRule `tls: SIMPLE` with `sni` = `validation.hostname`,
 * for Service and ServiceEntry (`networking.istio.io`) targets, `sectionName` = the port name,
 * CA from the first `caCertificateRefs` ConfigMap (Secrets are not supported) or the system
 * bundle (`wellKnownCACertificates: System`) (pilot/pkg/config/kube/gateway/backend_policies.go).
 */
export function backendTlsPolicy(scope: Construct, m: ExternalModel): ApiObject {
  const tls = m.backendTls!;
  return new ApiObject(scope, 'backend-tls-policy', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name: m.name, namespace: m.namespace },
    spec: {
      targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: m.name, sectionName: ExternalProtocol.HTTP.toLowerCase() }],
      validation: {
        hostname: tls.sni,
        ...(tls.caConfigMap !== undefined
          ? { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: tls.caConfigMap }] }
          : { wellKnownCACertificates: 'System' }),
      },
    },
  });
}
