import { Diagnostic } from '../../lib/validation';
import { validateSemantics } from '../../lib/validation/semantics';
import { re2SyntaxError } from '../../lib/validation/semantics/re2-syntax';

// RE2 syntax (Go regexp/syntax with Perl flags, as istiod's regexp.Compile): the scanner judges
// patterns as RE2 does, without compiling them as JavaScript RegExps.

describe('re2SyntaxError', () => {
  test.each([
    ['(?i)abc'], ['(?P<n>x)'], ['(?<n>x)'], ['(?s).*'], ['(?i-m:a)'], ['(?U)a+'], ['(?)'], ['\\z'], ['\\Qa.b\\E'],
    ['[[:alpha:]]'], ['[\\d-z]'], ['\\x{41}'], ['\\p{Greek}'], ['\\pL'], ['\\012'], ['a{1000}'], ['(a{100}){10}'],
    ['^*'], ['x{,3}'], ['a*?'], [''], ['^/api/v[0-9]+/.*$'],
  ])('RE2 accepts %j (JavaScript spells some of these differently)', pattern => {
    expect(re2SyntaxError(pattern)).toBeUndefined();
  });

  test.each([
    ['\\C', 'invalid escape sequence: `\\C`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['(a{100}){11}', 'invalid repeat count: `{11}`'],
    ['(?=x)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?!x)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=x)y', 'invalid or unsupported Perl syntax: `(?<=`'],
    ['(?<!x)y', 'invalid or unsupported Perl syntax: `(?<!`'],
    ['(?>a)', 'invalid or unsupported Perl syntax: `(?>`'],
    ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['(?<n>a)\\k<n>', 'invalid escape sequence: `\\k`'],
    ['\\u0041', 'invalid escape sequence: `\\u`'],
    ['[\\b]', 'invalid escape sequence: `\\b`'],
    ['a++', 'invalid nested repetition operator: `++`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
    ['*a', 'missing argument to repetition operator: `*`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
    ['[a', 'missing closing ]: `[a`'],
    ['(a', 'missing closing ): `(a`'],
    ['a)', 'unexpected ): `a)`'],
    ['(?<a-b>x)', 'invalid named capture: `(?<a-b>`'],
    ['(?<n>a)(?<n>b)', 'duplicate capture group name: `n`'],
    ['a\\', 'trailing backslash at end of expression: ``'],
    [`${'('.repeat(1001)}a${')'.repeat(1001)}`, 'expression nests too deeply: `((((((((((((((((((((`'],
  ])('RE2 rejects %j: %s', (pattern, message) => {
    expect(re2SyntaxError(pattern)).toBe(message);
  });
});

describe('regex fields of a VirtualService (CI2032)', () => {
  const vs = (http: unknown) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'shop' }, spec: { hosts: ['r'], http } });
  const found = (d: unknown) => validateSemantics(d).map((x: Diagnostic) => `${x.code} ${x.path}: ${x.message}`);
  const route = [{ destination: { host: 'r' } }];

  test('a lookahead in a header match, an invalid CORS origin regex and uriRegexRewrite.match are reported', () => {
    expect(found(vs([{
      match: [{ headers: { 'x-user': { regex: '(?=admin).*' } }, uri: { regex: '(?i)/api/.*' } }],
      rewrite: { uriRegexRewrite: { match: '^/old/(.*)\\1', rewrite: '/new/\\1' } },
      corsPolicy: { allowOrigins: [{ regex: 'https://.*\\.example\\.com' }, { regex: 'a**' }] },
      route,
    }]))).toEqual([
      'CI2032 spec.http[0].match[0].headers.x-user.regex: regex "(?=admin).*" is not valid RE2 (invalid or unsupported Perl syntax: `(?=`); Istio and Envoy use RE2 syntax (no lookaround, no backreferences), see https://github.com/google/re2/wiki/Syntax',
      'CI2032 spec.http[0].rewrite.uriRegexRewrite.match: regex "^/old/(.*)\\\\1" is not valid RE2 (invalid escape sequence: `\\1`); Istio and Envoy use RE2 syntax (no lookaround, no backreferences), see https://github.com/google/re2/wiki/Syntax',
      'CI2032 spec.http[0].corsPolicy.allowOrigins[1].regex: regex "a**" is not valid RE2 (invalid nested repetition operator: `**`); Istio and Envoy use RE2 syntax (no lookaround, no backreferences), see https://github.com/google/re2/wiki/Syntax',
    ]);
  });

  test('RE2-only syntax that JavaScript refuses is accepted', () => {
    expect(found(vs([{ match: [{ uri: { regex: '(?i)/API/(?P<v>v[0-9]+)/.*\\z' } }], route }]))).toEqual([]);
  });
});
