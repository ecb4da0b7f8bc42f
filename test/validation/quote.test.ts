import { validateManifests } from '../../lib/validation';
import { quote, QUOTE_LIMIT } from '../../lib/validation/quote';

// Messages quote at most QUOTE_LIMIT (200) characters of a value, in every tier.

describe('quote', () => {
  test('short values are their JSON', () => {
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(quote({ a: 1 })).toBe('{"a":1}');
    expect(quote(undefined)).toBe('undefined');
  });

  test('a long value is cut at 200 characters and says how long it was', () => {
    const s = 'x'.repeat(500);
    expect(QUOTE_LIMIT).toBe(200);
    expect(quote(s)).toBe(`"${'x'.repeat(199)}... (502 characters)`);
  });
});

describe('the cap holds in the schema and semantics tiers', () => {
  const long = `${'a'.repeat(300)}.example.com`;
  test('schema (CI1004 enum) and semantics (CI2010 host) quote the same 200 characters', () => {
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'shop' }, spec: { hosts: [`${long}*`], http: [{ route: [{ destination: { host: 'r' } }] }] } };
    const pa = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p', namespace: 'shop' }, spec: { mtls: { mode: long } } };
    const messages = validateManifests([vs, pa]).map(d => `${d.code} ${d.message}`);
    expect(messages.filter(m => m.startsWith('CI2010') || m.startsWith('CI1004'))).toEqual([
      `CI2010 invalid host: domain name "${'a'.repeat(199)}... (315 characters) is too long (at most 255 characters)`,
      `CI1004 unsupported value "${'a'.repeat(199)}... (314 characters): supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"`,
    ]);
  });
});
