import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadText } from '../../lib/cli/load';
import { Diagnostic, diagnosticCodeInfo, validateManifests } from '../../lib/validation';

// Runs the upstream corpus (test/corpus/upstream/, extracted by scripts/extract-upstream-corpus.mjs)
// and compares each case's verdict with upstream's. Used by test/validation/upstream-corpus.test.ts
// and scripts/corpus-report.ts (npm run corpus:report).

export const UPSTREAM = join(__dirname, 'upstream');

/** One case's outcome. */
export interface CaseResult {
  /** Stable id, as listed in SOURCES.md: `<source>/<file>` or `<source>/<file>#<case name>`. */
  readonly id: string;
  /** The source it belongs to (a row of the report). */
  readonly source: string;
  /** True when our verdict is upstream's. */
  readonly agrees: boolean;
  /** What upstream says and what we found, for a failure message. */
  readonly detail: string;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

const API_SERVER_TIERS = new Set(['schema', 'semantics', 'input']);

/** Errors the API server or istiod's webhook would report (tiers 1 and 2, and unreadable input). */
function admissionErrors(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter(d => d.severity === 'error' && API_SERVER_TIERS.has(diagnosticCodeInfo(d.code)?.tier ?? 'input'));
}

function show(ds: readonly Diagnostic[]): string {
  return ds.length === 0 ? 'none' : ds.slice(0, 3).map(d => `${d.code} ${d.kind} ${d.path}: ${d.message.slice(0, 160)}`).join(' | ');
}

/** Reads a file as the CLI does and validates it as one set. */
function validateFile(file: string): Diagnostic[] {
  const { docs, problems } = loadText(readFileSync(file, 'utf8'), file);
  return [...problems, ...validateManifests(docs.map(d => d.doc))];
}

function fileVerdicts(source: string, dir: string, upstreamValid: boolean): CaseResult[] {
  return files(join(UPSTREAM, dir)).map(f => {
    const errors = admissionErrors(validateFile(f));
    const agrees = upstreamValid ? errors.length === 0 : errors.length > 0;
    return { id: relative(UPSTREAM, f), source, agrees, detail: `upstream: ${upstreamValid ? 'accepted' : 'rejected'}; ours: ${show(errors)}` };
  });
}

/** istio/api tests/testdata: one case per document; `_err` is the expected error (absent: valid). */
function crdCases(): CaseResult[] {
  const out: CaseResult[] = [];
  for (const f of files(join(UPSTREAM, 'istio-api-crd'))) {
    const { docs } = loadText(readFileSync(f, 'utf8'), f);
    for (const d of docs) {
      const { _err: want, ...doc } = d.doc as Record<string, unknown>;
      const errors = admissionErrors(validateManifests([doc]));
      const valid = typeof want !== 'string' || want === '';
      const name = String((doc.metadata as any)?.name ?? d.index);
      out.push({
        id: `${relative(UPSTREAM, f)}#${name}`, source: 'istio/api CRD test data',
        agrees: valid ? errors.length === 0 : errors.length > 0,
        detail: `upstream: ${valid ? 'accepted' : `rejected (${want as string})`}; ours: ${show(errors)}`,
      });
    }
  }
  return out;
}

interface WebhookCase { name: string; apiVersion: string; kind: string; metadata: object; spec: object; valid: boolean; expect?: string }

/** istio pkg/config/validation tables: valid cases get no admission error, invalid ones at least one. */
function webhookCases(): CaseResult[] {
  const dir = join(UPSTREAM, 'istio-webhook');
  return readdirSync(dir).sort().flatMap(f => {
    const { cases } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { cases: WebhookCase[] };
    return cases.map(c => {
      const errors = admissionErrors(validateManifests([{ apiVersion: c.apiVersion, kind: c.kind, metadata: c.metadata, spec: c.spec }]));
      return {
        id: `istio-webhook/${f}#${c.name}`, source: 'istio webhook tables',
        agrees: c.valid ? errors.length === 0 : errors.length > 0,
        detail: `upstream: ${c.valid ? 'accepted' : `rejected (${c.expect ?? ''})`}; ours: ${show(errors)}`,
      };
    });
  });
}

/**
 * The istioctl analyzers we implement, with the codes each reports. IST0101 is shared by several
 * upstream analyzers; `path` picks ours that belong to the analyzer (gateway, host or subset references).
 */
export const IMPLEMENTED_ANALYZERS: Record<string, readonly { code: string; path?: RegExp }[]> = {
  'virtualservice.GatewayAnalyzer': [{ code: 'IST0101', path: /gateways\[/ }, { code: 'IST0132' }, { code: 'IST0165' }],
  'virtualservice.DestinationHostAnalyzer': [{ code: 'IST0101', path: /(?:destination|mirror)(?:\.host|\.port|$)/ }, { code: 'IST0112' }, { code: 'IST0140' }],
  'virtualservice.DestinationRuleAnalyzer': [{ code: 'IST0101', path: /subset$/ }],
  'virtualservice.ConflictingMeshGatewayHostsAnalyzer': [{ code: 'IST0109' }],
  'gateway.ConflictingGatewayAnalyzer': [{ code: 'IST0145' }],
  'sidecar.SelectorAnalyzer': [{ code: 'IST0111' }, { code: 'IST0110' }, { code: 'IST0101' }, { code: 'IST0167' }],
};

interface AnalyzerCase { name: string; analyzer: string; inputFiles: string[]; expected: { code: string; resource: string }[] }

function resource(d: Diagnostic): string {
  return `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}`;
}

/** istioctl analyze testGrid: the messages of the implemented analyzers, compared as sets of code + resource. */
function analyzerCases(): CaseResult[] {
  const { cases } = JSON.parse(readFileSync(join(UPSTREAM, 'istio-analyzers', 'cases.json'), 'utf8')) as { cases: AnalyzerCase[] };
  return cases.filter(c => c.analyzer in IMPLEMENTED_ANALYZERS).map(c => {
    const mine = IMPLEMENTED_ANALYZERS[c.analyzer];
    const docs = c.inputFiles.flatMap(f => loadText(readFileSync(join(UPSTREAM, 'istio-analyzers', f), 'utf8'), f).docs.map(d => d.doc));
    const ours = [...new Set(validateManifests(docs)
      .filter(d => mine.some(m => m.code === d.code && (m.path === undefined || m.path.test(d.path))))
      .map(d => `${d.code} ${resource(d)}`))].sort();
    const want = [...new Set(c.expected.map(e => `${e.code} ${e.resource}`))].sort();
    return {
      id: `istio-analyzers#${c.name}`, source: 'istioctl analyze testdata',
      agrees: JSON.stringify(ours) === JSON.stringify(want),
      detail: `upstream: [${want.join(', ')}]; ours: [${ours.join(', ')}]`,
    };
  });
}

/** Every case of the corpus, source by source. */
export function runUpstreamCorpus(): CaseResult[] {
  return [
    ...fileVerdicts('Gateway API invalid examples', 'gateway-api/invalid', false),
    ...fileVerdicts('Gateway API examples', 'gateway-api/valid', true),
    ...fileVerdicts('Istio samples', 'istio-samples', true),
    ...crdCases(),
    ...webhookCases(),
    ...analyzerCases(),
  ];
}

/** A section of SOURCES.md as case id -> reason: `## Deliberate differences` or `## Known gaps`. */
export function listedCases(heading: 'Deliberate differences' | 'Known gaps'): Map<string, string> {
  const text = readFileSync(join(UPSTREAM, 'SOURCES.md'), 'utf8');
  const start = text.indexOf(`## ${heading}`);
  const rest = start < 0 ? '' : text.slice(start + 3);
  const section = rest.includes('\n## ') ? rest.slice(0, rest.indexOf('\n## ')) : rest;
  const out = new Map<string, string>();
  for (const m of section.matchAll(/^- `([^`]+)`: (.+)$/gm)) out.set(m[1], m[2]);
  return out;
}

/** Agreement per source: cases, agreeing, listed deliberate differences, known gaps. */
export interface SourceFigures { readonly source: string; readonly cases: number; readonly agree: number; readonly deliberate: number; readonly gaps: number }

export function agreementFigures(results: readonly CaseResult[]): SourceFigures[] {
  const deliberate = listedCases('Deliberate differences');
  const order = [...new Set(results.map(r => r.source))];
  return order.map(source => {
    const rs = results.filter(r => r.source === source);
    const agree = rs.filter(r => r.agrees).length;
    const dd = rs.filter(r => !r.agrees && deliberate.has(r.id)).length;
    return { source, cases: rs.length, agree, deliberate: dd, gaps: rs.length - agree - dd };
  });
}

/** The Markdown table the README shows (between its corpus markers). */
export function figuresTable(figures: readonly SourceFigures[]): string {
  const pct = (n: number, d: number) => `${(100 * n / d).toFixed(1)}%`;
  const rows = figures.map(f => `| ${f.source} | ${f.cases} | ${f.agree} (${pct(f.agree, f.cases)}) | ${f.deliberate} | ${f.gaps} |`);
  return ['| upstream source | cases | agree with upstream | deliberate differences | known gaps |', '|---|---|---|---|---|', ...rows].join('\n');
}
