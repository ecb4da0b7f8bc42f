import { resolveHost } from '../../lib/mesh/hosts';
import { GraphContext } from '../../lib/validation/graph/support/context';
import { arr, GK, Obj, ref, ROOT_NAMESPACE, serviceOfHost, str } from '../../lib/validation/graph/support/model';
import { Code } from '../../lib/validation/codes';

interface Mode {
  readonly mode: string;
  readonly pa: Obj;
}

function paMode(pa: Obj): string {
  return str(pa.spec.mtls?.mode).toUpperCase() || 'UNSET';
}

function selectorLabels(o: Obj): Record<string, string> | undefined {
  const labels = o.spec.selector?.matchLabels;
  return labels !== null && typeof labels === 'object' && Object.keys(labels).length > 0 ? labels : undefined;
}

/** TLS settings of a DestinationRule that are `DISABLE` or `SIMPLE`, with their paths. */
function plainOrSimpleTls(dr: Obj): { path: string; mode: string }[] {
  const out: { path: string; mode: string }[] = [];
  const policy = (tp: any, path: string) => {
    const mode = str(tp?.tls?.mode);
    if (mode === 'DISABLE' || mode === 'SIMPLE') out.push({ path: `${path}.tls.mode`, mode });
    arr(tp?.portLevelSettings).forEach((pl, i) => {
      const m = str(pl?.tls?.mode);
      if (m === 'DISABLE' || m === 'SIMPLE') out.push({ path: `${path}.portLevelSettings[${i}].tls.mode`, mode: m });
    });
  };
  policy(dr.spec.trafficPolicy, 'spec.trafficPolicy');
  arr(dr.spec.subsets).forEach((s, i) => policy(s?.trafficPolicy, `spec.subsets[${i}].trafficPolicy`));
  return out;
}

/**
 * CI3003: a DestinationRule sends plaintext (`DISABLE`) or non-Istio TLS (`SIMPLE`) to an in-mesh
 * service whose workloads require mTLS (STRICT PeerAuthentication: workload, namespace or root
 * namespace): every connection is rejected.
 */
export function analyzeDrTlsStrict(ctx: GraphContext): void {
  const nsMode = new Map<string, Mode>();
  const workloadPas = new Map<string, Obj[]>();
  for (const pa of ctx.index.all(GK.peerAuthentication)) {
    if (selectorLabels(pa)) {
      const list = workloadPas.get(pa.ns) ?? [];
      list.push(pa);
      workloadPas.set(pa.ns, list);
    } else if (!nsMode.has(pa.ns)) {
      nsMode.set(pa.ns, { mode: paMode(pa), pa });
    }
  }
  const effective = (ns: string, podLabels: Record<string, string> | undefined): Mode | undefined => {
    if (podLabels) {
      for (const pa of workloadPas.get(ns) ?? []) {
        const sel = selectorLabels(pa)!;
        if (Object.keys(sel).every(k => podLabels[k] === sel[k]) && paMode(pa) !== 'UNSET') return { mode: paMode(pa), pa };
      }
    }
    const own = nsMode.get(ns);
    if (own && own.mode !== 'UNSET') return own;
    const root = nsMode.get(ROOT_NAMESPACE);
    return root && root.mode !== 'UNSET' ? root : undefined;
  };
  for (const dr of ctx.index.all(GK.destinationRule)) {
    const tls = plainOrSimpleTls(dr);
    if (tls.length === 0 || typeof dr.spec.host !== 'string') continue;
    const host = resolveHost(dr.spec.host, dr.ns);
    let ns: string | undefined;
    let podLabels: Record<string, string> | undefined;
    const svcRef = serviceOfHost(host);
    if (svcRef) {
      ns = svcRef.namespace;
      const svc = ctx.index.find(GK.service, svcRef.namespace, svcRef.name);
      const sel = svc?.spec.selector;
      podLabels = sel !== null && typeof sel === 'object' ? sel : undefined;
    } else {
      const m = /^\*\.([a-z0-9-]+)\.svc\./.exec(host);
      if (m) ns = m[1];
    }
    if (!ns) continue;
    const mode = effective(ns, podLabels);
    if (mode?.mode !== 'STRICT') continue;
    for (const t of tls) {
      ctx.report(dr, Code.CI3003, 'error', t.path,
        `tls.mode ${t.mode} to ${host}, whose workloads require mTLS (PeerAuthentication ${ref(mode.pa)} is STRICT): connections are rejected; use ISTIO_MUTUAL or drop tls to keep automatic mTLS`);
    }
  }
}
