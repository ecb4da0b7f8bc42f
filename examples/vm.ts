import { Chart } from 'cdk8s';
import { Identity, VmWorkload, ZeroTrustNamespace } from '../lib';

/**
 * `legacy-db`, a Postgres VM outside Kubernetes, in namespace `db`: one static WorkloadEntry and a
 * ServiceEntry that makes it `legacy-db.db.svc.cluster.local:5432`. Only shop's `ratings` may call it.
 */
export function addLegacyDb(db: Chart): VmWorkload {
  const legacyDb = new VmWorkload(db, 'legacy-db', {
    name: 'legacy-db',
    namespace: 'db',
    serviceAccount: 'legacy-db',
    ports: [{ name: 'tcp-postgres', port: 5432 }],
    instances: [{ address: '10.0.0.12' }],
  });
  const ns = new ZeroTrustNamespace(db, 'zero-trust', { name: 'db' });
  ns.allow({ from: [Identity.serviceAccount('shop', 'ratings')], to: legacyDb, ports: [5432] });
  return legacyDb;
}
