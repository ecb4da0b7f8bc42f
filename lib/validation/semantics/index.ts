import { Diagnostic } from '../diagnostic';
import { validateAuthorizationPolicy } from './authorization-policy';
import { checkDryRun } from './common';
import { Findings, obj, str } from './context';
import { validateDestinationRule } from './destination-rule';
import { validateEnvoyFilter } from './envoy-filter';
import { validateProxyConfig, validateWasmPlugin } from './extensions';
import { validateGateway } from './gateway';
import { validatePeerAuthentication } from './peer-authentication';
import { validateRequestAuthentication } from './request-authentication';
import { validateServiceEntry } from './service-entry';
import { validateSidecar } from './sidecar';
import { validateTelemetry } from './telemetry';
import { validateVirtualService } from './virtual-service';
import { validateWorkloadEntry, validateWorkloadGroup } from './workload-entry';

type KindValidator = (f: Findings, spec: Record<string, any>) => void;

/** Validators per `group/kind`; every served version of the group is checked the same way. */
const VALIDATORS: Record<string, KindValidator> = {
  'networking.istio.io/VirtualService': validateVirtualService,
  'networking.istio.io/DestinationRule': validateDestinationRule,
  'networking.istio.io/ServiceEntry': validateServiceEntry,
  'networking.istio.io/Sidecar': validateSidecar,
  'networking.istio.io/Gateway': validateGateway,
  'security.istio.io/AuthorizationPolicy': validateAuthorizationPolicy,
  'security.istio.io/PeerAuthentication': validatePeerAuthentication,
  'security.istio.io/RequestAuthentication': validateRequestAuthentication,
  'networking.istio.io/EnvoyFilter': validateEnvoyFilter,
  'networking.istio.io/WorkloadEntry': validateWorkloadEntry,
  'networking.istio.io/WorkloadGroup': validateWorkloadGroup,
  'networking.istio.io/ProxyConfig': validateProxyConfig,
  'telemetry.istio.io/Telemetry': validateTelemetry,
  'extensions.istio.io/WasmPlugin': validateWasmPlugin,
};

/**
 * Tier 2: istiod's admission-webhook rules for one document (what the CRD schema does not check).
 * Codes CI2xxx, see docs/diagnostic-codes.md. Documents of other kinds get no findings.
 */
export function validateSemantics(doc: unknown): Diagnostic[] {
  const d = obj(doc);
  if (!d) return [];
  const apiVersion = str(d.apiVersion) ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = str(d.kind) ?? '';
  const validate = VALIDATORS[`${group}/${kind}`];
  if (!validate) return [];
  const f = new Findings(d);
  const spec = obj(d.spec) ?? {};
  if (group.endsWith('istio.io')) checkDryRun(f, kind, spec);
  validate(f, spec);
  return f.list;
}
