// Small builders of plain manifests for the simulator corpus.

type Labels = Record<string, string>;

/** A Namespace: `sidecar` (istio-injection), `ambient`, or `none`; extra labels merged. */
export function ns(name: string, mode: 'sidecar' | 'ambient' | 'none' = 'sidecar', labels: Labels = {}): object {
  const modeLabels: Labels = mode === 'sidecar' ? { 'istio-injection': 'enabled' } : mode === 'ambient' ? { 'istio.io/dataplane-mode': 'ambient' } : {};
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...modeLabels, ...labels } } };
}

/** A Service selecting `app: name`, port `port` -> `targetPort`. */
export function svc(namespace: string, name: string, port: number, options: { targetPort?: number | string; labels?: Labels; selector?: Labels; portName?: string } = {}): object {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace, ...(options.labels ? { labels: options.labels } : {}) },
    spec: { selector: options.selector ?? { app: name }, ports: [{ name: options.portName ?? 'http', port, targetPort: options.targetPort ?? port }] },
  };
}

/** A Deployment with pod labels and a service account. */
export function deploy(namespace: string, name: string, labels: Labels, options: { serviceAccount?: string; ports?: Array<{ containerPort: number; name?: string }> } = {}): object {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { serviceAccountName: options.serviceAccount ?? name, containers: [{ name: 'app', image: 'app', ports: options.ports ?? [] }] },
      },
    },
  };
}

/** An AuthorizationPolicy. */
export function ap(namespace: string, name: string, spec: object): object {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace }, spec };
}

/** A PeerAuthentication. */
export function pa(namespace: string, name: string, spec: object): object {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace }, spec };
}

/** A RequestAuthentication. */
export function ra(namespace: string, name: string, spec: object): object {
  return { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name, namespace }, spec };
}

/** A waypoint Gateway (class istio-waypoint). */
export function waypoint(namespace: string, name = 'waypoint', forLabel = 'service'): object {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway',
    metadata: { name, namespace, labels: { 'istio.io/waypoint-for': forLabel } },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  };
}

/** A principal in the default trust domain. */
export function principal(namespace: string, sa: string): string {
  return `cluster.local/ns/${namespace}/sa/${sa}`;
}

/** `selector: { matchLabels: { app } }`. */
export function app(name: string): { selector: { matchLabels: Labels } } {
  return { selector: { matchLabels: { app: name } } };
}

/** `targetRefs` to a Service. */
export function toService(name: string): { targetRefs: Array<{ group: string; kind: string; name: string }> } {
  return { targetRefs: [{ group: '', kind: 'Service', name }] };
}
