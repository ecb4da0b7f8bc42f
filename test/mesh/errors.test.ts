import { ApiObject, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshContext, MeshError, MeshErrors } from '../../lib';
import { formatValue, isDuration } from '../../lib/mesh/errors';
import { testChart } from '../util';

class Widget extends Construct {}

describe('MeshError', () => {
  test('invalid() names the construct type and path, the prop, what is allowed and the value', () => {
    // GIVEN
    const { chart } = testChart();
    const widget = new Widget(chart, 'reviews');
    // WHEN
    const err = MeshError.invalid(widget, 'canaryWeight', 120, 'an integer 0..100');
    // THEN
    expect(err).toBeInstanceOf(MeshError);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('Widget test/reviews: canaryWeight must be an integer 0..100, got 120');
    expect(err.constructPath).toBe('test/reviews');
    expect(err.name).toBe('MeshError');
  });

  test('formatValue quotes strings and shows durations in milliseconds', () => {
    expect(formatValue('v1')).toBe('"v1"');
    expect(formatValue(Duration.millis(0.5))).toBe('0.5ms');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue([1, 2])).toBe('[1,2]');
    expect(formatValue(null)).toBe('null');
  });

  test('MeshErrors.isMeshError recognises the brand, not the class: an error of another copy of the package counts', () => {
    // GIVEN
    const { chart } = testChart();
    const own = new MeshError(new Widget(chart, 'w'), 'bad');
    // An error made by a second copy of the package: another class, the same Symbol.for brand.
    const other = Object.defineProperty(new Error('bad'), Symbol.for('cdk8s-istio.MeshError'), { value: true });
    // THEN
    expect([own, other].map(e => MeshErrors.isMeshError(e))).toEqual([true, true]);
    expect(other instanceof MeshError).toBe(false);
    expect([new Error('x'), 'MeshError', null, undefined, { name: 'MeshError' }].map(e => MeshErrors.isMeshError(e))).toEqual([false, false, false, false, false]);
  });

  test('a failed synth throws a MeshError whose lines name each path once (no empty `[]` App prefix)', () => {
    // GIVEN
    const { chart } = testChart();
    MeshContext.of(chart);
    new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } });
    // WHEN
    let error: unknown;
    try { Testing.synth(chart); } catch (e) { error = e; }
    // THEN
    expect(MeshErrors.isMeshError(error)).toBe(true);
    expect((error as Error).message.split('\n')[0]).toEqual('Validation failed with the following errors:');
    expect((error as Error).message).toMatch(/^ {2}\[test\/bad\] error CI1001 ConfigMap shop\/Bad_Name metadata\.name: /m);
    expect((error as Error).message).not.toContain('[]');
  });

  test('isDuration recognizes cdk8s Durations by their methods, not by class identity', () => {
    expect(isDuration(Duration.seconds(3))).toBe(true);
    expect(isDuration({ toMilliseconds: () => 1, toIsoString: () => 'PT0.001S' })).toBe(true);
    expect(isDuration('3s')).toBe(false);
    expect(isDuration({ toMilliseconds: () => 1 })).toBe(false);
    expect(isDuration(null)).toBe(false);
    expect(isDuration(3000)).toBe(false);
  });
});
