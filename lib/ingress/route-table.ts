import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppRuntime } from '../app/runtime';
import { describeConstruct, MeshError } from '../mesh/errors';
import { lazy } from '../mesh/lazy';
import { TrafficApi } from '../mesh/traffic-api';
import { hostsIntersect } from '../traffic/ingress';
import { CorsIntent, gatewayRule, HttpRuleIntent, isCatchAll, istioRule, matchKey } from './http-rules';
import { requestBackendGrant } from './reference-grants';

/** Where a route attaches: a gateway (north-south) or a Service (east-west, in-mesh). */
export type RouteParent =
  | { readonly kind: 'Gateway'; readonly name: string; readonly namespace: string; readonly sectionNames: readonly string[] }
  | { readonly kind: 'Service'; readonly name: string; readonly namespace: string; readonly port: number; readonly host: string };

/** What one construct adds to a route. */
export interface RouteContribution {
  readonly owner: IConstruct;
  /** Construct id of the object if this contribution creates it. */
  readonly id: string;
  readonly api: TrafficApi;
  /** Namespace and name of the object if this contribution creates it. */
  readonly namespace: string;
  readonly name: string;
  readonly parent: RouteParent;
  /** Hostnames at the gateway (empty for a Service parent). */
  readonly hostnames: readonly string[];
  readonly rules: readonly HttpRuleIntent[];
  readonly cors?: CorsIntent;
}

interface Group {
  readonly first: RouteContribution;
  object: ApiObject;
  readonly contributions: RouteContribution[];
}

function parentKey(p: RouteParent): string {
  return p.kind === 'Gateway' ? `gateway:${p.namespace}/${p.name}` : `service:${p.host}`;
}

function sameHosts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

/**
 * Every HTTP route of the App per parent: contributions with the same parent and hostnames merge
 * into one VirtualService or HTTPRoute (created by the first one, its spec rendered at synth);
 * overlapping hostnames, a second namespace or two rules with the same match fail naming both.
 */
export class HttpRouteTable {
  /** The table of the App of `scope`. */
  public static of(scope: IConstruct): HttpRouteTable {
    return AppRuntime.of(scope).shared('cdk8s-istio/ingress/http-routes', () => new HttpRouteTable());
  }

  private readonly groups = new Map<string, Group[]>();

  private constructor() {}

  /** Adds a contribution; returns the object that carries it. Throws MeshError on a conflict. */
  public add(c: RouteContribution): ApiObject {
    const key = parentKey(c.parent);
    const groups = this.groups.get(key) ?? [];
    this.groups.set(key, groups);
    for (const g of groups) {
      const other = g.first;
      const overlapping = c.parent.kind === 'Service' || c.hostnames.some(h => other.hostnames.some(o => hostsIntersect(h, o)));
      if (!overlapping) continue;
      const what = c.parent.kind === 'Gateway' ? `hostnames ${JSON.stringify(c.hostnames)} at gateway ${key.slice(8)}` : `service ${c.parent.host}`;
      if (other.api !== c.api) {
        throw new MeshError(c.owner, `conflicts with ${describeConstruct(other.owner)}: ${what} would be routed by both a VirtualService and an HTTPRoute; use one api`);
      }
      if (!sameHosts(c.hostnames, other.hostnames) || other.namespace !== c.namespace) {
        throw new MeshError(c.owner, `conflicts with ${describeConstruct(other.owner)}: ${what} overlap ${other.namespace}/${other.name} `
          + `(hostnames ${JSON.stringify(other.hostnames)}); routes for one host merge only with the same hostnames in the same namespace`);
      }
      this.checkRules(g, c);
      if (c.cors && g.contributions.some(x => x.cors)) {
        const prev = g.contributions.find(x => x.cors)!;
        throw new MeshError(c.owner, `conflicts with ${describeConstruct(prev.owner)}: both set cors for ${what}; set it once`);
      }
      g.contributions.push(c);
      renderChecked(g);
      this.grants(c);
      return g.object;
    }
    const group = { first: c, contributions: [c] } as unknown as Group;
    this.checkRules(group, c, true);
    render(group); // what the target cannot express fails here, naming the rule
    group.object = new ApiObject(c.owner, c.id, {
      apiVersion: c.api === TrafficApi.ISTIO ? 'networking.istio.io/v1' : 'gateway.networking.k8s.io/v1',
      kind: c.api === TrafficApi.ISTIO ? 'VirtualService' : 'HTTPRoute',
      metadata: { name: c.name, namespace: c.namespace },
      spec: lazy(() => render(group)),
    });
    groups.push(group);
    this.grants(c);
    return group.object;
  }

  /** Every object of the table (for the gateways' checks). */
  public objects(): ApiObject[] {
    return [...this.groups.values()].flatMap(gs => gs.map(g => g.object));
  }

  private checkRules(g: Group, c: RouteContribution, self = false): void {
    const seen = new Map<string, HttpRuleIntent>();
    for (const r of self ? [] : g.contributions.flatMap(x => x.rules)) seen.set(matchKey(r), r);
    for (const r of c.rules) {
      const prev = seen.get(matchKey(r));
      if (prev) {
        const which = prev.owner === r.owner ? `${prev.prop} of the same construct` : `${prev.prop} of ${describeConstruct(prev.owner)}`;
        throw new MeshError(r.owner, `${r.prop} matches the same requests as ${which}${matchKey(r) === '*' ? ' (both are catch-alls)' : ''}; `
          + 'only one of them would ever be used: merge them or make one more specific');
      }
      seen.set(matchKey(r), r);
    }
  }

  private grants(c: RouteContribution): void {
    if (c.api !== TrafficApi.GATEWAY_API) return;
    for (const r of c.rules) {
      for (const b of r.to ?? []) {
        if (b.namespace !== c.namespace) requestBackendGrant(c.owner, 'HTTPRoute', c.namespace, b.namespace, b.name);
      }
    }
  }
}

/** Renders once so that what the target cannot express fails when the rule is added, naming it (the contribution is dropped). */
function renderChecked(g: Group): void {
  try {
    render(g);
  } catch (e) {
    g.contributions.pop();
    throw e;
  }
}

/**
 * The merged spec. Istio takes the first matching rule, so rules keep declaration order and the
 * catch-all goes last; Gateway API picks the most specific match whatever the order.
 */
function render(g: Group): Record<string, unknown> {
  const c = g.first;
  const rules = g.contributions.flatMap(x => x.rules.map(r => ({ rule: r, cors: x.cors ?? g.contributions.find(y => y.cors)?.cors })));
  const ordered = [...rules.filter(r => !isCatchAll(r.rule)), ...rules.filter(r => isCatchAll(r.rule))];
  if (c.api === TrafficApi.ISTIO) {
    const spec: Record<string, unknown> = {};
    if (c.parent.kind === 'Gateway') {
      spec.hosts = [...c.hostnames];
      spec.gateways = [`${c.parent.namespace}/${c.parent.name}`];
    } else {
      spec.hosts = [c.parent.host];
    }
    spec.http = ordered.map(r => istioRule(r.rule, undefined, r.cors));
    return spec;
  }
  const parentRefs = c.parent.kind === 'Gateway'
    ? (c.parent.sectionNames.length === 0 ? [undefined] : c.parent.sectionNames).map(s => ({
      name: c.parent.name,
      ...(c.parent.namespace !== c.namespace ? { namespace: c.parent.namespace } : {}),
      ...(s !== undefined ? { sectionName: s } : {}),
    }))
    : [{ group: '', kind: 'Service', name: c.parent.name, ...(c.parent.namespace !== c.namespace ? { namespace: c.parent.namespace } : {}), port: c.parent.port }];
  const spec: Record<string, unknown> = { parentRefs };
  if (c.hostnames.length > 0) spec.hostnames = [...c.hostnames];
  spec.rules = rules.map(r => gatewayRule(r.rule, c.namespace, r.cors));
  return spec;
}
