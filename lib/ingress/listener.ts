import { RequestMatch } from '../request-match';

/** What a gateway listener accepts. */
export enum ListenerProtocol {
  /** Plain-text HTTP. */
  HTTP = 'HTTP',
  /** HTTPS: the gateway terminates TLS with a certificate and routes HTTP. */
  HTTPS = 'HTTPS',
  /** TLS passed through to the backend, routed by SNI (the gateway never decrypts it). */
  TLS = 'TLS',
  /** Opaque TCP, routed by port only. */
  TCP = 'TCP',
}

/** Options of `TlsCertificate.fromSecret()`. */
export interface TlsCertificateOptions {
  /**
   * Namespace of the Secret. With the Gateway API a Secret in another namespace than the Gateway
   * needs a ReferenceGrant there (emitted by the gateway); the Istio API reads it from the
   * gateway pods' namespace only.
   *
   * @default - the gateway's namespace
   */
  readonly namespace?: string;
}

/**
 * A server certificate: a Kubernetes `kubernetes.io/tls` Secret with `tls.crt` and `tls.key`.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 */
export class TlsCertificate {
  /** The `kubernetes.io/tls` Secret `name`. */
  public static fromSecret(name: string, options: TlsCertificateOptions = {}): TlsCertificate {
    return new TlsCertificate(name, options.namespace);
  }

  private constructor(
    /** Name of the Secret. */
    public readonly secretName: string,
    /** Namespace of the Secret, if not the gateway's. */
    public readonly namespace?: string,
  ) {}
}

/** Options every listener has. */
export interface ListenerBaseOptions {
  /**
   * Name of the listener (Gateway API `listeners[].name`, the route's `sectionName`; Istio
   * `servers[].port.name`). With several hostnames, the Gateway API listeners are `<name>-0`, `<name>-1`, ...
   *
   * @default - `<protocol>-<port>` in lowercase, e.g. `https-443`
   */
  readonly name?: string;
}

/** Options of `Listener.https()`. */
export interface HttpsListenerOptions extends ListenerBaseOptions {
  /**
   * Hostnames served (DNS names, optionally with one leading `*.`).
   *
   * @default - any hostname
   */
  readonly hostnames?: string[];
  /** The server certificate (required: an HTTPS listener terminates TLS). */
  readonly certificate: TlsCertificate;
  /**
   * Port.
   *
   * @default 443
   */
  readonly port?: number;
}

/** Options of `Listener.http()`. */
export interface HttpListenerOptions extends ListenerBaseOptions {
  /**
   * Hostnames served (DNS names, optionally with one leading `*.`).
   *
   * @default - any hostname
   */
  readonly hostnames?: string[];
  /**
   * Answer every request with a 301 redirect to `https://` (the gateway needs an HTTPS listener).
   *
   * @default false
   */
  readonly redirectToHttps?: boolean;
  /**
   * Port.
   *
   * @default 80
   */
  readonly port?: number;
}

/** Options of `Listener.tlsPassthrough()`. */
export interface TlsPassthroughListenerOptions extends ListenerBaseOptions {
  /**
   * SNI hostnames served (DNS names, optionally with one leading `*.`).
   *
   * @default - any SNI
   */
  readonly hostnames?: string[];
  /**
   * Port.
   *
   * @default 443
   */
  readonly port?: number;
}

/** Options of `Listener.tcp()`. TCP carries no hostname: a TCP listener is selected by its port alone. */
export interface TcpListenerOptions extends ListenerBaseOptions {
  /** Port. */
  readonly port: number;
}

/**
 * A port (and hostnames) an `IngressGateway` listens on.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#listener
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
 */
export class Listener {
  /** HTTPS, terminating TLS with `certificate`. */
  public static https(options: HttpsListenerOptions): Listener {
    return new Listener(ListenerProtocol.HTTPS, options ?? {}, 443);
  }

  /** Plain HTTP, optionally redirecting every request to HTTPS. */
  public static http(options: HttpListenerOptions = {}): Listener {
    return new Listener(ListenerProtocol.HTTP, options ?? {}, 80);
  }

  /** TLS passthrough, routed by SNI to TLS routes (`CanaryRoute` with `RouteProtocol.TLS`). */
  public static tlsPassthrough(options: TlsPassthroughListenerOptions = {}): Listener {
    return new Listener(ListenerProtocol.TLS, options ?? {}, 443);
  }

  /** Opaque TCP on `port`, routed to TCP routes (`CanaryRoute` with `RouteProtocol.TCP`). */
  public static tcp(options: TcpListenerOptions): Listener {
    return new Listener(ListenerProtocol.TCP, options ?? {}, undefined);
  }

  /** What the listener accepts. */
  public readonly protocol: ListenerProtocol;
  /** The options as given (checked by the gateway). */
  public readonly options: Record<string, unknown>;
  /** The default port of this kind of listener. */
  public readonly defaultPort?: number;

  private constructor(protocol: ListenerProtocol, options: object, defaultPort: number | undefined) {
    this.protocol = protocol;
    this.options = { ...(options as Record<string, unknown>) };
    this.defaultPort = defaultPort;
  }
}

/** Where routes that bind to a gateway may live. */
export class RouteNamespaces {
  /** Routes in the gateway's namespace only (Gateway API `from: Same`). */
  public static readonly SAME = new RouteNamespaces('Same', [], {});
  /** Routes in any namespace (Gateway API `from: All`). */
  public static readonly ALL = new RouteNamespaces('All', [], {});

  /**
   * Routes in the named namespaces and in the gateway's own (where `expose()` puts its routes);
   * Gateway API: a selector on the `kubernetes.io/metadata.name` label.
   */
  public static names(...namespaces: string[]): RouteNamespaces {
    return new RouteNamespaces('Names', [...namespaces], {});
  }

  /** Routes in namespaces whose labels include `matchLabels` (Gateway API only). */
  public static selector(matchLabels: Record<string, string>): RouteNamespaces {
    return new RouteNamespaces('Selector', [], { ...matchLabels });
  }

  private constructor(
    /** `Same`, `All`, `Names` or `Selector`. */
    public readonly from: 'Same' | 'All' | 'Names' | 'Selector',
    /** Namespaces of `names()`. */
    public readonly namespaces: string[],
    /** Labels of `selector()`. */
    public readonly matchLabels: Record<string, string>,
  ) {}

  /** Readable form for messages. */
  public toString(): string {
    switch (this.from) {
      case 'Names': return `RouteNamespaces.names(${this.namespaces.map(n => JSON.stringify(n)).join(', ')})`;
      case 'Selector': return `RouteNamespaces.selector(${JSON.stringify(this.matchLabels)})`;
      default: return `RouteNamespaces.${this.from.toUpperCase()}`;
    }
  }
}

/** Path matches for `IngressGateway.expose()`. */
export class PathMatch {
  /**
   * Paths starting with `prefix`. Istio compares strings (`/api` matches `/apix`); Gateway API
   * compares path elements (`/api` matches `/api/x`, not `/apix`).
   */
  public static prefix(prefix: string): RequestMatch {
    return RequestMatch.pathPrefix(prefix);
  }

  /** Exactly `path`. */
  public static exact(path: string): RequestMatch {
    return RequestMatch.pathExact(path);
  }

  private constructor() {}
}
