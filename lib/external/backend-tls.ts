import { ExternalProtocol } from './types';
import { ExternalIntent } from './model';

/**
 * TLS origination with a Gateway API `BackendTLSPolicy` on the ServiceEntry port the app calls.
 * istiod 1.30 turns it into a DestinationRule `tls: SIMPLE` with `sni` = `validation.hostname`,
 * for Service and ServiceEntry (`networking.istio.io`) targets, `sectionName` = the port name,
 * CA from the first `caCertificateRefs` ConfigMap (Secrets are not supported) or the system
 * bundle (`wellKnownCACertificates: System`) (pilot/pkg/config/kube/gateway/backend_policies.go).
 * Pure: called at synth, when `m.backendTls` is set.
 */
export function backendTlsPolicySpec(m: ExternalIntent): Record<string, unknown> {
  const tls = m.backendTls!;
  return {
    targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: m.name, sectionName: ExternalProtocol.HTTP.toLowerCase() }],
    validation: {
      hostname: tls.sni,
      ...(tls.caConfigMap !== undefined
        ? { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: tls.caConfigMap }] }
        : { wellKnownCACertificates: 'System' }),
    },
  };
}
