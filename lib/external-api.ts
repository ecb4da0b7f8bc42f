import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, Gateway, ServiceEntry, VirtualService } from '../imports/networking.istio.io';
import { Egress, EgressMode } from './egress';
import { ExternalIntent } from './external/model';
import { createExternalObjects } from './external/objects';
import { ExternalProtocol, ExternalResolution } from './external/types';
import { checkBackendTls, checkEgress, checkExportTo, checkProps, checkResilience } from './external/validate';
import { checkDns1123Label, checkPort } from './mesh/checks';
import { AppRuntime } from './app/runtime';
import { DataplaneMode, WaypointFor } from './mesh/dataplane';
import { TrafficApi } from './mesh/traffic-api';
import { describeConstruct, MeshError } from './mesh/errors';
import { addWaypointConsumer } from './security/waypoint-consumers';
import { checkDnsName } from './mesh/hosts';
import { CircuitBreaker, RetryPolicy } from './mesh/resilience';

/**
 * Props of `ExternalApi`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export interface ExternalApiProps {
  /**
   * The external DNS name the app calls, e.g. `api.stripe.com`. A wildcard (`*.example.com`) is
   * allowed only with `resolution: ExternalResolution.NONE` and direct egress.
   */
  readonly host: string;

  /**
   * Base name of the emitted objects (a DNS-1123 label).
   *
   * @default - the host with '.' replaced by '-' (`api-stripe-com`; `*.` becomes `wildcard-`)
   */
  readonly name?: string;

  /**
   * Namespace of the emitted ServiceEntry, DestinationRules and routes: the namespace whose
   * workloads call the API (other namespaces need it in `exportTo`).
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Port of the external server.
   *
   * @default 443
   */
  readonly port?: number;

  /**
   * What the app sends. The mesh can time out, retry and originate TLS only for `HTTP`.
   *
   * @default - `HTTP` with `tlsOrigination`, otherwise `HTTPS`
   */
  readonly protocol?: ExternalProtocol;

  /**
   * The app calls `http://<host>` (port `appPort`) and the mesh originates TLS to `port`: the
   * ServiceEntry maps `appPort` to `targetPort: port` and a DestinationRule sets `tls: SIMPLE`
   * with `sni` on the SERVICE port (not the target port). The server certificate is verified
   * against the proxy's system CA bundle.
   *
   * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-tls-origination/
   * @default false
   */
  readonly tlsOrigination?: boolean;

  /**
   * Which API originates TLS: a DestinationRule, or a `BackendTLSPolicy` on the ServiceEntry port.
   * @default TrafficApi.ISTIO
   */
  readonly tlsOriginationApi?: TrafficApi;

  /**
   * SNI (and certificate hostname) of the originated TLS.
   * @default - the host
   */
  readonly sni?: string;

  /**
   * BackendTLSPolicy only: a ConfigMap in `namespace` whose `ca.crt` verifies the server (not a Secret).
   * @default - the system CA bundle (`wellKnownCACertificates: System`)
   */
  readonly caCertificates?: string;

  /**
   * The plain-HTTP port the app calls when `tlsOrigination` is set.
   *
   * @default 80
   */
  readonly appPort?: number;

  /**
   * How proxies resolve the host. Istio's own default, `NONE`, forwards to whatever IP the app
   * resolved and breaks TLS origination and egress gateways; only wildcard hosts need it.
   *
   * @default ExternalResolution.DNS
   */
  readonly resolution?: ExternalResolution;

  /**
   * Timeout of each request to the API (the whole call, retries included). Needs `HTTP`.
   *
   * @default - no timeout (Istio's default for HTTP routes)
   */
  readonly timeout?: Duration;

  /**
   * Retries. `attempts` counts RETRIES: `attempts: 2` means up to 3 requests. Needs `HTTP`.
   * Through an egress waypoint they are emitted as HTTPRoute `retry`, which exists on the
   * Gateway API experimental channel only (set `MeshContext.of(app).gatewayApiChannel`).
   *
   * @default - Istio's default for sidecar routes (2 retries on connect-failure,
   *   refused-stream, unavailable, cancelled); none emitted
   */
  readonly retries?: RetryPolicy;

  /**
   * Connection limits towards the API (DestinationRule `connectionPool`).
   *
   * @default - no limits (Envoy's defaults)
   */
  readonly circuitBreaker?: CircuitBreaker;

  /**
   * Where the traffic leaves the mesh. None is a security control without a NetworkPolicy.
   *
   * @default Egress.direct()
   */
  readonly egress?: Egress;

  /**
   * Namespaces that see the emitted ServiceEntry, DestinationRules and VirtualService (`.` is
   * this namespace, `*` all). An egress gateway or waypoint in another namespace must be listed.
   * In ambient, ztunnel ignores `exportTo`: it is not an isolation boundary there.
   *
   * @default - ['.'], plus the egress gateway's or waypoint's namespace when it differs
   */
  readonly exportTo?: string[];
}

/**
 * A third-party API called from the mesh, registered and configured the way Istio needs:
 * ServiceEntry (`MESH_EXTERNAL`, `resolution: DNS`, explicit ports), DestinationRule for TLS
 * origination and connection limits, VirtualService or HTTPRoute for timeouts and retries, and
 * optionally the egress gateway or egress waypoint composition.
 *
 * The host is registered with the App runtime, so a `ZeroTrustNamespace` that scopes egress lists it.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/
 */
export class ExternalApi extends Construct {
  /** The external host. */
  public readonly host: string;
  /** Base name of the emitted objects. */
  public readonly name: string;
  /** Namespace of the emitted objects (the client namespace). */
  public readonly namespace: string;
  /** Port of the external server. */
  public readonly port: number;
  /** What the app sends. */
  public readonly protocol: ExternalProtocol;
  /** Whether the mesh originates TLS. */
  public readonly tlsOrigination: boolean;
  /** The port the app calls (`appPort` with TLS origination, otherwise `port`). */
  public readonly appPort: number;
  /** ServiceEntry resolution. */
  public readonly resolution: ExternalResolution;
  /** Where traffic leaves the mesh. */
  public readonly egress: Egress;
  /** exportTo of the emitted Istio objects in `namespace`. */
  public readonly exportTo: string[];

  /** The ServiceEntry of the host. */
  public readonly serviceEntry: ServiceEntry;
  /** DestinationRule of the host (TLS origination, connection limits), if emitted. */
  public readonly destinationRule?: DestinationRule;
  /** VirtualService (direct: timeout/retries; gateway: the mesh -> gateway -> host routing), if emitted. */
  public readonly virtualService?: VirtualService;
  /** The `networking.istio.io` Gateway on the egress gateway, for `Egress.gateway()`. */
  public readonly egressGateway?: Gateway;
  /** The DestinationRule of the egress gateway's Service (shared by the namespace's ExternalApis), for `Egress.gateway()`. */
  public readonly egressGatewayDestinationRule?: DestinationRule;
  /** The HTTPRoute (timeout/retries at the egress waypoint), if emitted. */
  public readonly httpRoute?: ApiObject;
  /** The BackendTLSPolicy originating TLS, with `tlsOriginationApi: TrafficApi.GATEWAY_API`. */
  public readonly backendTlsPolicy?: ApiObject;

  private readonly wantsL7: boolean;
  private readonly explicitExportTo: boolean;

  public constructor(scope: Construct, id: string, props: ExternalApiProps) {
    super(scope, id);
    checkProps(this, props);
    const ctx = AppRuntime.of(this);

    this.namespace = props.namespace !== undefined
      ? checkDns1123Label(this, 'namespace', props.namespace)
      : chartNamespace(this);
    this.host = checkDnsName(this, 'host', props.host, { wildcard: true });
    this.resolution = props.resolution ?? ExternalResolution.DNS;
    if (!Object.values(ExternalResolution).includes(this.resolution)) {
      throw MeshError.invalid(this, 'resolution', this.resolution, `one of ${Object.values(ExternalResolution).join(', ')}`);
    }
    if (this.host.startsWith('*') && this.resolution === ExternalResolution.DNS) {
      throw new MeshError(this, `host ${JSON.stringify(this.host)} is a wildcard, which Istio rejects with resolution DNS; `
        + 'set resolution: ExternalResolution.NONE (direct egress only) or name the exact host');
    }
    this.name = checkDns1123Label(this, 'name', props.name ?? defaultName(this.host));

    this.tlsOrigination = props.tlsOrigination ?? false;
    if (typeof this.tlsOrigination !== 'boolean') {
      throw MeshError.invalid(this, 'tlsOrigination', this.tlsOrigination, 'true or false');
    }
    this.protocol = props.protocol ?? (this.tlsOrigination ? ExternalProtocol.HTTP : ExternalProtocol.HTTPS);
    if (!Object.values(ExternalProtocol).includes(this.protocol)) {
      throw MeshError.invalid(this, 'protocol', this.protocol, `one of ${Object.values(ExternalProtocol).join(', ')}`);
    }
    this.port = checkPort(this, 'port', props.port ?? 443);
    this.appPort = this.resolveAppPort(props);

    this.egress = props.egress ?? Egress.direct();
    checkEgress(this, this.egress, this.protocol, this.resolution);
    this.exportTo = checkExportTo(this, this.namespace, props.exportTo, this.egress);
    this.explicitExportTo = props.exportTo !== undefined && !this.exportTo.includes('*');

    this.wantsL7 = props.timeout !== undefined || props.retries !== undefined
      || this.tlsOrigination || props.circuitBreaker !== undefined;
    checkResilience(this, props, this);
    const intent: ExternalIntent = {
      ...checkBackendTls(this, props, this.tlsOrigination, this.host, this.egress.mode === EgressMode.GATEWAY, props.circuitBreaker !== undefined),
      name: this.name, host: this.host, namespace: this.namespace, port: this.port, protocol: this.protocol,
      tlsOrigination: this.tlsOrigination, appPort: this.appPort, resolution: this.resolution, exportTo: this.exportTo,
      egressGateway: this.egress.gatewayOptions, egressWaypoint: this.egress.waypointRef,
      timeout: props.timeout, retries: props.retries, circuitBreaker: props.circuitBreaker,
    };
    ensureUniqueHost(this, ctx);
    if (this.egress.mode === EgressMode.WAYPOINT) {
      // A waypoint declared in this App (EgressWaypoint, or an AmbientNamespace's Waypoint) then
      // admits this namespace in its allowedRoutes; istiod refuses a cross-namespace binding otherwise.
      addWaypointConsumer(this, this.egress.waypointRef!, this.namespace);
    }
    const objects = createExternalObjects(this, intent);
    this.serviceEntry = objects.serviceEntry;
    this.destinationRule = objects.destinationRule;
    this.virtualService = objects.virtualService;
    this.egressGateway = objects.egressGateway;
    this.egressGatewayDestinationRule = objects.egressGatewayDestinationRule;
    this.httpRoute = objects.httpRoute;
    this.backendTlsPolicy = objects.backendTlsPolicy;
    this.registerHosts(ctx);
    AppRuntime.of(this).addSynthCheck(this, () => this.checkDataplane());
  }

  private resolveAppPort(props: ExternalApiProps): number {
    if (!this.tlsOrigination) {
      if (props.appPort !== undefined) {
        throw MeshError.invalid(this, 'appPort', props.appPort, 'unset unless tlsOrigination is true (the app then calls the API port itself)');
      }
      return this.port;
    }
    if (this.protocol !== ExternalProtocol.HTTP) {
      throw new MeshError(this, `tlsOrigination needs protocol HTTP (the app sends plain HTTP and the mesh adds TLS), got ${JSON.stringify(this.protocol)}`);
    }
    if (this.resolution !== ExternalResolution.DNS) {
      throw new MeshError(this, 'tlsOrigination needs resolution DNS: with NONE the proxy keeps the port the app called and cannot map it to the TLS port');
    }
    const appPort = checkPort(this, 'appPort', props.appPort ?? 80);
    if (appPort === this.port) {
      throw MeshError.invalid(this, 'appPort', appPort, `a port other than port (${this.port}): the app calls appPort in clear, the mesh calls port with TLS`);
    }
    return appPort;
  }

  /** Lets egress scoping (`ZeroTrustNamespace` Sidecars) of the client namespaces list the host. */
  private registerHosts(ctx: AppRuntime): void {
    const gateway = this.egress.gatewayOptions;
    const egressNs = gateway?.namespace ?? this.egress.waypointRef?.namespace;
    // Namespaces named in exportTo are clients too, except the egress gateway's or waypoint's own.
    const clients = new Set([this.namespace, ...this.exportTo.filter(e => e !== '.' && e !== '*' && e !== egressNs)]);
    for (const client of clients) {
      ctx.registerExternalHost(client, { host: this.host, namespace: this.namespace, construct: this });
      if (gateway) {
        const service = `${gateway.service ?? 'istio-egressgateway'}.${gateway.namespace}.svc.cluster.local`;
        ctx.registerExternalHost(client, { host: service, namespace: gateway.namespace, construct: this });
      }
    }
  }

  /** Synth-time checks that need the dataplane of the client namespace (declared by other constructs). */
  private checkDataplane(): string[] {
    const info = AppRuntime.of(this).namespace(this.namespace);
    if (!info) return [];
    if (info.mode === DataplaneMode.AMBIENT && this.egress.mode === EgressMode.DIRECT && this.wantsL7) {
      const own = info.waypointFor();
      const hint = own && own.for !== WaypointFor.WORKLOAD
        ? `Egress.waypoint({ namespace: '${own.namespace}', name: '${own.name}' }) (the namespace's waypoint)`
        : 'Egress.waypoint({ namespace, name })';
      return [new MeshError(this, `namespace "${this.namespace}" is ambient: ztunnel is L4 only and cannot enforce `
        + `tlsOrigination, timeout, retries or circuitBreaker without a waypoint; use egress: ${hint} or drop them`).message];
    }
    if (info.mode === DataplaneMode.AMBIENT && this.egress.mode === EgressMode.GATEWAY) {
      return [new MeshError(this, `namespace "${this.namespace}" is ambient: Egress.gateway() routes through sidecars, `
        + 'which ambient pods do not have; use Egress.waypoint({ namespace, name })').message];
    }
    if (info.mode === DataplaneMode.AMBIENT && this.explicitExportTo) {
      AppRuntime.of(this).warn(this, `exportTo ${JSON.stringify(this.exportTo)} is not an isolation boundary in ambient namespace `
        + `"${this.namespace}": ztunnel ignores exportTo (istio/istio#55163), so pods of any namespace resolve the host`);
    }
    if (info.mode === DataplaneMode.SIDECAR && this.egress.mode === EgressMode.WAYPOINT) {
      AppRuntime.of(this).warn(this, `namespace "${this.namespace}" uses sidecars, which never use an egress waypoint: `
        + 'its pods call the host directly (the DestinationRule still applies at the sidecar); use Egress.direct() or Egress.gateway()');
    }
    return [];
  }
}

/** `api.stripe.com` -> `api-stripe-com`; `*.example.com` -> `wildcard-example-com`. */
function defaultName(host: string): string {
  return host.replace(/^\*\./, 'wildcard.').replace(/\./g, '-');
}

function chartNamespace(scope: Construct): string {
  const ns = Chart.of(scope).namespace;
  if (ns === undefined) {
    throw MeshError.invalid(scope, 'namespace', ns, 'set, because the chart has no namespace');
  }
  return checkDns1123Label(scope, 'namespace', ns);
}

/** One ExternalApi per host and namespace: a second one would emit conflicting objects. */
function ensureUniqueHost(api: ExternalApi, ctx: AppRuntime): void {
  const owners = ctx.shared<Map<string, ExternalApi>>('external-api:hosts', () => new Map());
  const key = `${api.namespace}/${api.host}`;
  const existing = owners.get(key);
  if (existing && existing !== api) {
    throw new MeshError(api, `host ${JSON.stringify(api.host)} in namespace "${api.namespace}" is already declared by `
      + `${describeConstruct(existing)}; declare each external host once per namespace (use exportTo to share it)`);
  }
  owners.set(key, api);
}
