import { GraphContext } from './support/context';
import { arr, GK, Obj, serviceOfHost } from './support/model';
import { VisibleHostIndex } from './support/visible-hosts';
import { vsDestinations } from './support/virtual-service';
import { Code } from '../codes';

function servicePorts(svc: Obj): number[] {
  return arr(svc.spec.ports).map(p => p?.port).filter((n): n is number => typeof n === 'number');
}

function serviceEntryPorts(se: Obj): number[] {
  return arr(se.spec.ports).map(p => p?.number).filter((n): n is number => typeof n === 'number');
}

/**
 * IST0101: a VirtualService routes to a host that is neither a Service nor a ServiceEntry host of
 * the set, or to a port the Service does not expose.
 * IST0112: a destination without `port` to a Service or ServiceEntry that exposes several ports.
 *
 * A cluster host (`name.ns.svc.cluster.local`) is checked when the set holds Services of that
 * namespace; any other host when the set holds ServiceEntries of the VirtualService's namespace;
 * otherwise the finding is `info`.
 */
export function analyzeVsDestinations(ctx: GraphContext): void {
  const entries = new VisibleHostIndex(ctx.index.serviceEntryHosts, o => ctx.index.visibilityOf(o));
  for (const vs of ctx.index.all(GK.virtualService)) {
    for (const d of vsDestinations(vs)) {
      const what = d.mirror ? 'mirror host' : 'host';
      let ports: number[] | undefined;
      const svcRef = serviceOfHost(d.fqdn);
      const svc = svcRef && ctx.index.find(GK.service, svcRef.namespace, svcRef.name);
      if (svc) {
        ports = servicePorts(svc);
      } else {
        const entry = entries.first(d.fqdn, vs.ns);
        if (entry) {
          ports = serviceEntryPorts(entry);
        } else {
          const text = `Referenced ${what} not found: "${d.host}" (no Service or ServiceEntry for ${d.fqdn})`;
          if (svcRef) ctx.unresolved(vs, Code.IST0101, GK.service, svcRef.namespace, svcRef.name, `${d.path}.host`, text);
          else ctx.missing(vs, Code.IST0101, ctx.index.hasIn(GK.serviceEntry, vs.ns), `${d.path}.host`, text);
          continue;
        }
      }
      if (d.port === undefined) {
        if (ports.length > 1) {
          ctx.report(vs, Code.IST0112, 'error', d.path,
            `destination "${d.host}" exposes ports ${ports.join(', ')}: set port.number to say which one to route to`);
        }
      } else if (ports.length > 0 && !ports.includes(d.port)) {
        ctx.report(vs, Code.IST0101, 'error', `${d.path}.port.number`,
          `Referenced ${what}:port not found: "${d.host}:${d.port}" (exposed ports: ${ports.join(', ')})`);
      }
    }
  }
}
