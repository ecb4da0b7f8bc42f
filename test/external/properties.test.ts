import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { Egress } from '../../lib/egress';
import { ExternalApi } from '../../lib/external-api';
import { ExternalProtocol } from '../../lib/external/types';
import { MeshError } from '../../lib';
import { synthValid, testChart } from '../util';

// Input space of ExternalApi: accepted input -> output that validates clean; rejected input -> MeshError.

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const tld = fc.stringMatching(/^[a-z]{2,6}$/);
const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld).map(([parts, top]) => [...parts, top].join('.'));
const anything = fc.oneof(fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));

function attempt(build: () => unknown): unknown {
  try {
    build();
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('ExternalApi properties', () => {
  test('any valid host, port and egress mode: construction succeeds and the output validates clean', () => {
    fc.assert(fc.property(
      host, fc.integer({ min: 1, max: 65535 }), fc.boolean(), fc.constantFrom('direct', 'gateway', 'waypoint'),
      (h, port, tls, mode) => {
        const { chart } = testChart();
        const egress = mode === 'direct' ? Egress.direct()
          : mode === 'gateway' ? Egress.gateway({ namespace: 'istio-system', selector: { istio: 'egressgateway' } })
            : Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' });
        const api = new ExternalApi(chart, 'api', {
          host: h, port: tls ? (port === 80 ? 443 : port) : port, tlsOrigination: tls, egress,
          ...(tls ? { timeout: Duration.seconds(3) } : {}),
        });
        const docs = synthValid(chart);
        expect(docs.find(d => d.kind === 'ServiceEntry').spec.hosts).toEqual([api.host]);
      },
    ), { numRuns: 40 });
  });

  test('arbitrary values for each prop: either accepted or a MeshError, never another error type', () => {
    const props = fc.record({
      host: fc.oneof(host, anything),
      port: fc.oneof(fc.integer({ min: -5, max: 70000 }), anything),
      protocol: fc.oneof(fc.constantFrom(...Object.values(ExternalProtocol)), anything),
      tlsOrigination: fc.oneof(fc.boolean(), anything),
      exportTo: fc.oneof(fc.array(fc.constantFrom('.', '*', '~', 'shop', 'istio-system', 'Bad', ''), { maxLength: 3 }), anything),
      name: fc.oneof(label, anything),
      egress: fc.oneof(
        fc.record({ namespace: fc.oneof(label, anything), selector: fc.oneof(fc.dictionary(label, label), anything) })
          .map(o => Egress.gateway(o as any)),
        fc.record({ namespace: fc.oneof(label, anything), name: fc.oneof(label, anything) }).map(o => Egress.waypoint(o as any)),
        anything),
      timeout: fc.oneof(fc.double({ min: 0, max: 100000, noNaN: true }).map(ms => Duration.millis(ms)), anything),
      retries: fc.oneof(fc.record({ attempts: fc.oneof(fc.integer({ min: -1, max: 5 }), anything) }), anything),
    }, { requiredKeys: [] });
    fc.assert(fc.property(props, p => {
      const { chart } = testChart();
      const error = attempt(() => new ExternalApi(chart, 'api', p as any));
      if (error === undefined) synthValid(chart);
      expect(error === undefined || error instanceof MeshError ? 'accepted or MeshError' : error).toBe('accepted or MeshError');
    }), { numRuns: 300 });
  });
});
