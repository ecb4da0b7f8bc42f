/**
 * An object a policy attaches to with `targetRefs`, in the policy's own namespace: a Service or
 * ServiceEntry (its waypoint applies the policy) or a Gateway API Gateway (the gateway's proxies).
 *
 * @see https://istio.io/latest/docs/reference/config/type/workload-selector/#PolicyTargetReference
 */
export class PolicyTarget {
  /** A Service: applied by the waypoint the Service is bound to (ambient). */
  public static service(name: string): PolicyTarget {
    return new PolicyTarget('', 'Service', name);
  }

  /** A ServiceEntry: applied by the waypoint it is bound to (ambient). */
  public static serviceEntry(name: string): PolicyTarget {
    return new PolicyTarget('networking.istio.io', 'ServiceEntry', name);
  }

  /** A Gateway API Gateway (an ingress gateway, or a waypoint): applied by its proxies. */
  public static gateway(name: string): PolicyTarget {
    return new PolicyTarget('gateway.networking.k8s.io', 'Gateway', name);
  }

  /** API group ('' for core). */
  public readonly group: string;
  /** Kind. */
  public readonly kind: string;
  /** Name, in the policy's namespace. */
  public readonly name: string;

  private constructor(group: string, kind: string, name: string) {
    this.group = group;
    this.kind = kind;
    this.name = name;
  }
}
