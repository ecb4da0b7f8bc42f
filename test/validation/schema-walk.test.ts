import { compileSchema } from '../../lib/validation/schema/compile';
import { Finding, walk } from '../../lib/validation/schema/validate';

// OpenAPI features that the vendored CRDs use rarely or not at all, on small hand-written schemas
// (lib/validation/schema/compile.ts and validate.ts).

function check(schema: unknown, value: unknown): Array<[string, string, string]> {
  const out: Finding[] = [];
  walk(value, compileSchema(schema), 'x', out);
  return out.map(f => [f.code, f.path, f.message]);
}

describe('numbers', () => {
  test('exclusiveMinimum rejects the bound itself', () => {
    expect(check({ type: 'number', minimum: 0, exclusiveMinimum: true }, 0)).toEqual([['CI1006', 'x', '0 must be greater than 0']]);
  });

  test('exclusiveMaximum rejects the bound itself', () => {
    expect(check({ type: 'integer', maximum: 10, exclusiveMaximum: true }, 10)).toEqual([['CI1006', 'x', '10 must be less than 10']]);
  });

  test('type number accepts an integer', () => {
    expect(check({ type: 'number' }, 3)).toEqual([]);
  });
});

describe('x-kubernetes-int-or-string', () => {
  const schema = { 'x-kubernetes-int-or-string': true, 'anyOf': [{ type: 'integer' }, { type: 'string' }] };

  test('accepts an integer', () => {
    expect(check(schema, 8080)).toEqual([]);
  });

  test('accepts a string', () => {
    expect(check(schema, 'http')).toEqual([]);
  });

  test('rejects a boolean', () => {
    expect(check(schema, true)).toEqual([['CI1003', 'x', 'must be of type integer or string, got boolean true']]);
  });
});

describe('nullable', () => {
  test('a nullable field accepts null', () => {
    expect(check({ type: 'object', properties: { a: { type: 'string', nullable: true } } }, { a: null })).toEqual([]);
  });

  test('a nullable field that is null does not count as missing', () => {
    expect(check({ type: 'object', required: ['a'], properties: { a: { type: 'string', nullable: true } } }, { a: null })).toEqual([]);
  });

  test('a null non-nullable field gets its default', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', default: 'x', enum: ['x'] } } };
    expect(check(schema, { a: null })).toEqual([]);
  });
});

describe('objects', () => {
  test('minProperties', () => {
    expect(check({ type: 'object', minProperties: 1, additionalProperties: { type: 'string' } }, {}))
      .toEqual([['CI1008', 'x', 'must have at least 1 property, got 0']]);
  });

  test('maxProperties', () => {
    expect(check({ type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } }, { a: 'a', b: 'b' }))
      .toEqual([['CI1008', 'x', 'must have at most 1 property, got 2']]);
  });

  test('map values are validated with their path as [key]', () => {
    expect(check({ type: 'object', additionalProperties: { type: 'string' } }, { 'a.b': 1 }))
      .toEqual([['CI1003', 'x["a.b"]', 'must be of type string, got integer 1']]);
  });

  test('type object without properties accepts no fields', () => {
    expect(check({ type: 'object' }, { a: 1 })).toEqual([['CI1002', 'x.a', 'unknown field "a": no fields are allowed here']]);
  });

  test('additionalProperties: true accepts any field', () => {
    expect(check({ type: 'object', additionalProperties: true }, { a: { b: 1 } })).toEqual([]);
  });
});

describe('junctors', () => {
  test('anyOf with no matching branch', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, anyOf: [{ required: ['a'] }, { required: ['b'] }] };
    expect(check(schema, {})).toEqual([['CI1011', 'x', 'must validate at least one schema (anyOf): one of a, b must be set']]);
  });

  test('allOf reports the failing branch', () => {
    const schema = { type: 'string', allOf: [{ maxLength: 3 }, { pattern: '^a' }] };
    expect(check(schema, 'bcde')).toEqual([
      ['CI1007', 'x', '"bcde" must be at most 3 characters long, got 4'],
      ['CI1005', 'x', '"bcde" does not match the pattern ^a'],
    ]);
  });

  test('not rejects a value that matches', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, not: { required: ['a'] } };
    expect(check(schema, { a: 'x' })).toEqual([['CI1011', 'x', 'must not validate the schema (not): a must not be set']]);
  });

  test('oneOf with no matching branch', () => {
    const schema = { type: 'integer', oneOf: [{ minimum: 10 }, { maximum: 0 }] };
    expect(check(schema, 5)).toEqual([['CI1011', 'x', 'must validate one and only one schema (oneOf), matched 0']]);
  });
});

describe('formats', () => {
  test('ipv4 rejects leading zeros', () => {
    expect(check({ type: 'string', format: 'ipv4' }, '10.0.0.01')).toEqual([['CI1018', 'x', '"10.0.0.01" must be of format ipv4']]);
  });

  test('ipv6 accepts a compressed address', () => {
    expect(check({ type: 'string', format: 'ipv6' }, 'fd00::1')).toEqual([]);
  });

  test('date-time requires an RFC 3339 timestamp', () => {
    expect(check({ type: 'string', format: 'date-time' }, '2024-01-01 noon')).toEqual([['CI1018', 'x', '"2024-01-01 noon" must be of format date-time']]);
  });

  test('byte requires base64', () => {
    expect(check({ type: 'string', format: 'byte' }, 'not base64!')).toEqual([['CI1018', 'x', '"not base64!" must be of format byte']]);
  });

  test('formats the API server does not check are ignored', () => {
    expect(check({ type: 'integer', format: 'int32' }, 2 ** 40)).toEqual([]);
  });
});

describe('list types', () => {
  test('a map list compares keys after defaults', () => {
    const schema = {
      'type': 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['port', 'protocol'],
      'items': { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } },
    };
    expect(check(schema, [{ port: 53 }, { port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]))
      .toEqual([['CI1010', 'x[1]', 'duplicate entry with key port=53, protocol="TCP": keys of a map list must be unique']]);
  });

  test('a set list compares objects deeply', () => {
    const schema = { 'type': 'array', 'x-kubernetes-list-type': 'set', 'items': { type: 'object', additionalProperties: true } };
    expect(check(schema, [{ a: 1, b: 2 }, { b: 2, a: 1 }])).toEqual([['CI1010', 'x[1]', 'duplicate value {"b":2,"a":1}: entries of a set list must be unique']]);
  });

  test('an atomic list may hold duplicates', () => {
    expect(check({ 'type': 'array', 'x-kubernetes-list-type': 'atomic', 'items': { type: 'string' } }, ['a', 'a'])).toEqual([]);
  });
});
