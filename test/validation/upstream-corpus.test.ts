import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agreementFigures, figuresTable, listedCases, runUpstreamCorpus } from '../corpus/upstream-agreement';

// GIVEN upstream's own test data (test/corpus/upstream/, extracted by
// scripts/extract-upstream-corpus.mjs from istio/istio 1.30.3, istio/api v1.30.3 and
// kubernetes-sigs/gateway-api v1.6.1; see SOURCES.md), WHEN the validator runs each case, THEN its
// verdict is upstream's, or the case is listed in SOURCES.md as a deliberate difference (with its
// reason) or a known gap.

const results = runUpstreamCorpus();
const deliberate = listedCases('Deliberate differences');
const gaps = listedCases('Known gaps');

describe('upstream corpus', () => {
  test('every source has cases', () => {
    expect(agreementFigures(results).map(f => [f.source, f.cases > 0])).toEqual([
      ['Gateway API invalid examples', true], ['Gateway API examples', true], ['Istio samples', true],
      ['istio/api CRD test data', true], ['istio webhook tables', true], ['istioctl analyze testdata', true],
    ]);
  });

  test.each(results.map(r => [r.id, r]))('%s agrees with upstream or is listed in SOURCES.md', (_id, r) => {
    const listed = deliberate.has(r.id) || gaps.has(r.id);
    const verdict = r.agrees
      ? (listed ? `${r.id} is listed in SOURCES.md but now agrees with upstream: remove it` : 'ok')
      : (listed ? 'ok' : `${r.id} disagrees and is not listed in SOURCES.md: ${r.detail}`);
    expect(verdict).toBe('ok');
  });

  test('every case SOURCES.md lists exists', () => {
    const ids = new Set(results.map(r => r.id));
    expect([...deliberate.keys(), ...gaps.keys()].filter(id => !ids.has(id))).toEqual([]);
  });

  test('the README states the figures npm run corpus:report prints', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const m = /<!-- corpus:report -->\n([\s\S]*?)\n<!-- \/corpus:report -->/.exec(readme);
    expect(m?.[1]).toEqual(figuresTable(agreementFigures(results)));
  });
});
