import { isIP } from 'node:net';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Identity } from './identity';
import { checkDns1123Label, checkDns1123Subdomain, checkInteger } from './mesh/checks';
import { MeshError } from './mesh/errors';
import { lazy } from './mesh/lazy';
import { chartNamespace, ServiceTarget } from './mesh/service-target';
import { isDnsName, serviceFqdn } from './mesh/hosts';
import { checkLabelKey, checkLabelValue } from './traffic/options';
import { checkWorkloadPorts, WorkloadPort } from './workloads/ports';
import { VmInstanceIntent, VmIntent, vmServiceEntrySpec, workloadEntrySpec, workloadGroupSpec } from './workloads/render';

/** A port a VM serves. */
export interface VmPort {
  /**
   * Port name, `<protocol>[-<suffix>]` (`tcp-postgres`, `http-api`): Istio selects the protocol
   * from the prefix unless `appProtocol` is set. Trap: without either Istio sniffs the protocol,
   * which breaks server-first protocols (Postgres, MySQL).
   */
  readonly name: string;
  /** The service port callers use (`legacy-db.db.svc.cluster.local:5432`). */
  readonly port: number;
  /**
   * The port the VM listens on.
   *
   * @default - the same as `port`
   */
  readonly targetPort?: number;
  /**
   * The protocol (`tcp`, `http`, `grpc`, ...), when the name has no protocol prefix.
   *
   * @default - taken from the name's prefix
   */
  readonly appProtocol?: string;
}

/** One VM registered statically (a WorkloadEntry). */
export interface VmInstance {
  /** IP address or DNS name of the VM. */
  readonly address: string;
  /**
   * Network of the VM when it is not reachable from the cluster's pods directly (multi-network).
   *
   * @default - the VmWorkload's `network`
   */
  readonly network?: string;
  /**
   * Extra labels of this instance (e.g. `version: v2` for a canary), on top of the workload's.
   *
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Locality `region/zone/subzone` for locality-aware load balancing.
   *
   * @default - none
   */
  readonly locality?: string;
  /**
   * Load-balancing weight among the instances (1..4294967295).
   *
   * @default - equal weights
   */
  readonly weight?: number;
}

/** Props of a `VmWorkload`. */
export interface VmWorkloadProps {
  /** Name of the workload and of its service host (`<name>.<namespace>.svc.cluster.local`). */
  readonly name: string;
  /**
   * Namespace of the WorkloadEntries/WorkloadGroup and the ServiceEntry.
   *
   * @default - the namespace of the enclosing Chart
   */
  readonly namespace?: string;
  /** Service account the VM's proxy runs as: its mesh identity (`<trust domain>/ns/<ns>/sa/<sa>`). */
  readonly serviceAccount: string;
  /**
   * Labels of the workload; the ServiceEntry selects them. `app` must equal `name`, since other
   * constructs select a service's workloads by `app: <name>`.
   *
   * @default { app: name }
   */
  readonly labels?: Record<string, string>;
  /** The ports the VM serves (at least one); the first is the default `port` of the target. */
  readonly ports: VmPort[];
  /**
   * Static VMs, one WorkloadEntry each. Without instances the construct emits a WorkloadGroup and
   * VMs register themselves (auto-registration, `istioctl x workload entry configure`).
   *
   * @default - none: a WorkloadGroup for auto-registration
   */
  readonly instances?: VmInstance[];
  /**
   * Network of the VMs (multi-network meshes).
   *
   * @default - the cluster's network
   */
  readonly network?: string;
  /**
   * Emit a ServiceEntry (`MESH_INTERNAL`, `workloadSelector`) that makes the VMs callable as
   * `<name>.<namespace>.svc.cluster.local`. Set false when a Kubernetes Service of that name
   * selects the VMs instead.
   *
   * @default true
   */
  readonly service?: boolean;
}

/**
 * A workload outside Kubernetes (a VM) in the mesh: static WorkloadEntries or a WorkloadGroup for
 * auto-registration, and a MESH_INTERNAL ServiceEntry that gives it a cluster service name. It is a
 * `ServiceTarget` (for `CanaryRoute`, `ResilientService`, `ZeroTrustNamespace.allow({ to })`) and
 * its `identity` is a caller in `allow({ from })`.
 *
 * @see https://istio.io/latest/docs/setup/install/virtual-machine/
 */
export class VmWorkload extends Construct {
  /** Name of the workload and its service. */
  public readonly name: string;
  /** Namespace of the workload. */
  public readonly namespace: string;
  /** The first port: the port used where the VM is a `ServiceTarget`. */
  public readonly port: number;
  /** The service host, `<name>.<namespace>.svc.cluster.local`. */
  public readonly host: string;
  /** The VM's mesh identity (its service account), for `ZeroTrustNamespace.allow({ from })`. */
  public readonly identity: Identity;
  /** The checked ports, with the protocol Istio selects for each. */
  public readonly ports: WorkloadPort[];
  /** The workload labels (including `app`). */
  public readonly labels: Readonly<Record<string, string>>;
  /** One WorkloadEntry per static instance. */
  public readonly workloadEntries: ApiObject[];
  /** The WorkloadGroup, when VMs auto-register (no `instances`). */
  public readonly workloadGroup?: ApiObject;
  /** The ServiceEntry, unless `service: false`. */
  public readonly serviceEntry?: ApiObject;

  public constructor(scope: Construct, id: string, props: VmWorkloadProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      throw MeshError.invalid(this, 'props', props, 'an object { name, serviceAccount, ports, ... }');
    }
    this.name = checkDns1123Label(this, 'name', props.name);
    const ns = props.namespace ?? chartNamespace(this);
    if (ns === undefined) {
      throw MeshError.invalid(this, 'namespace', undefined, 'set on the VmWorkload or on the enclosing Chart');
    }
    this.namespace = checkDns1123Label(this, 'namespace', ns);
    const serviceAccount = checkDns1123Subdomain(this, 'serviceAccount', props.serviceAccount);
    this.labels = this.checkLabels(props.labels);
    this.ports = checkWorkloadPorts(this, 'ports', props.ports);
    this.port = this.ports[0].port;
    this.host = serviceFqdn(this.name, this.namespace);
    this.identity = Identity.serviceAccount(this.namespace, serviceAccount);
    const network = props.network === undefined ? undefined : checkLabelValue(this, 'network', props.network);
    const intent: VmIntent = { name: this.name, namespace: this.namespace, serviceAccount, labels: this.labels, ports: this.ports, network, host: this.host };
    const instances = this.checkInstances(props.instances);
    const metadata = (name: string) => ({ name, namespace: this.namespace });

    this.workloadEntries = instances.map((inst, i) => new ApiObject(this, `WorkloadEntry${i + 1}`, {
      apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
      metadata: metadata(instances.length === 1 ? this.name : `${this.name}-${i + 1}`),
      spec: lazy(() => workloadEntrySpec(intent, inst)),
    }));
    if (instances.length === 0) {
      this.workloadGroup = new ApiObject(this, 'WorkloadGroup', {
        apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', metadata: metadata(this.name),
        spec: lazy(() => workloadGroupSpec(intent)),
      });
    }
    if (props.service !== undefined && typeof props.service !== 'boolean') {
      throw MeshError.invalid(this, 'service', props.service, 'true or false');
    }
    if (props.service !== false) {
      const dns = instances.some(inst => isIP(inst.address) === 0);
      this.serviceEntry = new ApiObject(this, 'ServiceEntry', {
        apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: metadata(this.name),
        spec: lazy(() => vmServiceEntrySpec(intent, dns)),
      });
    }
  }

  /** This VM's service at another of its ports, e.g. `vm.target('http-admin')`. */
  public target(portName: string): ServiceTarget {
    const p = this.ports.find(x => x.name === portName);
    if (!p) throw MeshError.invalid(this, 'target()', portName, `one of the port names ${this.ports.map(x => JSON.stringify(x.name)).join(', ')}`);
    return { name: this.name, namespace: this.namespace, port: p.port };
  }

  private checkLabels(value: Record<string, string> | undefined): Record<string, string> {
    if (value === undefined) return { app: this.name };
    if (value === null || typeof value !== 'object') throw MeshError.invalid(this, 'labels', value, 'a map of Kubernetes labels');
    for (const [k, v] of Object.entries(value)) {
      checkLabelKey(this, `labels key ${JSON.stringify(k)}`, k);
      checkLabelValue(this, `labels.${k}`, v);
    }
    if (value.app !== undefined && value.app !== this.name) {
      throw MeshError.invalid(this, 'labels.app', value.app,
        `"${this.name}" (the name): ZeroTrustNamespace.allow({ to }) and CanaryRoute select a service's workloads by app = its name`);
    }
    return { app: this.name, ...value };
  }

  private checkInstances(value: VmInstance[] | undefined): VmInstanceIntent[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length === 0) {
      throw MeshError.invalid(this, 'instances', value, 'a non-empty list of { address, network?, labels? } (omit it for auto-registration)');
    }
    const seen = new Set<string>();
    return value.map((inst, i) => {
      const at = `instances[${i}]`;
      if (inst === null || typeof inst !== 'object') throw MeshError.invalid(this, at, inst, 'an instance { address, network?, labels? }');
      const address = inst.address;
      if (typeof address !== 'string' || (isIP(address) === 0 && !isDnsName(address))) {
        throw MeshError.invalid(this, `${at}.address`, address, 'an IPv4 or IPv6 address, or a DNS name (e.g. "db1.vm.example.com")');
      }
      if (seen.has(address)) throw MeshError.invalid(this, `${at}.address`, address, 'unique among the instances');
      seen.add(address);
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(inst.labels ?? {})) {
        checkLabelKey(this, `${at}.labels key ${JSON.stringify(k)}`, k);
        labels[k] = checkLabelValue(this, `${at}.labels.${k}`, v);
      }
      if (labels.app !== undefined && labels.app !== this.name) {
        throw MeshError.invalid(this, `${at}.labels.app`, labels.app, `"${this.name}" (the name) or unset`);
      }
      if (inst.locality !== undefined && (typeof inst.locality !== 'string' || !/^[^/]+(\/[^/]+){0,2}$/.test(inst.locality))) {
        throw MeshError.invalid(this, `${at}.locality`, inst.locality, '"region", "region/zone" or "region/zone/subzone"');
      }
      return {
        address,
        labels,
        ...(inst.network !== undefined ? { network: checkLabelValue(this, `${at}.network`, inst.network) } : {}),
        ...(inst.locality !== undefined ? { locality: inst.locality } : {}),
        ...(inst.weight !== undefined ? { weight: checkInteger(this, `${at}.weight`, inst.weight, 1, 4294967295) } : {}),
      };
    });
  }
}
