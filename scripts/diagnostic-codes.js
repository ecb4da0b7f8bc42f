// npm run docs:codes [-- --check]
// Writes docs/diagnostic-codes.md from the registry in lib/validation/codes/ (or, with --check,
// exits 1 when the committed file differs; test/validation/codes.test.ts checks the same in CI).
require('sucrase/register');
const fs = require('fs');
const path = require('path');
const { renderDiagnosticCodesMarkdown } = require('../lib/validation/codes/markdown');

const file = path.join(__dirname, '..', 'docs', 'diagnostic-codes.md');
const text = renderDiagnosticCodesMarkdown();
if (process.argv.includes('--check')) {
  if (fs.readFileSync(file, 'utf8') !== text) {
    console.error('docs/diagnostic-codes.md is out of date: run `npm run docs:codes`');
    process.exit(1);
  }
} else {
  fs.writeFileSync(file, text);
}
