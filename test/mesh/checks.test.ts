import { Construct } from 'constructs';
import { MeshError } from '../../lib';
import { checkDns1123Label, checkDns1123Subdomain, checkInteger, checkPercent, checkPort, isDns1123Label } from '../../lib/mesh/checks';
import { testChart } from '../util';

function scope(): Construct {
  return new Construct(testChart().chart, 'thing');
}

describe('checkPort', () => {
  test.each([1, 80, 65535])('accepts %d', port => {
    expect(checkPort(scope(), 'service.port', port)).toBe(port);
  });

  test.each([0, 70000, -1, 80.5])('rejects %d with the path, the value and the range', port => {
    expect(() => checkPort(scope(), 'service.port', port)).toThrow(MeshError);
    expect(() => checkPort(scope(), 'service.port', port))
      .toThrow(`Construct test/thing: service.port must be an integer 1..65535, got ${port}`);
  });

  test('rejects a string port', () => {
    expect(() => checkPort(scope(), 'port', '80' as any)).toThrow('port must be an integer 1..65535, got "80"');
  });
});

describe('DNS-1123 names', () => {
  test.each(['reviews', 'a', 'reviews-v2', '0abc', 'a'.repeat(63)])('label %s is valid', name => {
    expect(isDns1123Label(name)).toBe(true);
    expect(checkDns1123Label(scope(), 'name', name)).toBe(name);
  });

  test.each(['Reviews', '-a', 'a-', 'a_b', '', 'a.b', 'a'.repeat(64)])('label %j is rejected', name => {
    expect(() => checkDns1123Label(scope(), 'service.name', name))
      .toThrow(`Construct test/thing: service.name must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got ${JSON.stringify(name)}`);
  });

  test('subdomains allow dots but not uppercase', () => {
    expect(checkDns1123Subdomain(scope(), 'name', 'my.policy-1')).toBe('my.policy-1');
    expect(() => checkDns1123Subdomain(scope(), 'name', 'My.policy')).toThrow(/name must be a DNS-1123 subdomain .*got "My.policy"/);
    expect(() => checkDns1123Subdomain(scope(), 'name', 'a..b')).toThrow(/DNS-1123 subdomain/);
  });
});

describe('numbers', () => {
  test('checkInteger enforces range and integrality', () => {
    expect(checkInteger(scope(), 'n', 5, 0, 10)).toBe(5);
    expect(() => checkInteger(scope(), 'n', 11, 0, 10)).toThrow('n must be an integer 0..10, got 11');
    expect(() => checkInteger(scope(), 'n', 1.5, 0, 10)).toThrow('n must be an integer 0..10, got 1.5');
    expect(() => checkInteger(scope(), 'n', NaN, 0, 10)).toThrow('n must be an integer 0..10, got NaN');
  });

  test('checkPercent allows fractions only when asked', () => {
    expect(checkPercent(scope(), 'p', 100)).toBe(100);
    expect(() => checkPercent(scope(), 'p', 0.5)).toThrow('p must be an integer 0..100, got 0.5');
    expect(checkPercent(scope(), 'p', 0.5, { fractions: true })).toBe(0.5);
    expect(checkPercent(scope(), 'p', 0.0001, { fractions: true })).toBe(0.0001);
    expect(() => checkPercent(scope(), 'p', 0.00001, { fractions: true }))
      .toThrow('p must be a number 0..100 (fractions down to 0.0001 allowed), got 0.00001');
    expect(() => checkPercent(scope(), 'p', 101, { fractions: true })).toThrow(/got 101/);
  });
});
