import { compileCel, escapeCelName, runCel, skippedTransitionRules } from '../../lib/validation/schema/cel';
import { compileSchema } from '../../lib/validation/schema/compile';
import { Finding, walk } from '../../lib/validation/schema/validate';

// x-kubernetes-validations: CEL compilation, evaluation, value typing, messages
// (lib/validation/schema/cel.ts, k8s-cel-lib.ts and the rule part of validate.ts).

/** Evaluates a CEL expression with `self`; returns the value or throws with the error. */
function cel(expression: string, self: unknown = null): unknown {
  const res = runCel(compileCel(expression), self);
  if (!res.ok) throw new Error(res.error);
  return res.value;
}

/** Validates `value` against an object schema with the given properties and rules. */
function check(properties: Record<string, unknown>, rules: unknown[], value: unknown): Array<[string, string, string]> {
  const out: Finding[] = [];
  walk(value, compileSchema({ 'type': 'object', properties, 'x-kubernetes-validations': rules }), 'spec', out);
  return out.map(f => [f.code, f.path, f.message]);
}

describe('property name escaping', () => {
  test.each([
    ['namespace', '__namespace__'],
    ['in', '__in__'],
    ['x-request-id', 'x__dash__request__dash__id'],
    ['app.kubernetes.io', 'app__dot__kubernetes__dot__io'],
    ['a/b', 'a__slash__b'],
    ['a__b', 'a__underscores__b'],
    ['plain', 'plain'],
  ])('%s is %s', (name, escaped) => {
    expect(escapeCelName(name)).toEqual(escaped);
  });

  test('a name that cannot be escaped is not accessible', () => {
    expect(escapeCelName('has space')).toBeUndefined();
  });

  test('rules see escaped property names', () => {
    const props = { 'namespace': { type: 'string' }, 'x-y': { type: 'string' } };
    expect(check(props, [{ rule: 'self.__namespace__ == self.x__dash__y', message: 'must match' }], { 'namespace': 'a', 'x-y': 'b' }))
      .toEqual([['CI1012', 'spec', 'must match']]);
  });
});

describe('value typing', () => {
  test('an integer field is a CEL int', () => {
    expect(check({ n: { type: 'integer' } }, [{ rule: 'type(self.n) == int && self.n + 1 == 3' }], { n: 2 })).toEqual([]);
  });

  test('a number field is a CEL double even when the JSON value is integral', () => {
    expect(check({ d: { type: 'number' } }, [{ rule: 'type(self.d) == double' }], { d: 2 })).toEqual([]);
  });

  test('an int-or-string field holding a number is a CEL int', () => {
    expect(check({ p: { 'x-kubernetes-int-or-string': true } }, [{ rule: 'type(self.p) == int' }], { p: 80 })).toEqual([]);
  });

  test('a map (additionalProperties) keeps its keys unescaped', () => {
    const props = { labels: { type: 'object', additionalProperties: { type: 'string' } } };
    expect(check(props, [{ rule: 'self.labels["app.kubernetes.io/name"] == "x"' }], { labels: { 'app.kubernetes.io/name': 'x' } })).toEqual([]);
  });
});

describe('rule results', () => {
  test('a false rule without a message reports the rule', () => {
    expect(check({ a: { type: 'string' } }, [{ rule: 'self.a == "x"' }], { a: 'y' })).toEqual([['CI1012', 'spec', 'failed rule: self.a == "x"']]);
  });

  test('messageExpression gives the message', () => {
    const rule = { rule: 'self.n < 10', message: 'too big', messageExpression: '"n is " + string(self.n) + ", must be below 10"' };
    expect(check({ n: { type: 'integer' } }, [rule], { n: 12 })).toEqual([['CI1012', 'spec', 'n is 12, must be below 10']]);
  });

  test('a messageExpression that fails falls back to message', () => {
    const rule = { rule: 'self.n < 10', message: 'too big', messageExpression: 'self.missing' };
    expect(check({ n: { type: 'integer' } }, [rule], { n: 12 })).toEqual([['CI1012', 'spec', 'too big']]);
  });

  test('fieldPath is appended to the path', () => {
    const rule = { rule: 'self.n < 10', message: 'too big', fieldPath: '.n' };
    expect(check({ n: { type: 'integer' } }, [rule], { n: 12 })).toEqual([['CI1012', 'spec.n', 'too big']]);
  });

  test('a reason other than FieldValueInvalid prefixes the message', () => {
    const rule = { rule: '!has(self.n)', message: 'n is not allowed', reason: 'FieldValueForbidden' };
    expect(check({ n: { type: 'integer' } }, [rule], { n: 1 })).toEqual([['CI1012', 'spec', 'Forbidden: n is not allowed']]);
  });

  test('a runtime error is reported as a rule that could not be evaluated', () => {
    expect(check({ a: { type: 'string' } }, [{ rule: 'self.b == "x"' }], { a: 'y' }))
      .toEqual([['CI1013', 'spec', 'rule "self.b == \\"x\\"" could not be evaluated: No such key: b']]);
  });

  test('a rule that returns a non-bool is reported', () => {
    expect(check({ a: { type: 'string' } }, [{ rule: 'self.a' }], { a: 'y' }))
      .toEqual([['CI1013', 'spec', 'rule "self.a" did not evaluate to a bool, got "y"']]);
  });

  test('rules of an absent field are not evaluated', () => {
    const props = { a: { 'type': 'string', 'x-kubernetes-validations': [{ rule: 'false' }] } };
    expect(check(props, [], {})).toEqual([]);
  });

  test('rules see schema defaults', () => {
    const props = { mode: { type: 'string', default: 'Terminate' } };
    expect(check(props, [{ rule: 'self.mode == "Terminate"' }], {})).toEqual([]);
  });

  test('transition rules (oldSelf) are skipped and counted', () => {
    const before = skippedTransitionRules();
    expect(check({ a: { type: 'string' } }, [{ rule: 'self == oldSelf', message: 'immutable' }], { a: 'y' })).toEqual([]);
    expect(skippedTransitionRules()).toEqual(before + 1);
  });
});

describe('compilation', () => {
  test('a distinct expression is compiled once', () => {
    expect(compileCel('self.size() > 0')).toBe(compileCel('self.size() > 0'));
  });

  test('a syntax error is a compile error, and evaluating it reports it', () => {
    const p = compileCel('self.a ==');
    expect(p.stats.compileError).toMatch(/.+/);
    expect(runCel(p, {})).toEqual({ ok: false, error: `compilation failed: ${p.stats.compileError}` });
  });

  test('an oldSelf rule is marked as a transition rule', () => {
    expect(compileCel('self.x == oldSelf.x').stats.transition).toBe(true);
  });
});

describe('CEL standard behaviour the CRDs rely on', () => {
  test('has() on an indexed operand', () => {
    expect([cel('has(self[0].matches)', [{ matches: [] }]), cel('has(self[0].matches)', [{}])]).toEqual([true, false]);
  });

  test('nested has() on an indexed operand', () => {
    expect(cel('has(self.m[0].path) && has(self.m[1].path)', { m: [{ path: 1 }, {}] })).toBe(false);
  });

  test('matches() with RE2 (?i)', () => {
    expect(cel('self.matches(r"""^(?i)[a-z]+$""")', 'Ratings')).toBe(true);
  });

  test('error absorption of || (an error on one side, true on the other)', () => {
    expect(cel('size(self.a) > 0 || size(self.b) > 0', { b: [1n] })).toBe(true);
  });

  test('string functions (split, lowerAscii, substring)', () => {
    expect(cel('self.split("/")[0].lowerAscii() + self.substring(3, 4)', 'ABC/d')).toEqual('abc/');
  });

  test('list macros (exists_one, filter, map, all)', () => {
    expect(cel('self.exists_one(x, x == 2) && self.filter(x, x > 1).map(x, x * 2) == [4, 6] && self.all(x, x > 0)', [1n, 2n, 3n])).toBe(true);
  });

  test('optional field access', () => {
    expect(cel('self.?missing.orValue("dflt")', {})).toEqual('dflt');
  });

  test('duration() with several units', () => {
    expect(cel('duration(self) > duration("1h")', '1h30m')).toBe(true);
  });

  test('duration() accepts Go\'s bare "0"', () => {
    expect(cel('duration(self) < duration("1ms")', '0')).toBe(true);
  });

  test('duration() accepts Go\'s Greek-mu microseconds', () => {
    expect(cel('duration(self) == duration("5us")', '5\u03bcs')).toBe(true);
  });

  test('int() of a map key', () => {
    expect(cel('self.all(k, int(k) < 65536)', new Map([['8080', 1n]]))).toBe(true);
  });
});

describe('Kubernetes URL library', () => {
  test('url() accessors', () => {
    const u = '"https://user@auth.example.com:8443/keys/a%20b?x=1&x=2&y="';
    expect(cel(`[url(${u}).getScheme(), url(${u}).getHost(), url(${u}).getHostname(), url(${u}).getPort(), url(${u}).getEscapedPath()]`))
      .toEqual(['https', 'auth.example.com:8443', 'auth.example.com', '8443', '/keys/a%20b']);
  });

  test('getQuery() groups values by key', () => {
    expect(cel('url("https://a.example.com/?x=1&x=2&y=").getQuery()')).toEqual(new Map([['x', ['1', '2']], ['y', ['']]]));
  });

  test('an IPv6 host keeps its brackets in getHost() and drops them in getHostname()', () => {
    expect(cel('[url("http://[fd00::1]:80/").getHost(), url("http://[fd00::1]:80/").getHostname()]')).toEqual(['[fd00::1]:80', 'fd00::1']);
  });

  test('isURL accepts an absolute path', () => {
    expect(cel('isURL("/healthz")')).toBe(true);
  });

  test('isURL rejects a relative reference without a scheme', () => {
    expect(cel('isURL("ghcr.io/example/filter:1.0")')).toBe(false);
  });

  test('isURL accepts host:port as an opaque URL with scheme "localhost"', () => {
    expect(cel('isURL("localhost:5000/x") && url("localhost:5000/x").getScheme() == "localhost"')).toBe(true);
  });

  test('isURL rejects a non-numeric port', () => {
    expect(cel('isURL("https://example.com:https/")')).toBe(false);
  });

  test('url() of an invalid URL is an evaluation error', () => {
    expect(() => cel('url("not a url").getScheme() == ""')).toThrow('URL parse error during conversion from string: invalid URI for request');
  });
});

describe('Kubernetes IP library', () => {
  test.each([
    ['10.0.0.1', true],
    ['fd00::1', true],
    ['::', true],
    ['2001:db8::192.0.2.1', true],
    ['010.0.0.1', false],
    ['256.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['fe80::1%eth0', false],
    ['example.com', false],
  ])('isIP(%s) is %s', (ip, expected) => {
    expect(cel('isIP(self)', ip)).toBe(expected);
  });

  test('ip().family()', () => {
    expect(cel('[ip("10.0.0.1").family(), ip("fd00::1").family()]')).toEqual([4n, 6n]);
  });

  test('ip().isLoopback() and isUnspecified()', () => {
    expect(cel('[ip("127.0.0.1").isLoopback(), ip("::1").isLoopback(), ip("0.0.0.0").isUnspecified(), ip("10.0.0.1").isLoopback()]'))
      .toEqual([true, true, true, false]);
  });
});
