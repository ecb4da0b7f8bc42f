import { compileRe2, re2FullMatch } from '../../lib/simulation/re2';

// RE2 syntax the simulator runs (https://github.com/google/re2/wiki/Syntax): Envoy and istiod use
// RE2, the simulator runs JavaScript RegExps. Each case: the pattern, a value, the RE2 verdict.
describe('RE2 patterns in the simulator', () => {
  test.each([
    ['shared syntax, whole value only', 'v[0-9]+', 'v12', true],
    ['shared syntax does not match a part of the value', 'v[0-9]+', 'xv12', false],
    ['leading (?i) is case-insensitive', '(?i)/API/.*', '/api/users', true],
    ['(?s) lets . match a newline', '(?s)a.b', 'a\nb', true],
    ['without (?s) . does not match a newline', 'a.b', 'a\nb', false],
    ['named group (?P<name>...)', '/users/(?P<id>[0-9]+)', '/users/42', true],
    ['\\A and \\z anchor the text', '\\A/a\\z', '/a', true],
    ['\\Q...\\E quotes literally', '\\Q/a.b\\E', '/a.b', true],
    ['\\Q...\\E dots are not wildcards', '\\Q/a.b\\E', '/axb', false],
    ['POSIX class [[:digit:]]', 'v[[:digit:]]+', 'v7', true],
    ['POSIX class [[:alpha:]] rejects digits', '[[:alpha:]]+', 'abc1', false],
  ])('%s: %s on %j is %s', (_what, pattern, value, expected) => {
    expect(re2FullMatch(pattern, value)).toBe(expected);
  });

  test('an extra i flag makes the match case-insensitive (ignoreUriCase)', () => {
    expect(re2FullMatch('/API', '/api', 'i')).toBe(true);
    expect(re2FullMatch('/API', '/api')).toBe(false);
  });

  test('syntax with no JavaScript equivalent or an invalid pattern never matches', () => {
    expect(compileRe2('(?U)a+')).toBeUndefined();
    expect(compileRe2('[[:^alpha:]]')).toBeUndefined();
    expect(compileRe2('(unclosed')).toBeUndefined();
    expect(re2FullMatch('(unclosed', '(unclosed')).toBe(false);
  });
});
