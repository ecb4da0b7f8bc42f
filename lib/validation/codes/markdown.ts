import { DIAGNOSTIC_CODES, DIAGNOSTIC_TIERS } from './index';

const HEAD = [
  '# Diagnostic codes',
  '',
  '<!-- Generated from lib/validation/codes/ by `npm run docs:codes`; do not edit by hand. -->',
  '',
  'Every diagnostic has a stable code: `IST0xxx` where `istioctl analyze` reports the same finding,',
  'otherwise the library\'s own `CIxxxx`. Severity is `error` (fails synth and the CLI), `warning`',
  'or `info`.',
];

/** The "meaning" cell: the doc, led by the title unless the doc already says it. */
function meaning(title: string, doc: string): string {
  return title === doc || doc.toLowerCase().startsWith(title.toLowerCase()) ? doc : `**${title}.** ${doc}`;
}

/**
 * docs/diagnostic-codes.md, rendered from the registry. Each code has an anchor (`#ci2100`):
 * SARIF help URIs and the plugin's "How to fix" link to it.
 */
export function renderDiagnosticCodesMarkdown(): string {
  const out = [...HEAD];
  for (const tier of DIAGNOSTIC_TIERS) {
    out.push('', `## ${tier.heading}`, '', tier.intro, '', '| code | severity | meaning |', '|---|---|---|');
    for (const c of DIAGNOSTIC_CODES.filter(x => x.tier === tier.tier)) out.push(`| ${c.code} | ${c.severity} | <a id="${c.code.toLowerCase()}"></a>${meaning(c.title, c.doc)} |`);
  }
  return `${out.join('\n')}\n`;
}
