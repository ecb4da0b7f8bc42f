import { Construct } from 'constructs';
import { checkDns1123Label, checkDns1123Subdomain, checkInteger, checkPercent } from './mesh/checks';
import { AppRuntime } from './app/runtime';
import { MeshError } from './mesh/errors';
import { checkDnsName } from './mesh/hosts';
import { ResolvedService, resolveService } from './mesh/service-target';
import { TrafficApi } from './mesh/traffic-api';
import { checkRequestMatch, RequestMatch, renderMatches } from './request-match';
import { checkApi, checkLabelKey, checkLabelValue, TrafficTargetOptions } from './traffic/options';
import { IngressIntent, RoutingIntent } from './traffic/intents';
import { hostsIntersect } from './traffic/ingress';
import { TrafficModel, ITrafficObjectsHook, TrafficObjects } from './traffic/model';
import { checkProtocol } from './traffic/check-protocol';
import { RouteProtocol } from './traffic/protocol';
import { backendNames, checkBackendNames, httpRouteRules, knownServicePort } from './traffic/render-gateway';
import { ResolvedWorkload, resolveWorkloadVersion, WorkloadResource, workloadProblems } from './traffic/workload';

/**
 * An ingress gateway: an Istio `Gateway` (networking.istio.io) or a Gateway API `Gateway`,
 * depending on the route's api.
 */
export interface GatewayReference {
  /** Name of the Gateway. */
  readonly name: string;
  /**
   * Namespace of the Gateway.
   *
   * @default - the service's namespace
   */
  readonly namespace?: string;
  /**
   * Gateway API listener to attach to (`parentRefs[].sectionName`); ignored for Istio.
   *
   * @default - every listener of the Gateway that admits the route
   */
  readonly sectionName?: string;
  /**
   * Hostnames the Gateway serves (Istio `servers[].hosts`, Gateway API `listeners[].hostname`),
   * used to reject route hostnames it would never receive.
   *
   * @default - read from the Gateway object when it is in the App; otherwise not checked
   */
  readonly hostnames?: string[];
}

/**
 * Binds a route to an ingress gateway (north-south traffic). The route keeps serving in-mesh
 * traffic too unless `meshTraffic: false` (an Istio VirtualService that lists `gateways` loses the
 * implicit `mesh`, so the library emits a separate object per gateway set).
 */
export interface IngressBinding {
  /** The gateway. */
  readonly gateway: GatewayReference;
  /** Hostnames the route serves at the gateway (at most 16; `*.` wildcards allowed). */
  readonly hostnames: string[];
}

/** The existing per-version Services of a `CanaryRoute` (`backendServices`). */
export interface CanaryBackendServices {
  /** Name of the Service that selects only the stable version's pods. */
  readonly stable: string;
  /** Name of the Service that selects only the canary version's pods. */
  readonly canary: string;
}

/** Props of a `CanaryRoute`. */
export interface CanaryRouteProps extends TrafficTargetOptions {
  /**
   * Value of the version label on the stable pods (`v1`).
   *
   * @default - the `versionLabel` pod label of `stableWorkload`; one of the two is required
   */
  readonly stableVersion?: string;
  /**
   * Value of the version label on the canary pods (`v2`).
   *
   * @default - the `versionLabel` pod label of `canaryWorkload`; one of the two is required
   */
  readonly canaryVersion?: string;
  /**
   * The stable version's workload, e.g. a cdk8s-plus `Deployment`: the stable version is read
   * from its pod template's `versionLabel` label, which must exist (and equal `stableVersion` if
   * that is set too). It must be in the service's namespace; when the route creates per-version
   * Services (Gateway API) its pods must also carry the `selector` labels (checked at synth).
   *
   * @default - none: `stableVersion` names the version
   */
  readonly stableWorkload?: WorkloadResource;
  /**
   * The canary version's workload, e.g. a cdk8s-plus `Deployment`; see `stableWorkload`. Its
   * version label must differ from the stable one.
   *
   * @default - none: `canaryVersion` names the version
   */
  readonly canaryWorkload?: WorkloadResource;
  /**
   * Pod label that tells the versions apart.
   *
   * @default 'version'
   */
  readonly versionLabel?: string;
  /**
   * Integer percent 0..100 of unmatched traffic sent to the canary; the stable version gets the rest.
   * Trap: both APIs treat weights as relative numbers, so the library always emits the pair
   * `100 - canaryWeight` / `canaryWeight`.
   */
  readonly canaryWeight: number;
  /**
   * Requests that always go to the canary (A/B): conditions in one match are ANDed, matches are ORed.
   *
   * @default - none: only the weighted split
   */
  readonly canaryMatches?: RequestMatch[];
  /**
   * Percent 0..100 (fractions down to 0.0001) of the stable route's traffic copied to the canary;
   * responses of the copy are discarded. Only mirror idempotent traffic. 0 emits no mirror.
   *
   * @default - no mirroring
   */
  readonly mirrorPercent?: number;
  /**
   * Also route north-south traffic arriving at an ingress gateway.
   *
   * @default - in-mesh traffic only
   */
  readonly ingress?: IngressBinding;
  /**
   * Route in-mesh (east-west) traffic; `false` with an `ingress` routes gateway traffic only.
   *
   * @default true
   */
  readonly meshTraffic?: boolean;
  /**
   * Existing Services, one per version, for Gateway API (which has no subsets); each must select
   * only its version's pods and expose the service's port.
   *
   * @default - created: `<service>-<stableVersion>` and `<service>-<canaryVersion>`
   */
  readonly backendServices?: CanaryBackendServices;
  /**
   * Labels that select the service's pods; created per-version Services select these plus the
   * version label.
   *
   * @default - the selector of the Service when the App declares it, otherwise `{ app: <service name> }`
   */
  readonly selector?: Record<string, string>;
  /**
   * Target port of created per-version Services (Gateway API). When the App declares the Service,
   * its port's `targetPort`, `name` and `appProtocol` are copied (Istio detects the protocol from
   * name and appProtocol); a Service 80 -> 8080 otherwise gets its canary traffic on pod port 80.
   *
   * @default - the `targetPort` of the Service when the App declares it; otherwise the service port, with a warning
   */
  readonly targetPort?: number | string;
  /**
   * What is split. TCP and TLS carry only the weighted split (no matches, mirroring, timeouts or
   * retries); Gateway API gRPC matches headers only.
   *
   * @default RouteProtocol.HTTP
   */
  readonly protocol?: RouteProtocol;
  /**
   * `RouteProtocol.TLS` only: the SNI names of in-mesh TLS connections routed (the ingress binding
   * routes its hostnames).
   *
   * @default - the service host (`<name>.<namespace>.svc.cluster.local`)
   */
  readonly sniHosts?: string[];
}

/**
 * Canary, A/B and mirroring for one service, emitted as Istio (VirtualService + DestinationRule
 * subsets) or Gateway API (HTTPRoute + one Service per version).
 *
 * Istio: canary-match rules first, then the weighted catch-all, always last and match-less (a
 * VirtualService without one returns 404 for unmatched requests). Gateway API: the same rules,
 * with the canary-match rule strictly more specific than the catch-all (HTTPRoute precedence is
 * by specificity, not order). Merges with a `ResilientService` on the same service.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/
 * @see https://gateway-api.sigs.k8s.io/guides/traffic-splitting/
 */
export class CanaryRoute extends Construct {
  /** The routed service. */
  public readonly service: ResolvedService;
  /** Version label value of the stable pods. */
  public readonly stableVersion: string;
  /** Version label value of the canary pods. */
  public readonly canaryVersion: string;
  /** The pod label that tells versions apart. */
  public readonly versionLabel: string;
  /** The stable version's workload, if given. */
  public readonly stableWorkload?: WorkloadResource;
  /** The canary version's workload, if given. */
  public readonly canaryWorkload?: WorkloadResource;
  /** Percent of unmatched traffic to the canary. */
  public readonly canaryWeight: number;
  /** Percent of unmatched traffic to the stable version (`100 - canaryWeight`). */
  public readonly stableWeight: number;
  /** Requests always routed to the canary. */
  public readonly canaryMatches: RequestMatch[];
  /** Percent of stable traffic mirrored to the canary (0 = none). */
  public readonly mirrorPercent: number;
  /** Whether in-mesh traffic is routed. */
  public readonly meshTraffic: boolean;

  private readonly model: TrafficModel;

  public constructor(scope: Construct, id: string, props: CanaryRouteProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') throw MeshError.invalid(this, 'props', props, 'a CanaryRouteProps object');
    this.service = resolveService(this, 'service', props.service);
    const api = checkApi(this, props);
    this.versionLabel = checkLabelKey(this, 'versionLabel', props.versionLabel ?? 'version');
    const stable = this.resolveVersion('stable', props.stableVersion, props.stableWorkload);
    const canaryV = this.resolveVersion('canary', props.canaryVersion, props.canaryWorkload);
    this.stableVersion = stable.version;
    this.canaryVersion = canaryV.version;
    this.stableWorkload = stable.workload?.workload;
    this.canaryWorkload = canaryV.workload?.workload;
    if (this.stableVersion === this.canaryVersion) {
      if (canaryV.workload) {
        throw MeshError.invalid(this, 'canaryWorkload', canaryV.workload.label,
          `a workload whose "${this.versionLabel}" pod label differs from the stable version ("${this.stableVersion}")`);
      }
      throw MeshError.invalid(this, 'canaryVersion', props.canaryVersion, `different from stableVersion ("${this.stableVersion}")`);
    }
    this.canaryWeight = checkInteger(this, 'canaryWeight', props.canaryWeight, 0, 100);
    this.stableWeight = 100 - this.canaryWeight;
    if (props.canaryMatches !== undefined && !Array.isArray(props.canaryMatches)) {
      throw MeshError.invalid(this, 'canaryMatches', props.canaryMatches, 'a list of RequestMatch');
    }
    this.canaryMatches = [...(props.canaryMatches ?? [])];
    this.canaryMatches.forEach((m, i) => checkRequestMatch(this, `canaryMatches[${i}]`, m));
    this.mirrorPercent = props.mirrorPercent === undefined ? 0 : checkPercent(this, 'mirrorPercent', props.mirrorPercent, { fractions: true });
    this.meshTraffic = props.meshTraffic ?? true;
    if (typeof this.meshTraffic !== 'boolean') throw MeshError.invalid(this, 'meshTraffic', props.meshTraffic, 'true or false');
    const ingress = props.ingress === undefined ? undefined : this.checkIngress(props.ingress);
    if (!this.meshTraffic && !ingress) {
      throw MeshError.invalid(this, 'meshTraffic', false, 'true unless an ingress binding is set (the route would serve nothing)');
    }
    const backendServices = props.backendServices === undefined ? undefined : {
      stable: checkDns1123Label(this, 'backendServices.stable', props.backendServices?.stable),
      canary: checkDns1123Label(this, 'backendServices.canary', props.backendServices?.canary),
    };
    const selector = props.selector;
    if (selector !== undefined && (selector === null || typeof selector !== 'object' || Object.keys(selector).length === 0)) {
      throw MeshError.invalid(this, 'selector', selector, 'a non-empty map of pod labels');
    }
    for (const [k, v] of Object.entries(selector ?? {})) {
      checkLabelKey(this, `selector key`, k);
      checkLabelValue(this, `selector["${k}"]`, v);
    }
    const targetPort = props.targetPort;
    if (typeof targetPort === 'number') checkInteger(this, 'targetPort', targetPort, 1, 65535);
    else if (targetPort !== undefined) checkDns1123Label(this, 'targetPort', targetPort);

    const intent: RoutingIntent = {
      construct: this, api, allowVirtualServiceInAmbient: props.allowVirtualServiceInAmbient ?? false,
      stableVersion: this.stableVersion, canaryVersion: this.canaryVersion, versionLabel: this.versionLabel,
      canaryWeight: this.canaryWeight, canaryMatches: this.canaryMatches,
      mirrorPercent: this.mirrorPercent, ingress, meshTraffic: this.meshTraffic, backendServices,
      ...(selector ? { selector: { ...selector } } : {}), targetPort, ...checkProtocol(this, props, this.service.host),
    };
    if (api !== undefined && (intent.protocol === undefined || intent.protocol === RouteProtocol.HTTP)) {
      // Fail fast for what the chosen target cannot express.
      renderMatches(this, 'canaryMatches', this.canaryMatches, api);
      if (api === TrafficApi.GATEWAY_API) {
        checkBackendNames({ service: this.service, routing: intent });
        httpRouteRules({ service: this.service, routing: intent });
      }
    }
    this.model = TrafficModel.of(this, this.service);
    this.model.addRouting(intent, this.service.port);
    const workloads = [stable, canaryV].flatMap(v => (v.workload ? [{ w: v.workload, version: v.version }] : []));
    AppRuntime.of(this).addSynthCheck(this, () => {
      const creates = this.model.api === TrafficApi.GATEWAY_API && backendServices === undefined;
      const known = creates ? knownServicePort({ service: this.service, routing: intent }) : undefined;
      const problems: string[] = [];
      if (creates && known && !known.port) {
        problems.push(new MeshError(this, `service.port ${this.service.port} is not a port of Service ${this.service.namespace}/${this.service.name} in the App `
          + `(ports: ${known.service.ports.map(p => p.port).join(', ') || 'none'}); route a port the Service exposes`).message);
      } else if (creates && !known && targetPort === undefined) {
        AppRuntime.of(this).warn(this, `Service ${this.service.namespace}/${this.service.name} is not in the App, so the per-version Services `
          + `${backendNames({ service: this.service, routing: intent }).stable} and ${backendNames({ service: this.service, routing: intent }).canary} `
          + `assume targetPort ${this.service.port} and no appProtocol; set targetPort (and selector) to the real Service's, or declare the Service in the App`);
      }
      // Per-version Services select pods by selector + version label: the workloads' pods must carry the selector.
      const selects = creates ? (selector ?? known?.service.selector ?? { app: this.service.name }) : undefined;
      return [
        ...problems,
        ...workloads.flatMap(({ w, version }) => workloadProblems(this, w, this.versionLabel, version, selects)),
        ...this.model.errorsFor(this),
      ];
    });
  }

  private resolveVersion(which: 'stable' | 'canary', version: string | undefined, workload: WorkloadResource | undefined):
  { version: string; workload?: ResolvedWorkload } {
    const versionProp = `${which}Version`;
    const workloadProp = `${which}Workload`;
    if (workload !== undefined) {
      const r = resolveWorkloadVersion(this, workloadProp, workload, this.versionLabel, this.service.namespace, version, versionProp);
      return { version: checkLabelValue(this, `${workloadProp} "${this.versionLabel}" pod label`, r.version), workload: r.resolved };
    }
    if (version === undefined) {
      throw MeshError.invalid(this, versionProp, undefined, `a version label value (e.g. "v1"), or set ${workloadProp}`);
    }
    return { version: checkLabelValue(this, versionProp, version) };
  }

  /**
   * The API this route emits: the `api` prop if set, otherwise `TrafficApi.GATEWAY_API` when the
   * service's namespace is declared ambient (by `AmbientNamespace`) and `TrafficApi.ISTIO`
   * otherwise. Resolved when read, from the namespaces declared so far; fixed at synth.
   */
  public get api(): TrafficApi {
    return this.model.api;
  }

  /**
   * The objects emitted for the service (shared with a `ResilientService` on it). With an explicit `api`
   * they exist from the constructor: each construct on the service adds what it needs (so a later
   * one can add objects, or drop a route it turns off), specs rendered at synth. Without `api` the
   * target follows the namespace's dataplane, known only once the App is complete: the objects are
   * created at synth and this is empty before. For JSON patches in both cases use `onObjects`.
   */
  public get objects(): TrafficObjects {
    return this.model.objects;
  }

  /**
   * The escape hatch: calls `hook` with the objects emitted for the service once their set is final
   * (at synth, once every construct and the namespace's dataplane are known, before they are
   * rendered and validated; at once after synth),
   * e.g. to add a JSON patch: `route.onObjects({ visit: o => o.virtualServices[0].addJsonPatch(...) })`.
   * The objects are shared with a `ResilientService` on the same service.
   */
  public onObjects(hook: ITrafficObjectsHook): void {
    this.model.onObjects(hook);
  }

  private checkIngress(ingress: IngressBinding): IngressIntent {
    if (ingress === null || typeof ingress !== 'object' || ingress.gateway === null || typeof ingress.gateway !== 'object') {
      throw MeshError.invalid(this, 'ingress', ingress, 'an IngressBinding { gateway: { name, namespace? }, hostnames }');
    }
    const gw = ingress.gateway;
    const name = checkDns1123Label(this, 'ingress.gateway.name', gw.name);
    const namespace = gw.namespace === undefined ? this.service.namespace : checkDns1123Label(this, 'ingress.gateway.namespace', gw.namespace);
    const sectionName = gw.sectionName === undefined ? undefined : checkDns1123Subdomain(this, 'ingress.gateway.sectionName', gw.sectionName);
    if (!Array.isArray(ingress.hostnames) || ingress.hostnames.length === 0 || ingress.hostnames.length > 16) {
      throw MeshError.invalid(this, 'ingress.hostnames', ingress.hostnames, 'a list of 1..16 hostnames');
    }
    const hostnames = ingress.hostnames.map((h, i) => checkDnsName(this, `ingress.hostnames[${i}]`, h, { wildcard: true }));
    let gatewayHostnames: string[] | undefined;
    if (gw.hostnames !== undefined) {
      if (!Array.isArray(gw.hostnames)) throw MeshError.invalid(this, 'ingress.gateway.hostnames', gw.hostnames, 'a list of hostnames');
      gatewayHostnames = gw.hostnames.map((h, i) => (h === '*' ? h : checkDnsName(this, `ingress.gateway.hostnames[${i}]`, h, { wildcard: true })));
      for (const h of hostnames) {
        if (!gatewayHostnames.some(s => hostsIntersect(h, s))) {
          throw MeshError.invalid(this, 'ingress.hostnames', h, `a hostname that gateway ${namespace}/${name} serves (${gatewayHostnames.join(', ')})`);
        }
      }
    }
    return { name, namespace, sectionName, hostnames, gatewayHostnames };
  }
}
