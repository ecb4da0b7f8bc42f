import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshError } from '../../lib';
import { formatMillis, gatewayApiDuration, GATEWAY_API_DURATION, istioDuration } from '../../lib/tools';
import { testChart } from '../util';

function scope(): Construct {
  return new Construct(testChart().chart, 'route');
}

describe('formatMillis', () => {
  test.each([
    [0, '0s'], [1, '1ms'], [999, '999ms'], [1000, '1s'], [1500, '1s500ms'], [60_000, '1m'],
    [90_000, '1m30s'], [5_400_000, '1h30m'], [3_600_000, '1h'], [3_661_001, '1h1m1s1ms'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatMillis(ms)).toBe(text);
  });
});

describe('istioDuration', () => {
  test('renders whole milliseconds', () => {
    expect(istioDuration(scope(), 'timeout', Duration.seconds(3))).toBe('3s');
    expect(istioDuration(scope(), 'timeout', Duration.millis(800))).toBe('800ms');
    expect(istioDuration(scope(), 'timeout', Duration.minutes(90))).toBe('1h30m');
  });

  test('rejects sub-millisecond values with the prop, value and rule', () => {
    expect(() => istioDuration(scope(), 'retries.perTryTimeout', Duration.millis(0.5))).toThrow(MeshError);
    expect(() => istioDuration(scope(), 'retries.perTryTimeout', Duration.millis(0.5)))
      .toThrow('Construct test/route: retries.perTryTimeout must be a whole number of milliseconds, at least 1ms (Istio durations), got 0.5ms');
    expect(() => istioDuration(scope(), 'timeout', Duration.millis(1.5))).toThrow(/got 1.5ms/);
  });

  test('rejects zero (Istio requires at least 1ms)', () => {
    expect(() => istioDuration(scope(), 'timeout', Duration.millis(0))).toThrow(/timeout must be .*at least 1ms.*got 0ms/);
  });

  test('rejects a value that is not a Duration', () => {
    expect(() => istioDuration(scope(), 'timeout', '3s' as any)).toThrow('timeout must be a cdk8s Duration');
  });
});

describe('gatewayApiDuration', () => {
  test('renders the Gateway API format', () => {
    const text = gatewayApiDuration(scope(), 'timeouts.request', Duration.seconds(1.5));
    expect(text).toBe('1s500ms');
    expect(GATEWAY_API_DURATION.test(text)).toBe(true);
    expect(gatewayApiDuration(scope(), 'timeouts.backendRequest', Duration.millis(0))).toBe('0s');
  });

  test('rejects fractional milliseconds', () => {
    expect(() => gatewayApiDuration(scope(), 'timeouts.request', Duration.millis(2.5)))
      .toThrow('Construct test/route: timeouts.request must be a whole number of milliseconds in Gateway API format ^([0-9]{1,5}(h|m|s|ms)){1,4}$, got 2.5ms');
  });

  test('rejects zero where the field needs a positive value', () => {
    expect(() => gatewayApiDuration(scope(), 'timeouts.request', Duration.millis(0), { allowZero: false }))
      .toThrow(/at least 1ms .*got 0ms/);
  });

  test('rejects values whose hours need more than five digits', () => {
    expect(() => gatewayApiDuration(scope(), 'timeouts.request', Duration.hours(100_000))).toThrow(/Gateway API format/);
  });
});
