import { Construct } from 'constructs';
import { Sidecar, SidecarSpecOutboundTrafficPolicyMode } from '../../imports/networking.istio.io';
import { AppRuntime } from '../app/runtime';
import { MeshError } from '../mesh/errors';
import { lazy } from '../mesh/lazy';
import { checkEgressHosts, DEFAULT_EGRESS_HOSTS, egressHostsWithExternal } from './egress-hosts';

// The sidecar-mode parts of a ZeroTrustNamespace that are not authorization: the Namespace labels
// and the optional REGISTRY_ONLY Sidecar (#15 item 9).

/**
 * The Kubernetes API server, always reachable under REGISTRY_ONLY: the `kubernetes` Service of
 * namespace `default` (client libraries call `kubernetes.default.svc`).
 */
export const API_SERVER_EGRESS_HOST = 'default/kubernetes.default.svc.cluster.local';

/** What the sidecar-mode namespace props resolve to. */
export interface SidecarNamespaceOptions {
  readonly registryOnly: boolean;
  readonly egressHosts: readonly string[];
  readonly manageNamespace: boolean;
  readonly labels?: Record<string, string>;
}

function checkBoolean(scope: Construct, prop: string, value: unknown, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (typeof value !== 'boolean') throw MeshError.invalid(scope, prop, value, 'true or false');
  return value;
}

/** Checks `registryOnly`, `egressHosts`, `manageNamespace` and `labels` of a sidecar-mode ZeroTrustNamespace. */
export function checkSidecarNamespaceProps(scope: Construct, props: {
  readonly registryOnly?: boolean; readonly egressHosts?: string[]; readonly manageNamespace?: boolean; readonly labels?: Record<string, string>;
}): SidecarNamespaceOptions {
  const registryOnly = checkBoolean(scope, 'registryOnly', props.registryOnly, false);
  const manageNamespace = checkBoolean(scope, 'manageNamespace', props.manageNamespace, true);
  if (props.egressHosts !== undefined && !registryOnly) {
    throw MeshError.invalid(scope, 'egressHosts', props.egressHosts,
      'omitted unless `registryOnly: true` (they scope the REGISTRY_ONLY Sidecar; without it no Sidecar is emitted)');
  }
  if (props.labels !== undefined && !manageNamespace) {
    throw MeshError.invalid(scope, 'labels', props.labels, 'omitted with `manageNamespace: false` (no Namespace is emitted; label it where it is declared)');
  }
  const egressHosts = registryOnly ? checkEgressHosts(scope, 'egressHosts', props.egressHosts ?? [...DEFAULT_EGRESS_HOSTS]) : [];
  if (!manageNamespace) return { registryOnly, egressHosts, manageNamespace };
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(props.labels ?? {})) {
    if (k === 'istio.io/dataplane-mode' || k === 'istio-injection' || k === 'istio.io/use-waypoint') {
      throw MeshError.invalid(scope, `labels["${k}"]`, v,
        'absent: a namespace cannot be both sidecar-injected and ambient (use an AmbientNamespace for ambient)');
    }
    labels[k] = v;
  }
  // The revision label selects the control plane that injects; with `istio-injection: enabled`
  // next to it the injection label wins and the revision is ignored
  // (https://istio.io/latest/docs/setup/upgrade/canary/#data-plane), so it replaces that label.
  if (labels['istio.io/rev'] === undefined) labels['istio-injection'] = 'enabled';
  return { registryOnly, egressHosts, manageNamespace, labels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/**
 * The `default` Sidecar of `namespace` with REGISTRY_ONLY: the configured hosts, the API server
 * (always), and the hosts registered for the namespace (external APIs, namespaces that admit it).
 * It prunes proxy configuration and blocks unlisted hosts at the proxy; it is not a security control.
 */
export function registryOnlySidecar(scope: Construct, namespace: string, egressHosts: readonly string[]): Sidecar {
  const rt = AppRuntime.of(scope);
  return new Sidecar(scope, 'sidecar', {
    metadata: { name: 'default', namespace },
    spec: lazy(() => ({
      egress: [{ hosts: egressHostsWithExternal(namespace, [...egressHosts, API_SERVER_EGRESS_HOST], rt.externalHosts(namespace)) }],
      outboundTrafficPolicy: { mode: SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY },
    })),
  });
}
