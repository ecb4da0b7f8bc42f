import { WorkloadPort } from './ports';

// Pure renderers of the objects that put a workload outside Kubernetes (a VM) into the mesh:
// WorkloadEntry, WorkloadGroup, and the MESH_INTERNAL ServiceEntry that fronts them.
// https://istio.io/latest/docs/reference/config/networking/workload-entry/
// https://istio.io/latest/docs/reference/config/networking/workload-group/

/** The checked intent of a VmWorkload. */
export interface VmIntent {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly WorkloadPort[];
  readonly network?: string;
  readonly host: string;
}

/** One static instance of a VM. */
export interface VmInstanceIntent {
  readonly address: string;
  readonly network?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly locality?: string;
  readonly weight?: number;
}

/** The spec of one static WorkloadEntry. */
export function workloadEntrySpec(vm: VmIntent, instance: VmInstanceIntent): Record<string, unknown> {
  const network = instance.network ?? vm.network;
  return {
    address: instance.address,
    labels: { ...vm.labels, ...instance.labels },
    serviceAccount: vm.serviceAccount,
    ...(network !== undefined ? { network } : {}),
    ...(instance.locality !== undefined ? { locality: instance.locality } : {}),
    ...(instance.weight !== undefined ? { weight: instance.weight } : {}),
  };
}

/** The spec of the WorkloadGroup that VMs auto-register into (`istioctl x workload entry configure`). */
export function workloadGroupSpec(vm: VmIntent): Record<string, unknown> {
  return {
    metadata: { labels: { ...vm.labels } },
    template: {
      serviceAccount: vm.serviceAccount,
      ...(vm.network !== undefined ? { network: vm.network } : {}),
    },
  };
}

/**
 * The ServiceEntry that makes the VM callable as `<name>.<namespace>.svc.<domain>`: MESH_INTERNAL
 * (mTLS, in-mesh identity), endpoints selected from the WorkloadEntries by `workloadSelector`;
 * a `targetPort` applies to every entry (the WorkloadEntries carry no `ports` map).
 * Resolution STATIC for IP addresses and auto-registered VMs; DNS when an instance is addressed
 * by a DNS name (Envoy then resolves it).
 */
export function vmServiceEntrySpec(vm: VmIntent, dnsAddresses: boolean): Record<string, unknown> {
  return {
    hosts: [vm.host],
    location: 'MESH_INTERNAL',
    ports: vm.ports.map(p => ({ number: p.port, name: p.name, protocol: p.protocol, ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}) })),
    resolution: dnsAddresses ? 'DNS' : 'STATIC',
    workloadSelector: { labels: { ...vm.labels } },
  };
}
