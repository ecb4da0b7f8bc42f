import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdk8s';
import { buildExampleApp } from '../../examples/shop';
import { GRAPH_USAGE } from '../../lib/cli';
import { runCaptured } from './run-cli';
import { MeshGraph } from '../../lib/mesh-graph';
import { mermaidParse } from '../mesh-graph/mermaid';

// GIVEN the example app synthesized to disk (what `npm run synth` writes to dist/), WHEN
// `cdk8s-istio graph` runs on that directory, THEN it prints the MeshGraph of those manifests,
// the Mermaid text passes mermaid's parser, and usage or input errors exit 2.

const run = runCaptured;

let examplesOutput: string;
beforeAll(() => {
  examplesOutput = mkdtempSync(join(tmpdir(), 'cdk8s-istio-graph-'));
  const warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    buildExampleApp(new App({ outdir: examplesOutput })).synth();
  } finally {
    warn.mockRestore();
  }
});
afterAll(() => rmSync(examplesOutput, { recursive: true, force: true }));

describe('graph of the example app output', () => {
  test('the synthesized files are the example app\'s charts', () => {
    expect(readdirSync(examplesOutput).sort()).toEqual(['db.k8s.yaml', 'ingress.k8s.yaml', 'payments.k8s.yaml', 'shop.k8s.yaml']);
  });

  test('--format mermaid: the MeshGraph of the same objects, and mermaid\'s parser accepts it', () => {
    const r = run(['graph', examplesOutput, '--format', 'mermaid']);
    const fromApp = MeshGraph.fromApp(buildExampleApp(Testing.app())).toMermaid();
    expect(r).toEqual({ code: 0, err: [], out: [fromApp] });
    expect(mermaidParse(r.out)).toEqual([{ ok: true, diagramType: 'flowchart-v2' }]);
  }, 120_000);

  test('mermaid is the default; --format=dot gives the digraph', () => {
    expect(run(['graph', examplesOutput]).out).toEqual(run(['graph', examplesOutput, '--format', 'mermaid']).out);
    const dot = run(['graph', `--format=dot`, examplesOutput]);
    expect(dot).toEqual({ code: 0, err: [], out: [MeshGraph.fromApp(buildExampleApp(Testing.app())).toDot()] });
    expect(dot.out[0].split('\n').filter(l => l.includes('->') && l.includes('egress'))).toEqual(['  n22 -> n1 [label="egress", style=bold];']);
  });

  test('standard input; a host the set does not define is drawn outside the mesh', () => {
    const text = readFileSync(join(examplesOutput, 'ingress.k8s.yaml'), 'utf8');
    expect(run(['graph', '-', '--format', 'dot'], text)).toEqual({
      code: 0, err: [], out: [[
        'digraph mesh {',
        '  rankdir=LR;',
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
        '  subgraph cluster_1 {',
        '    label="istio-ingress";',
        '    n2 [label="Gateway public :80,443", shape=hexagon];',
        '  }',
        '  subgraph cluster_2 {',
        '    label="outside the mesh";',
        '    n1 [label="productpage.shop.svc.cluster.local", shape=octagon];',
        '  }',
        '  n2 -> n1 [label="bookinfo.example.com"];',
        '}',
      ].join('\n')],
    });
  });
});

describe('graph: usage and input errors exit 2', () => {
  test.each([
    [['graph'], 'no file or directory given'],
    [['graph', 'x', '--format', 'svg'], '--format must be one of "mermaid", "dot", got "svg"'],
    [['graph', 'x', '--format'], '--format must be one of "mermaid", "dot", got nothing'],
    [['graph', 'x', '--strict'], 'unknown option "--strict"'],
  ])('%j: %s', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err[0]).toBe(`cdk8s-istio: ${message}`);
    expect(r.err.join('\n')).toContain(GRAPH_USAGE);
  });

  test('an unreadable path: the input error, nothing drawn', () => {
    const missing = join(examplesOutput, 'missing.yaml');
    const r = run(['graph', missing]);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual([`${missing} error CI9001: cannot read: no such file or directory`, 'cdk8s-istio: cannot draw the graph: 1 input error']);
  });
});
