import { validateSchema } from '../../lib/validation/schema';

// ObjectMeta checks that apply to every kind (lib/validation/schema/metadata.ts).

function check(doc: unknown): Array<[string, string, string]> {
  return validateSchema(doc).map(d => [d.code, d.path, d.message]);
}

function peer(metadata: unknown): unknown {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata, spec: { mtls: { mode: 'STRICT' } } };
}

describe('metadata.name', () => {
  test('is required', () => {
    expect(check(peer({ namespace: 'shop' }))).toEqual([['CI1001', 'metadata.name', 'metadata.name is required']]);
  });

  test('must be a string (YAML reads an unquoted 1234 as a number)', () => {
    expect(check(peer({ name: 1234 }))).toEqual([['CI1001', 'metadata.name', 'metadata.name must be a string, got 1234 (quote it in YAML)']]);
  });

  test('must be a DNS-1123 subdomain for custom resources', () => {
    expect(check(peer({ name: 'Default' }))).toEqual([['CI1001', 'metadata.name',
      'metadata.name "Default" must be a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters)']]);
  });

  test('may contain dots for custom resources', () => {
    expect(check(peer({ name: 'default.v2' }))).toEqual([]);
  });

  test('must be a DNS-1123 label for a Namespace (no dots)', () => {
    expect(check({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop.v2' } })).toEqual([['CI1001', 'metadata.name',
      'metadata.name "shop.v2" must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)']]);
  });

  test('must be a DNS-1035 label for a Service (starts with a letter)', () => {
    expect(check({ apiVersion: 'v1', kind: 'Service', metadata: { name: '9reviews' } })).toEqual([['CI1001', 'metadata.name',
      'metadata.name "9reviews" must be a DNS-1035 label (lowercase letters, digits and \'-\', starting with a letter, ending with a letter or digit, at most 63 characters)']]);
  });

  test('a ServiceAccount name may start with a digit (DNS-1123 subdomain)', () => {
    expect(check({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: '9reviews' } })).toEqual([]);
  });
});

describe('metadata.namespace', () => {
  test('must be a DNS-1123 label', () => {
    expect(check(peer({ name: 'default', namespace: 'shop_v2' }))).toEqual([['CI1017', 'metadata.namespace',
      'metadata.namespace "shop_v2" must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)']]);
  });

  test('is ignored for a cluster-scoped custom resource (the API server clears it)', () => {
    const doc = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio', namespace: 'Not_Valid' },
      spec: { controllerName: 'istio.io/gateway-controller' } };
    expect(check(doc)).toEqual([]);
  });

  test('is ignored for a Namespace', () => {
    expect(check({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'Not_Valid' } })).toEqual([]);
  });
});

describe('labels', () => {
  test('a key with two slashes is invalid', () => {
    expect(check(peer({ name: 'default', labels: { 'a/b/c': 'x' } }))).toEqual([['CI1015', 'metadata.labels["a/b/c"]',
      'label key "a/b/c" is invalid: name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character']]);
  });

  test('a key prefix must be a DNS subdomain', () => {
    expect(check(peer({ name: 'default', labels: { 'Example.com/app': 'x' } }))).toEqual([['CI1015', 'metadata.labels["Example.com/app"]',
      'label key "Example.com/app" is invalid: prefix part "Example.com" must be a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters)']]);
  });

  test('a key name part longer than 63 characters is invalid', () => {
    const key = `example.com/${'a'.repeat(64)}`;
    expect(check(peer({ name: 'default', labels: { [key]: 'x' } }))).toEqual([['CI1015', `metadata.labels["${key}"]`,
      `label key "${key}" is invalid: name part must be no more than 63 characters, got 64`]]);
  });

  test('a value longer than 63 characters is invalid', () => {
    const value = 'v'.repeat(64);
    expect(check(peer({ name: 'default', labels: { app: value } }))).toEqual([['CI1015', 'metadata.labels["app"]',
      `label value "${value}" is invalid: must be no more than 63 characters, got 64`]]);
  });

  test('a value with a space is invalid', () => {
    expect(check(peer({ name: 'default', labels: { app: 'my app' } }))).toEqual([['CI1015', 'metadata.labels["app"]',
      'label value "my app" is invalid: must be empty or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character']]);
  });

  test('an empty value is valid', () => {
    expect(check(peer({ name: 'default', labels: { 'istio.io/rev': '' } }))).toEqual([]);
  });

  test('a non-string value is invalid', () => {
    expect(check(peer({ name: 'default', labels: { version: 2 } }))).toEqual([['CI1015', 'metadata.labels["version"]',
      'label "version" must have a string value, got 2']]);
  });
});

describe('annotations', () => {
  test('keys are checked lower-cased, so an upper-case prefix is valid', () => {
    expect(check(peer({ name: 'default', annotations: { 'Example.COM/Owner': 'team' } }))).toEqual([]);
  });

  test('a key with a space is invalid', () => {
    expect(check(peer({ name: 'default', annotations: { 'my note': 'x' } }))).toEqual([['CI1016', 'metadata.annotations["my note"]',
      'annotation key "my note" is invalid: name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character']]);
  });

  test('more than 256 KiB of annotations is invalid', () => {
    const annotations = { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(60 * 1024) };
    expect(check(peer({ name: 'default', annotations }))).toEqual([['CI1016', 'metadata.annotations',
      'annotations are 266242 bytes, must have at most 262144 bytes']]);
  });
});

describe('unknown metadata fields', () => {
  test('are errors with strict field validation', () => {
    expect(check(peer({ name: 'default', label: { app: 'x' } }))).toEqual([['CI1002', 'metadata.label', 'unknown field "label" in metadata']]);
  });
});
