import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { LoadBalancer, MeshError, ConsistentHash } from '../lib';
import { testChart } from './util';

function scope(): Construct {
  return new Construct(testChart().chart, 'svc');
}

describe('LoadBalancer', () => {
  test.each([
    [LoadBalancer.roundRobin(), { simple: 'ROUND_ROBIN' }],
    [LoadBalancer.leastRequest(), { simple: 'LEAST_REQUEST' }],
    [LoadBalancer.random(), { simple: 'RANDOM' }],
    [ConsistentHash.header('x-user'), { consistentHash: { httpHeaderName: 'x-user' } }],
    [ConsistentHash.cookie('session'), { consistentHash: { httpCookie: { name: 'session' } } }],
    [ConsistentHash.cookie('session', { ttl: Duration.seconds(0) }), { consistentHash: { httpCookie: { name: 'session', ttl: '0s' } } }],
    [ConsistentHash.sourceIp(), { consistentHash: { useSourceIp: true } }],
    [ConsistentHash.queryParam('user', { maglevTableSize: 5000011 }), { consistentHash: { httpQueryParameterName: 'user', maglev: { tableSize: 5000011 } } }],
    [ConsistentHash.header('x', { ringSize: 8388608 }), { consistentHash: { httpHeaderName: 'x', ringHash: { minimumRingSize: 8388608 } } }],
  ])('%#: renders Istio loadBalancer', (lb, expected) => {
    expect(lb.render(scope(), 'loadBalancer')).toEqual(expected);
  });

  test.each([
    [ConsistentHash.cookie('s', { path: 'x' }), 'loadBalancer.consistentHash.cookie.path must be a path starting with "/", got "x"'],
    [ConsistentHash.cookie('s', { ttl: Duration.millis(1.5) }), 'loadBalancer.consistentHash.cookie.ttl must be a cdk8s Duration of whole milliseconds, 0 or more, got 1.5ms'],
    [ConsistentHash.header(''), 'loadBalancer.consistentHash.header must be a non-empty name (an HTTP token), got ""'],
    [ConsistentHash.queryParam(undefined as any), 'loadBalancer.consistentHash.queryParam must be a non-empty name (an HTTP token), got undefined'],
  ])('%#: rejects bad options', (lb, message) => {
    expect(() => lb.render(scope(), 'loadBalancer')).toThrow(`Construct test/svc: ${message}`);
  });

  test('maglev table sizes: primes up to 5000011 accepted, anything else a MeshError (property)', () => {
    const isPrime = (n: number) => n >= 2 && Array.from({ length: Math.floor(Math.sqrt(n)) - 1 }, (_, i) => i + 2).every(d => n % d !== 0);
    fc.assert(fc.property(fc.integer({ min: -10, max: 6_000_000 }), (size) => {
      const lb = ConsistentHash.sourceIp({ maglevTableSize: size });
      const valid = size <= 5_000_011 && isPrime(size);
      let outcome: unknown;
      try {
        outcome = lb.render(scope(), 'lb');
      } catch (e) {
        outcome = e instanceof MeshError ? 'MeshError' : e;
      }
      expect(outcome).toEqual(valid ? { consistentHash: { useSourceIp: true, maglev: { tableSize: size } } } : 'MeshError');
    }), { numRuns: 200 });
  });
});
