import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Retries } from '../../lib';
import { connectionPool as renderConnectionPool, istioRetries as renderIstioRetries } from '../../lib/render';
import { testChart } from '../util';

function scope(): Construct {
  return new Construct(testChart().chart, 'svc');
}

describe('renderIstioRetries', () => {
  test('renders attempts (retries after the first try), perTryTimeout and retryOn', () => {
    expect(renderIstioRetries(scope(), 'retries', {
      attempts: 2, perTryTimeout: Duration.millis(800), retryOn: ['gateway-error', 'connect-failure', 503],
    })).toEqual({ attempts: 2, perTryTimeout: '800ms', retryOn: 'gateway-error,connect-failure,503' });
  });

  test('Retries.none() renders attempts: 0, which disables Istio\'s default of 2 retries', () => {
    expect(renderIstioRetries(scope(), 'retries', Retries.none())).toEqual({ attempts: 0 });
  });

  test('attempts: 0 with other fields is an error', () => {
    expect(() => renderIstioRetries(scope(), 'retries', { attempts: 0, retryOn: ['5xx'] }))
      .toThrow('Construct test/svc: retries: attempts is 0 (retries disabled), so perTryTimeout and retryOn must not be set; use Retries.none() to disable retries or set attempts >= 1');
  });

  test('unknown retryOn tokens and bad status codes are errors', () => {
    expect(() => renderIstioRetries(scope(), 'retries', { attempts: 1, retryOn: ['5xxx' as any] }))
      .toThrow(/retries.retryOn\[0\] must be an HTTP status code 100..599 or one of 5xx, gateway-error, .*got "5xxx"/);
    expect(() => renderIstioRetries(scope(), 'retries', { attempts: 1, retryOn: [600] }))
      .toThrow('retries.retryOn[0] must be an integer 100..599, got 600');
    expect(() => renderIstioRetries(scope(), 'retries', { attempts: 1, retryOn: [] }))
      .toThrow('retries.retryOn must be a non-empty list of retry conditions, got []');
  });

  test('negative or fractional attempts are errors', () => {
    expect(() => renderIstioRetries(scope(), 'retries', { attempts: -1 })).toThrow('retries.attempts must be an integer 0..2147483647, got -1');
    expect(() => renderIstioRetries(scope(), 'retries', { attempts: 1.5 })).toThrow(/got 1.5/);
  });
});

describe('renderConnectionPool', () => {
  test('maps the circuit breaker onto tcp and http settings', () => {
    expect(renderConnectionPool(scope(), 'circuitBreaker', {
      maxConnections: 100, maxPendingRequests: 50, maxRequestsPerConnection: 10, maxRetries: 3, maxRequests: 200,
      connectTimeout: Duration.seconds(2),
    })).toEqual({
      tcp: { maxConnections: 100, connectTimeout: '2s' },
      http: { http1MaxPendingRequests: 50, http2MaxRequests: 200, maxRequestsPerConnection: 10, maxRetries: 3 },
    });
    expect(renderConnectionPool(scope(), 'circuitBreaker', { maxConnections: 5 })).toEqual({ tcp: { maxConnections: 5 } });
  });

  test('an empty circuit breaker and bad counts are errors', () => {
    expect(() => renderConnectionPool(scope(), 'circuitBreaker', {}))
      .toThrow('circuitBreaker must be a CircuitBreaker with at least one limit set, got {}');
    expect(() => renderConnectionPool(scope(), 'circuitBreaker', { maxConnections: 0 }))
      .toThrow('circuitBreaker.maxConnections must be an integer 1..2147483647, got 0');
    expect(() => renderConnectionPool(scope(), 'circuitBreaker', { maxPendingRequests: 2.5 }))
      .toThrow('circuitBreaker.maxPendingRequests must be an integer 1..2147483647, got 2.5');
  });
});
