import { Construct } from 'constructs';
import { resolveHost, serviceFqdn } from '../../lib/tools';
import { checkDnsName, isDnsName } from '../../lib/mesh/hosts';
import { testChart } from '../util';

describe('hosts', () => {
  test('serviceFqdn builds name.namespace.svc.cluster.local', () => {
    expect(serviceFqdn('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(serviceFqdn('reviews', 'shop', 'corp.local')).toBe('reviews.shop.svc.corp.local');
  });

  // istiod expands only dot-less short names, in the namespace of the referring object:
  // https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-hosts
  test('resolveHost expands short names in the referring namespace only', () => {
    expect(resolveHost('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(resolveHost('reviews.other', 'shop')).toBe('reviews.other');
    expect(resolveHost('reviews.shop.svc.cluster.local', 'x')).toBe('reviews.shop.svc.cluster.local');
    expect(resolveHost('*.example.com', 'shop')).toBe('*.example.com');
  });

  test('isDnsName requires two labels and allows a leading wildcard only when asked', () => {
    expect(isDnsName('api.stripe.com')).toBe(true);
    expect(isDnsName('localhost')).toBe(false);
    expect(isDnsName('API.stripe.com')).toBe(false);
    expect(isDnsName('*.stripe.com')).toBe(false);
    expect(isDnsName('*.stripe.com', { wildcard: true })).toBe(true);
    expect(isDnsName('api.*.com', { wildcard: true })).toBe(false);
    // An all-digit top-level label is an IP address, which istiod rejects as a host name.
    expect(isDnsName('10.0.0.1')).toBe(false);
    expect(isDnsName('a.0')).toBe(false);
    expect(isDnsName('a.b0')).toBe(true);
  });

  test('checkDnsName throws with the value and the rule', () => {
    const scope = new Construct(testChart().chart, 'ext');
    expect(checkDnsName(scope, 'host', 'api.stripe.com')).toBe('api.stripe.com');
    expect(() => checkDnsName(scope, 'host', 'stripe'))
      .toThrow('Construct test/ext: host must be a lowercase DNS name with at least one dot and no wildcard (e.g. "api.example.com"), got "stripe"');
  });
});

test('checkDnsName explains an all-digit top-level domain', () => {
  const scope = new Construct(testChart().chart, 'ext');
  expect(() => checkDnsName(scope, 'host', '10.0.0.1'))
    .toThrow('Construct test/ext: host must be a DNS name whose top-level domain is not all digits (Istio rejects it; an IP address is not a host: use a ServiceEntry with addresses), got "10.0.0.1"');
});
