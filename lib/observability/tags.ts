/**
 * A custom tag added to every span: a literal value, a request header, or an environment variable
 * of the proxy.
 *
 * @see https://istio.io/latest/docs/reference/config/telemetry/#Tracing-CustomTag
 */
export class Tag {
  /** The same value on every span. */
  public static literal(value: string): Tag {
    return new Tag({ literal: { value } }, 'literal', value);
  }

  /** The value of request header `name`, or `defaultValue` when the request has none. */
  public static header(name: string, defaultValue?: string): Tag {
    return new Tag({ header: { name, ...(defaultValue !== undefined ? { defaultValue } : {}) } }, 'header', name);
  }

  /** The value of the proxy's environment variable `name`, or `defaultValue` when unset. */
  public static environment(name: string, defaultValue?: string): Tag {
    return new Tag({ environment: { name, ...(defaultValue !== undefined ? { defaultValue } : {}) } }, 'environment', name);
  }

  /** The tag as the Telemetry API writes it. */
  public readonly spec: Readonly<Record<string, unknown>>;
  /** Which kind of tag: `literal`, `header` or `environment`. */
  public readonly type: string;
  /** The literal value, header name or variable name (checked non-empty). */
  public readonly value: string;

  private constructor(spec: Record<string, unknown>, type: string, value: string) {
    this.spec = spec;
    this.type = type;
    this.value = value;
  }
}

/**
 * A change to the tags (labels) of an Istio standard metric.
 *
 * @see https://istio.io/latest/docs/reference/config/telemetry/#MetricsOverrides-TagOverride
 */
export class TagOverride {
  /** Sets (or adds) the tag to the value of a CEL `expression`, e.g. `request.host`. */
  public static upsert(expression: string): TagOverride {
    return new TagOverride({ operation: 'UPSERT', value: expression }, expression);
  }

  /** Removes the tag (fewer time series). */
  public static remove(): TagOverride {
    return new TagOverride({ operation: 'REMOVE' }, undefined);
  }

  /** The override as the Telemetry API writes it. */
  public readonly spec: Readonly<Record<string, unknown>>;
  /** The CEL expression of an upsert. */
  public readonly expression?: string;

  private constructor(spec: Record<string, unknown>, expression: string | undefined) {
    this.spec = spec;
    this.expression = expression;
  }
}

/** Which side of a connection a setting applies to. */
export enum TelemetryMode {
  /** The client (outbound) and the server (inbound) side. */
  CLIENT_AND_SERVER = 'CLIENT_AND_SERVER',
  /** The client side only. */
  CLIENT = 'CLIENT',
  /** The server side only. */
  SERVER = 'SERVER',
}

/** Istio's standard metrics. */
export enum IstioMetric {
  /** Every standard metric. */
  ALL_METRICS = 'ALL_METRICS',
  /** `istio_requests_total`. */
  REQUEST_COUNT = 'REQUEST_COUNT',
  /** `istio_request_duration_milliseconds`. */
  REQUEST_DURATION = 'REQUEST_DURATION',
  /** `istio_request_bytes`. */
  REQUEST_SIZE = 'REQUEST_SIZE',
  /** `istio_response_bytes`. */
  RESPONSE_SIZE = 'RESPONSE_SIZE',
  /** `istio_tcp_connections_opened_total`. */
  TCP_OPENED_CONNECTIONS = 'TCP_OPENED_CONNECTIONS',
  /** `istio_tcp_connections_closed_total`. */
  TCP_CLOSED_CONNECTIONS = 'TCP_CLOSED_CONNECTIONS',
  /** `istio_tcp_sent_bytes_total`. */
  TCP_SENT_BYTES = 'TCP_SENT_BYTES',
  /** `istio_tcp_received_bytes_total`. */
  TCP_RECEIVED_BYTES = 'TCP_RECEIVED_BYTES',
  /** `istio_request_messages_total`. */
  GRPC_REQUEST_MESSAGES = 'GRPC_REQUEST_MESSAGES',
  /** `istio_response_messages_total`. */
  GRPC_RESPONSE_MESSAGES = 'GRPC_RESPONSE_MESSAGES',
}

/**
 * The extension providers of Istio's default MeshConfig (istio/istio 1.30
 * pkg/config/mesh/mesh.go `DefaultMeshConfig`): Prometheus metrics, Stackdriver, and Envoy's file
 * access log to stdout. No tracing provider is defined by default.
 */
export const DEFAULT_MESH_PROVIDERS: readonly string[] = ['prometheus', 'stackdriver', 'envoy'];
