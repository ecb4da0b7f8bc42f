// npm run corpus:report: agreement of the validator with upstream's own test data, per source
// (test/corpus/upstream/, see its SOURCES.md). `--cases` also lists every disagreement;
// `--readme` writes the table into README.md between the corpus:report markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agreementFigures, figuresTable, listedCases, runUpstreamCorpus } from '../test/corpus/upstream-agreement';

const results = runUpstreamCorpus();
const table = figuresTable(agreementFigures(results));
console.log(table);
if (process.argv.includes('--cases')) {
  const deliberate = listedCases('Deliberate differences');
  for (const r of results.filter(x => !x.agrees)) {
    console.log(`${deliberate.has(r.id) ? 'deliberate' : 'known gap '} ${r.id}\n    ${r.detail}`);
  }
}
if (process.argv.includes('--readme')) {
  const file = join(__dirname, '..', 'README.md');
  const readme = readFileSync(file, 'utf8');
  const marked = /(<!-- corpus:report -->\n)[\s\S]*?(\n<!-- \/corpus:report -->)/;
  if (!marked.test(readme)) throw new Error('README.md has no <!-- corpus:report --> ... <!-- /corpus:report --> section');
  writeFileSync(file, readme.replace(marked, (_m, open: string, close: string) => `${open}${table}${close}`));
  console.log('README.md updated');
}
