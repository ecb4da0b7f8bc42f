import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { RequestMatch, TrafficApi } from '../lib';
import { checkRequestMatch, escapeRegex, renderGatewayMatch, renderIstioMatch, renderMatches } from '../lib/request-match';
import { errorName, thrown } from './traffic/helpers';
import { testChart } from './util';

function scope(): Construct {
  return new Construct(testChart().chart, 'route');
}

describe('RequestMatch rendering', () => {
  test.each([
    ['header', RequestMatch.header('x-canary', 'true'), { headers: { 'x-canary': { exact: 'true' } } }, { headers: [{ type: 'Exact', name: 'x-canary', value: 'true' }] }],
    ['headerRegex', RequestMatch.headerRegex('x-user', 'qa-[0-9]+'), { headers: { 'x-user': { regex: 'qa-[0-9]+' } } }, { headers: [{ type: 'RegularExpression', name: 'x-user', value: 'qa-[0-9]+' }] }],
    ['headerPrefix', RequestMatch.headerPrefix('x-user', 'a.b*'), { headers: { 'x-user': { prefix: 'a.b*' } } }, { headers: [{ type: 'RegularExpression', name: 'x-user', value: '^a\\.b\\*.*' }] }],
    ['cookie', RequestMatch.cookie('canary', 'always'), { headers: { cookie: { regex: '^(.*;\\s*)?canary=always(;.*)?$' } } }, { headers: [{ type: 'RegularExpression', name: 'cookie', value: '^(.*;\\s*)?canary=always(;.*)?$' }] }],
    ['pathPrefix', RequestMatch.pathPrefix('/api'), { uri: { prefix: '/api' } }, { path: { type: 'PathPrefix', value: '/api' } }],
    ['pathExact', RequestMatch.pathExact('/login'), { uri: { exact: '/login' } }, { path: { type: 'Exact', value: '/login' } }],
    ['method', RequestMatch.method('POST'), { method: { exact: 'POST' } }, { method: 'POST' }],
    ['queryParam', RequestMatch.queryParam('beta', '1'), { queryParams: { beta: { exact: '1' } } }, { queryParams: [{ type: 'Exact', name: 'beta', value: '1' }] }],
  ])('%s renders for Istio and Gateway API', (_name, match, istio, gateway) => {
    // GIVEN
    const s = scope();
    // WHEN
    checkRequestMatch(s, 'm', match);
    // THEN
    expect(renderIstioMatch(s, 'm', match)).toEqual(istio);
    expect(renderGatewayMatch(match)).toEqual(gateway);
  });

  test('all() and and() AND conditions into one match', () => {
    const m = RequestMatch.all(RequestMatch.pathPrefix('/api'), RequestMatch.header('x-a', '1')).and(RequestMatch.queryParam('q', 'v'));
    expect(renderGatewayMatch(m)).toEqual({
      path: { type: 'PathPrefix', value: '/api' }, headers: [{ type: 'Exact', name: 'x-a', value: '1' }], queryParams: [{ type: 'Exact', name: 'q', value: 'v' }],
    });
  });

  test('the cookie regex matches exactly the cookie (no superstring of the name or the value)', () => {
    const re = new RegExp((renderGatewayMatch(RequestMatch.cookie('canary', 'always')) as any).headers[0].value);
    expect(['canary=always', 'a=1; canary=always', 'canary=always; b=2'].map(v => re.test(v))).toEqual([true, true, true]);
    expect(['xcanary=always', 'canary=alwaysx', 'canary=never'].map(v => re.test(v))).toEqual([false, false, false]);
  });

  test('escapeRegex makes any text match literally (property)', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      expect(new RegExp(`^${escapeRegex(text)}$`).test(text)).toBe(true);
    }));
  });

  test('header prefix regex for Gateway API matches exactly the values Istio prefix matches (property)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), fc.string(), fc.string(), (prefix, rest, other) => {
      const re = new RegExp(`^(?:${(renderGatewayMatch(RequestMatch.headerPrefix('x', prefix)) as any).headers[0].value})$`, 's');
      expect(re.test(prefix + rest)).toBe(true);
      expect(re.test(other)).toBe(other.startsWith(prefix));
    }));
  });
});

describe('RequestMatch errors', () => {
  const check = (m: RequestMatch) => () => checkRequestMatch(scope(), 'm', m);

  test.each([
    ['empty match', RequestMatch.all(), 'm must be a RequestMatch with at least one condition (RequestMatch.header(...), ...), got {"conditions":[]}'],
    ['bad header name', RequestMatch.header('x canary', '1'), 'm.conditions[0].name must be an HTTP token (letters, digits and !#$%&\'*+-.^_`|~), 1..256 characters, got "x canary"'],
    ['empty header value', RequestMatch.header('x', ''), 'm.conditions[0].value must be a non-empty string of at most 4096 characters, got ""'],
    ['cookie value with ;', RequestMatch.cookie('c', 'a;b'), 'm.conditions[0].value must be a non-empty cookie value (no spaces, quotes, commas, semicolons or backslashes), got "a;b"'],
    ['backreference', RequestMatch.headerRegex('x', '(a)\\1'), 'm.conditions[0].value must be an RE2 regular expression (no lookaround, no backreferences), got "(a)\\\\1"'],
    ['invalid regex', RequestMatch.headerRegex('x', '('), 'm.conditions[0].value must be an RE2 regular expression (no lookaround, no backreferences), got "("'],
    ['RE2 \\C (JavaScript accepts it)', RequestMatch.headerRegex('x', 'a\\Cb'), 'm.conditions[0].value must be an RE2 regular expression (no lookaround, no backreferences), got "a\\\\Cb"'],
    ['RE2 count above 1000', RequestMatch.headerRegex('x', 'a{1001}'), 'm.conditions[0].value must be an RE2 regular expression (no lookaround, no backreferences), got "a{1001}"'],
    ['relative path', RequestMatch.pathPrefix('api'), 'm.conditions[0].value must be a path starting with "/", without "//", "/./", "/../", "%2f" or "#", at most 1024 characters, got "api"'],
    ['dot segment', RequestMatch.pathExact('/a/../b'), 'm.conditions[0].value must be a path starting with "/", without "//", "/./", "/../", "%2f" or "#", at most 1024 characters, got "/a/../b"'],
    ['unknown method', RequestMatch.method('FETCH' as any), 'm.conditions[0].value must be one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, got "FETCH"'],
    ['two paths', RequestMatch.pathPrefix('/a').and(RequestMatch.pathExact('/b')), 'm: a match can test the path only once (conditions in one match are ANDed); use a regex for a combined condition, or several matches (ORed)'],
    ['two cookies', RequestMatch.cookie('a', '1').and(RequestMatch.cookie('b', '2')), 'm: a match can test the header "cookie" only once (conditions in one match are ANDed); use a regex for a combined condition, or several matches (ORed)'],
  ])('%s', (_name, m, message) => {
    expect(check(m)).toThrow(`Construct test/route: ${message}`);
  });

  test('RE2 syntax that JavaScript refuses is accepted: (?i), (?P<name>...), \\z', () => {
    expect(check(RequestMatch.headerRegex('x', '(?i)(?P<v>canary)\\z'))).not.toThrow();
  });

  test('uppercase header names are an Istio error only', () => {
    const s = scope();
    const m = RequestMatch.header('X-Canary', '1');
    expect(() => renderMatches(s, 'm', [m], TrafficApi.ISTIO)).toThrow('Construct test/route: m[0].conditions[0].name must be a lowercase header name for Istio (VirtualService header keys must be lowercase), got "X-Canary"');
    expect(renderMatches(s, 'm', [m], TrafficApi.GATEWAY_API)).toEqual([{ headers: [{ type: 'Exact', name: 'X-Canary', value: '1' }] }]);
  });

  test('garbage is a MeshError, never a TypeError (property)', () => {
    fc.assert(fc.property(fc.anything(), (junk) => {
      expect(errorName(thrown(() => checkRequestMatch(scope(), 'm', RequestMatch.all(junk as RequestMatch))))).toBe('MeshError');
    }), { numRuns: 100 });
  });
});
