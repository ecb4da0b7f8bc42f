import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Code, DIAGNOSTIC_CODES, diagnosticCodeInfo } from '../../lib/validation/codes';
import { renderDiagnosticCodesMarkdown } from '../../lib/validation/codes/markdown';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap(n => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('diagnostic code registry (lib/validation/codes/)', () => {
  test('GIVEN the registry WHEN docs/diagnostic-codes.md is rendered THEN it equals the committed file (run `npm run docs:codes`)', () => {
    expect(readFileSync(join(root, 'docs', 'diagnostic-codes.md'), 'utf8')).toEqual(renderDiagnosticCodesMarkdown());
  });

  test('no file outside the registry spells a code as a string literal', () => {
    const offenders = sources(join(root, 'lib'))
      .filter(f => !relative(root, f).startsWith(join('lib', 'validation', 'codes')))
      .flatMap(f => [...readFileSync(f, 'utf8').matchAll(/['"]((?:CI|IST)\d{4})['"]/g)].map(m => `${relative(root, f)}: ${m[1]}`));
    expect(offenders).toEqual([]);
  });

  test('every registered code is reported by some file of lib/', () => {
    const text = sources(join(root, 'lib'))
      .filter(f => !relative(root, f).startsWith(join('lib', 'validation', 'codes')))
      .map(f => readFileSync(f, 'utf8')).join('\n');
    expect(DIAGNOSTIC_CODES.filter(c => !new RegExp(`\\bCode\\.${c.code}\\b`).test(text)).map(c => c.code)).toEqual([]);
  });

  test('codes are unique, carry a title, and their prefix names their tier', () => {
    const prefix = { schema: /^CI1\d{3}$/, semantics: /^CI2\d{3}$/, graph: /^(IST0|CI3)\d{3}$/, input: /^CI9\d{3}$/ };
    expect(new Set(DIAGNOSTIC_CODES.map(c => c.code)).size).toEqual(DIAGNOSTIC_CODES.length);
    expect(DIAGNOSTIC_CODES.filter(c => !prefix[c.tier].test(c.code) || c.title.trim() === '' || c.doc.trim() === '').map(c => c.code)).toEqual([]);
    expect(DIAGNOSTIC_CODES.length).toBeGreaterThanOrEqual(150);
  });

  test('lookup by code', () => {
    expect(Code.IST0101).toEqual('IST0101');
    expect(diagnosticCodeInfo('CI2027')).toEqual({
      code: 'CI2027', tier: 'semantics', severity: 'error', title: 'Unknown retryOn value',
      doc: "`retries.retryOn` value outside Envoy's retry-on vocabulary and HTTP status codes",
    });
    expect(diagnosticCodeInfo('CI2999')).toBeUndefined();
  });
});
