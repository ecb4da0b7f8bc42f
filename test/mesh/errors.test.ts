import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshError } from '../../lib';
import { formatValue } from '../../lib/mesh/errors';
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
});
