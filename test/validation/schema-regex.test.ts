import { re2, re2ToJs } from '../../lib/validation/schema/regex';

// RE2 (Go regexp) patterns of the CRDs, translated to JavaScript (lib/validation/schema/regex.ts).

describe('re2ToJs', () => {
  test('leaves a pattern without RE2-only syntax unchanged', () => {
    expect(re2ToJs('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')).toEqual('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');
  });

  test('(?i) makes the rest of the pattern case-insensitive', () => {
    expect(re2ToJs('^(?i)\\.?[a-z_]')).toEqual('^\\.?[a-z_A-Z]');
  });

  test('(?i) expands literal letters', () => {
    expect(re2('^(?i)abc$').test('AbC')).toBe(true);
  });

  test('a scoped (?i:...) group ends with the group', () => {
    const re = re2('^(?i:ab)c$');
    expect([re.test('ABc'), re.test('ABC')]).toEqual([true, false]);
  });

  test('\\z is the end of the text', () => {
    expect(re2ToJs('^a\\z')).toEqual('^a$');
  });

  test('POSIX classes become ranges', () => {
    expect(re2('^[[:alpha:]]+$').test('Abc')).toBe(true);
  });

  test('\\Q...\\E quotes a literal', () => {
    expect(re2('^\\Qa.b\\E$').test('axb')).toBe(false);
  });

  test('(?P<name>...) becomes a JavaScript named group', () => {
    expect(re2ToJs('(?P<port>[0-9]+)')).toEqual('(?<port>[0-9]+)');
  });

  test('(?s) lets . match newlines', () => {
    expect(re2('^(?s)a.b$').test('a\nb')).toBe(true);
  });

  test('compiled patterns are cached', () => {
    expect(re2('^x+$')).toBe(re2('^x+$'));
  });
});
