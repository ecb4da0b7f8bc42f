// Adversarial manifest sets for the cross-resource tier (bench phase e): each generator returns
// exactly `n` documents built so that a pairwise scan over a namespace or a host group would
// grow quadratically. Deterministic (no randomness): the same n gives the same documents.

type Doc = Record<string, unknown>;

function meta(name: string, namespace: string): Doc {
  return { name, namespace };
}

/** Overlapping wildcard ServiceEntries (3 in 4 documents) and VirtualServices routing into them. */
function wildcardServiceEntries(n: number): Doc[] {
  const out: Doc[] = [];
  for (let i = 0; out.length < n; i++) {
    const ns = `ns-${i % 20}`;
    if (i % 4 === 3) {
      const host = i % 8 === 3 ? `api${i}.t${i % 50}.example.com` : `x${i}.example.com`;
      out.push({
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta(`vs-${i}`, ns),
        spec: { hosts: [`app${i}.t${i % 50}.example.com`], http: [{ route: [{ destination: { host, port: { number: 443 } } }] }] },
      });
      continue;
    }
    const hosts = [[`*.example.com`], [`*.t${i % 50}.example.com`], [`api${i}.t${i % 50}.example.com`, '*.example.com']][i % 4];
    const exportTo = i % 10 === 0 ? ['.'] : i % 10 === 1 ? ['ns-0', 'istio-system'] : undefined;
    out.push({
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta(`se-${i}`, ns),
      spec: {
        hosts, location: 'MESH_EXTERNAL', resolution: 'NONE',
        ports: [{ number: 443, name: 'tls', protocol: Math.floor(i / 4) % 2 === 0 ? 'TLS' : 'HTTPS' }],
        ...(exportTo ? { exportTo } : {}),
      },
    });
  }
  return out;
}

/** Gateways of one ingress (same selector and port), one wildcard host per team; a few overlap. */
function sharedIngressGateways(n: number): Doc[] {
  const out: Doc[] = [];
  for (let i = 0; i < n; i++) {
    const hosts = [`*.team${i}.example.com`];
    if (i % 50 === 49) hosts.push(`app.team${i - 1}.example.com`);
    if (i % 100 === 99) hosts.push(`*.team${i - 2}.example.com`);
    out.push({
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: meta(`gw-${i}`, `team-${i % 100}`),
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName: `cert-${i}` } }],
      },
    });
  }
  return out;
}

/** Services, workload PeerAuthentications (STRICT or PERMISSIVE) and TLS-disabled DestinationRules. */
function workloadPeerAuthentications(n: number): Doc[] {
  const out: Doc[] = [];
  for (let i = 0; out.length < n; i++) {
    const ns = `ns-${i % 4}`;
    const app = `svc-${i}`;
    const docs: Doc[] = [
      { apiVersion: 'v1', kind: 'Service', metadata: meta(app, ns), spec: { selector: { app, tier: 'web' }, ports: [{ name: 'http', port: 8080 }] } },
      {
        apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: meta(`${app}-mtls`, ns),
        spec: { selector: { matchLabels: i % 3 === 0 ? { app, tier: 'web' } : { app } }, mtls: { mode: i % 2 === 0 ? 'STRICT' : 'PERMISSIVE' } },
      },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta(`${app}-plain`, ns),
        spec: { host: `${app}.${ns}.svc.cluster.local`, trafficPolicy: { tls: { mode: i % 5 === 0 ? 'SIMPLE' : 'DISABLE' } } },
      },
    ];
    out.push(...docs.slice(0, n - out.length));
  }
  return out;
}

/** Many mesh VirtualServices for one host, with mixed exportTo, HTTPRoutes on that Service and DestinationRules. */
function virtualServicesOnOneHost(n: number): Doc[] {
  const host = 'reviews.shop.svc.cluster.local';
  const out: Doc[] = [{ apiVersion: 'v1', kind: 'Service', metadata: meta('reviews', 'shop'), spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } }];
  for (let i = 0; out.length < n; i++) {
    const ns = `ns-${i % 30}`;
    if (i % 8 === 6) {
      out.push({
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta(`route-${i}`, 'shop'),
        spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }], rules: [{ backendRefs: [{ name: 'reviews', port: 9080 }] }] },
      });
    } else if (i % 8 === 7) {
      out.push({
        apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta(`dr-${i}`, ns),
        spec: { host, subsets: [{ name: `v${i}`, labels: { version: `v${i}` } }], ...(i % 16 === 7 ? { exportTo: ['.'] } : {}) },
      });
    } else {
      const exportTo = [['.'], undefined, ['shop', ns]][i % 3];
      out.push({
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta(`vs-${i}`, ns),
        spec: {
          hosts: [host], ...(exportTo ? { exportTo } : {}),
          http: [{ route: [{ destination: { host, subset: `v${i % 40 === 0 ? 'missing' : i - (i % 8) - 1}`, port: { number: 9080 } } }] }],
        },
      });
    }
  }
  return out;
}

/** RequestAuthentications and token-requiring AuthorizationPolicies in few namespaces; half uncovered. */
function authorizationVsRequestAuthentication(n: number): Doc[] {
  const out: Doc[] = [];
  for (let i = 0; out.length < n; i++) {
    const ns = i % 10 === 0 ? 'istio-system' : `ns-${i % 3}`;
    if (i % 2 === 0) {
      out.push({
        apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: meta(`ra-${i}`, ns),
        spec: { selector: { matchLabels: { app: `svc-${i}`, ...(i % 6 === 0 ? { tier: 'api' } : {}) } }, jwtRules: [{ issuer: 'https://issuer.example.com' }] },
      });
    } else {
      out.push({
        apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta(`ap-${i}`, ns),
        spec: {
          selector: { matchLabels: { app: `svc-${i % 4 === 1 ? i - 1 : i + 1000000}` } },
          rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }],
        },
      });
    }
  }
  return out;
}

/** The adversarial sets of phase e, by name. */
export const ADVERSARIAL_SETS: ReadonlyArray<{ readonly name: string; readonly what: string; readonly generate: (n: number) => Doc[] }> = [
  { name: 'wildcard-service-entries', what: 'overlapping wildcard ServiceEntries (IST0177) and VirtualServices routing into them', generate: wildcardServiceEntries },
  { name: 'shared-ingress-gateways', what: 'Gateways sharing a selector and port with distinct wildcard hosts (IST0145)', generate: sharedIngressGateways },
  { name: 'workload-peer-authentications', what: 'workload PeerAuthentications vs TLS-disabled DestinationRules (CI3003)', generate: workloadPeerAuthentications },
  { name: 'virtual-services-one-host', what: 'VirtualServices on one host, with HTTPRoutes and DestinationRules for it (IST0109, CI3002, IST0101)', generate: virtualServicesOnOneHost },
  { name: 'authorization-request-authentication', what: 'AuthorizationPolicies vs RequestAuthentications (CI3004)', generate: authorizationVsRequestAuthentication },
];
