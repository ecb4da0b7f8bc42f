import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { validateSchema } from '../../lib/validation/schema';
import * as compile from '../../lib/validation/schema/compile';
import { allCrds, findCrdsDir } from '../../lib/validation/schema/crds';

// Tier 1 on real CRDs from crds/: one behaviour per test, exact code, path and message.

/** The findings of validateSchema as [code, path, message] triples. */
function check(doc: unknown): Array<[string, string, string]> {
  return validateSchema(doc).map(d => [d.code, d.path, d.message]);
}

function vs(spec: unknown): unknown {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' }, spec };
}

function dr(spec: unknown): unknown {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'shop' }, spec };
}

function route(spec: unknown): unknown {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'shop' }, spec };
}

function gateway(spec: unknown): unknown {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' }, spec };
}

const HOST = 'reviews.shop.svc.cluster.local';

describe('validateSchema: clean documents', () => {
  test('a typical VirtualService has no findings', () => {
    // GIVEN a canary split with a timeout and retries
    const doc = vs({
      hosts: [HOST],
      http: [{
        route: [{ destination: { host: HOST, subset: 'v1' }, weight: 90 }, { destination: { host: HOST, subset: 'v2' }, weight: 10 }],
        timeout: '2s',
        retries: { attempts: 2, perTryTimeout: '500ms', retryOn: '5xx' },
      }],
    });
    // THEN
    expect(check(doc)).toEqual([]);
  });

  test('a kind that crds/ does not define gets only the metadata checks', () => {
    const doc = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'reviews' }, spec: { anything: true } };
    expect(check(doc)).toEqual([]);
  });
});

describe('validateSchema: strict field validation', () => {
  test('an unknown field is an error naming the field and the allowed ones', () => {
    const doc = dr({ host: HOST, trafficPolicy: { tls: { mode: 'SIMPLE', snii: 'x' } } });
    expect(check(doc)).toEqual([['CI1002', 'spec.trafficPolicy.tls.snii',
      'unknown field "snii"; allowed fields: caCertificates, caCrl, clientCertificate, credentialName, insecureSkipVerify, mode, privateKey, sni, subjectAltNames']]);
  });

  test('an unknown top-level field is an error', () => {
    const doc = { ...(dr({ host: HOST }) as object), specs: {} };
    expect(check(doc)).toEqual([['CI1002', 'specs', 'unknown field "specs"; allowed fields: spec, status']]);
  });

  test('fields under x-kubernetes-preserve-unknown-fields are accepted', () => {
    const doc = {
      apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'lua', namespace: 'shop' },
      spec: { configPatches: [{ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.lua', anything: { deep: [1, 2] } } } }] },
    };
    expect(check(doc)).toEqual([]);
  });

  test('status is not validated when it is a subresource (the API server resets it on create)', () => {
    const doc = { ...(dr({ host: HOST }) as object), status: { bogus: 1 } };
    expect(check(doc)).toEqual([]);
  });
});

describe('validateSchema: types and values', () => {
  test('a string where an integer is expected', () => {
    const doc = vs({ hosts: [HOST], http: [{ route: [{ destination: { host: HOST }, weight: '100' }] }] });
    expect(check(doc)).toEqual([['CI1003', 'spec.http[0].route[0].weight', 'must be of type integer, got string "100"']]);
  });

  test('a fraction where an integer is expected', () => {
    const doc = vs({ hosts: [HOST], http: [{ route: [{ destination: { host: HOST }, weight: 50.5 }] }] });
    expect(check(doc)).toEqual([['CI1003', 'spec.http[0].route[0].weight', 'must be of type integer, got number 50.5']]);
  });

  test('a null list item is a type error', () => {
    const doc = vs({ hosts: [HOST, null] });
    expect(check(doc)).toEqual([['CI1003', 'spec.hosts[1]', 'must be of type string, got null']]);
  });

  test('a null field that is not nullable is pruned, not rejected', () => {
    const doc = dr({ host: HOST, trafficPolicy: null });
    expect(check(doc)).toEqual([]);
  });

  test('a pruned null required field is reported as missing', () => {
    const doc = dr({ host: null });
    expect(check(doc)).toEqual([['CI1009', 'spec.host', 'required field "host" is missing']]);
  });

  test('an enum value must be one of the listed ones', () => {
    const doc = dr({ host: HOST, trafficPolicy: { loadBalancer: { simple: 'FASTEST' } } });
    expect(check(doc)).toEqual([['CI1004', 'spec.trafficPolicy.loadBalancer.simple',
      'unsupported value "FASTEST": supported values: "UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"']]);
  });

  test('a string must match the pattern', () => {
    const doc = route({ parentRefs: [{ name: 'gw' }], rules: [{ timeouts: { request: '1.5s' }, backendRefs: [{ name: 'reviews', port: 9080 }] }] });
    expect(check(doc)).toEqual([['CI1005', 'spec.rules[0].timeouts.request', '"1.5s" does not match the pattern ^([0-9]{1,5}(h|m|s|ms)){1,4}$']]);
  });

  test('a number below the minimum', () => {
    const doc = gateway({ gatewayClassName: 'istio', listeners: [{ name: 'web', port: 0, protocol: 'HTTP' }] });
    expect(check(doc)).toEqual([['CI1006', 'spec.listeners[0].port', '0 must be greater than or equal to 1']]);
  });

  test('a number above the maximum', () => {
    const doc = route({ parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'reviews', port: 9080, weight: 1000001 }] }] });
    expect(check(doc)).toEqual([['CI1006', 'spec.rules[0].backendRefs[0].weight', '1000001 must be less than or equal to 1000000']]);
  });

  test('a string longer than maxLength', () => {
    const doc = route({ parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'r'.repeat(254), port: 9080 }] }] });
    expect(check(doc)).toEqual([['CI1007', 'spec.rules[0].backendRefs[0].name', `"${'r'.repeat(199)}... (256 characters) must be at most 253 characters long, got 254`]]);
  });

  test('an empty string shorter than minLength', () => {
    const doc = gateway({ gatewayClassName: '', listeners: [{ name: 'web', port: 80, protocol: 'HTTP' }] });
    expect(check(doc)).toEqual([['CI1007', 'spec.gatewayClassName', '"" must be at least 1 characters long, got 0']]);
  });

  test('a list with more items than maxItems', () => {
    const parentRefs = Array.from({ length: 33 }, (_, i) => ({ name: `gw-${i}` }));
    const doc = route({ parentRefs });
    expect(check(doc)).toEqual([['CI1008', 'spec.parentRefs', 'must have at most 32 items, got 33']]);
  });

  test('a list with fewer items than minItems', () => {
    const doc = gateway({ gatewayClassName: 'istio', listeners: [] });
    expect(check(doc)).toEqual([['CI1008', 'spec.listeners', 'must have at least 1 item, got 0']]);
  });

  test('a required field is missing', () => {
    const doc = gateway({ listeners: [{ name: 'web', port: 80, protocol: 'HTTP' }] });
    expect(check(doc)).toEqual([['CI1009', 'spec.gatewayClassName', 'required field "gatewayClassName" is missing']]);
  });

  test('mutually exclusive fields (oneOf) both set', () => {
    const doc = dr({ host: HOST, trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user', useSourceIp: true } } } });
    expect(check(doc)).toEqual([['CI1011', 'spec.trafficPolicy.loadBalancer.consistentHash',
      'must validate one and only one schema (oneOf), matched 2: fields httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName are mutually exclusive, got httpHeaderName, useSourceIp']]);
  });

  test('a pruned null field does not count for oneOf (mutually exclusive fields)', () => {
    const doc = dr({ host: HOST, trafficPolicy: { loadBalancer: { simple: null, consistentHash: { useSourceIp: true } } } });
    expect(check(doc)).toEqual([]);
  });

  test('a duplicate key in a map list', () => {
    const doc = gateway({ gatewayClassName: 'istio', listeners: [
      { name: 'web', port: 80, protocol: 'HTTP', hostname: 'a.example.com' },
      { name: 'web', port: 80, protocol: 'HTTP', hostname: 'b.example.com' },
    ] });
    expect(check(doc)).toEqual([
      ['CI1010', 'spec.listeners[1]', 'duplicate entry with key name="web": keys of a map list must be unique'],
      ['CI1012', 'spec.listeners', 'Listener name must be unique within the Gateway'],
    ]);
  });

  test('a duplicate value in a set list', () => {
    const doc = route({ parentRefs: [{ name: 'gw' }], rules: [{ filters: [{ type: 'CORS', cors: { allowMethods: ['GET', 'GET'] } }] }] });
    expect(check(doc)).toEqual([['CI1010', 'spec.rules[0].filters[0].cors.allowMethods[1]', 'duplicate value "GET": entries of a set list must be unique']]);
  });
});

describe('validateSchema: versions', () => {
  test('a version that exists but is not served', () => {
    const doc = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'UDPRoute', metadata: { name: 'dns' }, spec: {} };
    expect(check(doc)).toEqual([['CI1014', 'apiVersion',
      'UDPRoute gateway.networking.k8s.io/v1alpha2 is not served; served versions: gateway.networking.k8s.io/v1']]);
  });

  test('a version that does not exist', () => {
    const doc = { apiVersion: 'networking.istio.io/v2', kind: 'VirtualService', metadata: { name: 'r' }, spec: {} };
    expect(check(doc)).toEqual([['CI1014', 'apiVersion',
      'VirtualService networking.istio.io/v2 is not a version of this kind; served versions: networking.istio.io/v1, networking.istio.io/v1alpha3, networking.istio.io/v1beta1']]);
  });

  test('an unknown kind in a group that crds/ defines (a typo)', () => {
    const doc = { apiVersion: 'security.istio.io/v1', kind: 'AuthorisationPolicy', metadata: { name: 'r' }, spec: {} };
    expect(check(doc)).toEqual([['CI1014', 'apiVersion',
      'no kind "AuthorisationPolicy" in security.istio.io; kinds of this group: AuthorizationPolicy, PeerAuthentication, RequestAuthentication']]);
  });

  test('an older served version validates against its own schema', () => {
    const doc = { apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: { name: 'r' }, spec: { hostt: HOST } };
    expect(check(doc).map(f => f.slice(0, 2))).toEqual([['CI1002', 'spec.hostt'], ['CI1009', 'spec.host']]);
  });

  test('apiVersion is required', () => {
    expect(check({ kind: 'VirtualService', metadata: { name: 'r' } })).toEqual([['CI1019', 'apiVersion', 'apiVersion is required']]);
  });

  test('kind is required', () => {
    expect(check({ apiVersion: 'v1', metadata: { name: 'r' } })).toEqual([['CI1019', 'kind', 'kind is required']]);
  });

  test('a manifest that is not an object', () => {
    expect(check(['a'])).toEqual([['CI1019', '', 'a manifest must be an object, got array']]);
  });
});

describe('validateSchema: defaults', () => {
  test('schema defaults are applied before CEL rules (backendRef kind defaults to Service, which needs a port)', () => {
    const doc = route({ parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'reviews' }] }] });
    expect(check(doc)).toEqual([['CI1012', 'spec.rules[0].backendRefs[0]', 'Must have port for Service reference']]);
  });

  test('an explicit non-Service kind does not need a port', () => {
    const doc = route({ parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'b' }] }] });
    expect(check(doc)).toEqual([]);
  });

  test('the input document is not mutated by defaulting', () => {
    const doc: any = route({ parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'reviews', port: 9080 }] }] });
    const before = JSON.stringify(doc);
    check(doc);
    expect(JSON.stringify(doc)).toEqual(before);
  });
});

describe('crds/ location', () => {
  test('found by walking up from a nested directory such as build/lib/validation/schema', () => {
    const nested = path.join(__dirname, '..', '..', 'build', 'lib', 'validation', 'schema');
    expect(findCrdsDir(nested)).toEqual(path.join(__dirname, '..', '..', 'crds'));
  });

  test('a directory with no crds/ above it is an error', () => {
    expect(() => findCrdsDir('/')).toThrow(/cannot find crds\/istio-1.30.3-crds.yaml above \//);
  });
});

describe('crds/ loading', () => {
  test('the per-version lazy parse gives the same versions, flags and schemas as a full YAML parse', () => {
    // GIVEN every CRD parsed in full with the yaml library
    const dir = findCrdsDir();
    const full = new Map<string, any>();
    for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
      for (const d of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
        const crd = d.toJS();
        if (crd?.kind === 'CustomResourceDefinition') full.set(`${crd.spec.group}/${crd.spec.names.kind}`, crd);
      }
    }
    // WHEN the validator loads them
    const loaded = allCrds();
    // THEN
    const summary = (group: string, kind: string, scope: string, versions: Array<[string, boolean, boolean, unknown]>) =>
      JSON.stringify({ group, kind, scope, versions });
    expect(loaded.map(c => summary(c.group, c.kind, c.scope,
      [...c.versions.values()].map(v => [v.name, v.served, v.statusSubresource, v.schema])))).toEqual(
      [...full.values()].filter(crd => loaded.some(c => c.kind === crd.spec.names.kind && c.group === crd.spec.group))
        .map(crd => summary(crd.spec.group, crd.spec.names.kind, crd.spec.scope,
          crd.spec.versions.map((v: any) => [v.name, v.served, v.subresources?.status !== undefined, v.schema.openAPIV3Schema]))));
    expect(loaded.length).toEqual(full.size);
  });
});

describe('compilation', () => {
  test('a kind\'s schema is compiled on first use and reused', () => {
    // GIVEN a kind that no other test in this file validates
    const spy = jest.spyOn(compile, 'compileSchema');
    const doc = { apiVersion: 'networking.istio.io/v1beta1', kind: 'ProxyConfig', metadata: { name: 'p', namespace: 'shop' }, spec: { concurrency: 2 } };
    // WHEN it is validated three times
    const results = [check(doc), check(doc), check(doc)];
    // THEN the schema was compiled once and every result is clean
    expect(spy).toHaveBeenCalledTimes(1);
    expect(results).toEqual([[], [], []]);
    spy.mockRestore();
  });
});
