import { validateManifests } from '../../lib/tools';
import { splitExperimental } from '../../lib/validation/experimental';

// HTTPRoute `rules[].retry` exists only in the Gateway API experimental channel (GEP-1731):
// https://gateway-api.sigs.k8s.io/reference/spec/#httprouteretry

function route(retry: unknown): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'ratings', namespace: 'shop' },
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: 'ratings', port: 9080 }],
      rules: [{ backendRefs: [{ name: 'ratings', port: 9080 }], retry }],
    },
  };
}

function errors(doc: unknown, channel?: 'standard' | 'experimental'): string[] {
  return validateManifests([doc], channel ? { gatewayApiChannel: channel } : {})
    .filter(d => d.severity === 'error').map(d => `${d.code} ${d.path}: ${d.message}`);
}

describe('Gateway API experimental channel', () => {
  test('standard channel (default): retry is an unknown field, as a standard-channel API server says', () => {
    expect(errors(route({ attempts: 2, codes: [503] }))).toEqual([
      expect.stringMatching(/^CI1002 spec.rules\[0\].retry: unknown field "retry"/),
    ]);
  });

  test('experimental channel: a well-formed retry is accepted', () => {
    expect(errors(route({ attempts: 2, codes: [502, 503], backoff: '100ms' }), 'experimental')).toEqual([]);
  });

  test('experimental channel: the retry block itself is checked', () => {
    expect(errors(route({ attempts: -1, codes: [200, 503], backoff: '1.5s', jitter: true }), 'experimental')).toEqual([
      'CI1020 spec.rules[0].retry.jitter: unknown field "jitter"; allowed fields: attempts, backoff, codes',
      'CI1020 spec.rules[0].retry.attempts: attempts must be a non-negative integer, got -1',
      'CI1020 spec.rules[0].retry.backoff: backoff must be a Gateway API duration matching ^([0-9]{1,5}(h|m|s|ms)){1,4}$, got "1.5s"',
      'CI1020 spec.rules[0].retry.codes[0]: codes[0] must be an HTTP status code 400..599, got 200',
    ]);
    expect(errors(route('3'), 'experimental')).toEqual(['CI1020 spec.rules[0].retry: retry must be an object with codes, attempts and backoff, got "3"']);
    expect(errors(route({ codes: 503 }), 'experimental')).toEqual(['CI1020 spec.rules[0].retry.codes: codes must be a list of HTTP status codes 400..599, got 503']);
  });

  test('experimental channel: the rest of the route is still validated against the standard schema', () => {
    const doc = route({ attempts: 1 });
    doc.spec.rules[0].backendRefs[0].weight = -1;
    expect(errors(doc, 'experimental')).toEqual([expect.stringMatching(/^CI1006 spec.rules\[0\].backendRefs\[0\].weight: /)]);
  });

  test('splitExperimental leaves documents without experimental fields untouched and never mutates its input', () => {
    const plain = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'a' }, spec: { rules: [{}] } };
    expect(splitExperimental(plain)).toEqual({ standard: plain, findings: [] });
    expect(splitExperimental(plain).standard).toBe(plain);
    const withRetry = route({ attempts: 1 });
    const { standard } = splitExperimental(withRetry);
    expect((standard as any).spec.rules[0]).toEqual({ backendRefs: [{ name: 'ratings', port: 9080 }] });
    expect(withRetry.spec.rules[0].retry).toEqual({ attempts: 1 });
  });
});
