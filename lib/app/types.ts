import { IConstruct } from 'constructs';
import { GatewayApiChannel } from '../validation/options';

/**
 * A host that workloads of a namespace call outside their own namespace: an external API
 * (registered by `ExternalApi`) or a namespace that admits them (`ZeroTrustNamespace.allow()`,
 * host `*`).
 */
export interface ExternalHost {
  /** The DNS name, e.g. `api.stripe.com`, or `*` for every host of `namespace`. */
  readonly host: string;
  /** Namespace of the ServiceEntry (and of the egress gateway objects, if any). */
  readonly namespace: string;
  /** The construct that declared it. */
  readonly construct: IConstruct;
}

/** A warning (or informational note) raised by a construct. */
export interface MeshWarning {
  /** Construct path the warning is about. */
  readonly path: string;
  /** The warning, starting with the construct type and path. */
  readonly message: string;
}

/** The App-wide settings, set through `MeshContext.of(app)` (the one place that sets them). */
export interface AppSettings {
  validate: boolean;
  strict: boolean;
  gatewayApiChannel: GatewayApiChannel;
  rootNamespace: string;
}
