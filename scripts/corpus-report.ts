// npm run corpus:report: agreement of the validator with upstream's own test data, per source
// (test/corpus/upstream/, see its SOURCES.md). `--cases` also lists every disagreement.
import { agreementFigures, figuresTable, listedCases, runUpstreamCorpus } from '../test/corpus/upstream-agreement';

const results = runUpstreamCorpus();
console.log(figuresTable(agreementFigures(results)));
if (process.argv.includes('--cases')) {
  const deliberate = listedCases('Deliberate differences');
  for (const r of results.filter(x => !x.agrees)) {
    console.log(`${deliberate.has(r.id) ? 'deliberate' : 'known gap '} ${r.id}\n    ${r.detail}`);
  }
}
