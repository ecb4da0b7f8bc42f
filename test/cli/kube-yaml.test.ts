import { Diagnostic } from '../../lib/validation';
import { runCli } from '../../lib/cli';
import { parseChunk, splitDocuments } from '../../lib/cli/kube-yaml';
import { loadText } from '../../lib/cli/load';
import { pathSegments } from '../../lib/cli/positions';

// YAML is read as kubectl reads it: k8s.io/apimachinery pkg/util/yaml YAMLReader splits on `---`
// lines, sigs.k8s.io/yaml decodes each document with go-yaml v2 (gopkg.in/yaml.v2 v2.4.0
// resolve.go: YAML 1.1 booleans, strconv.ParseInt(s, 0, 64) integers) and converts to JSON
// (non-string keys become their text). Each case below is a place where YAML libraries differ.

function read(text: string): unknown {
  const docs = splitDocuments(text).map(parseChunk);
  expect(docs).toHaveLength(1);
  const r = docs[0];
  if ('error' in r) throw new Error(r.error);
  return r.value;
}

describe('scalars resolve as go-yaml v2 resolves them (YAML 1.1), not YAML 1.2', () => {
  test.each([
    ['yes', true], ['Yes', true], ['YES', true], ['on', true], ['ON', true], ['y', true], ['Y', true], ['True', true],
    ['no', false], ['off', false], ['n', false], ['N', false], ['FALSE', false],
    ['017', 15], ['0o17', 15], ['0x1F', 31], ['0b101', 5], ['1_000', 1000], ['+12', 12], ['-0x10', -16],
    ['08', 8], ['1e3', 1000], ['.5', 0.5], ['1.', 1],
    ['~', null], ['null', null], ['Null', null], ['', null],
    // go-yaml v2 keeps timestamps as strings when decoding into interface{} (js-yaml's default makes a Date)
    ['2001-12-14', '2001-12-14'], ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
    ['yess', 'yess'], ['0x', '0x'], ['1.2.3.4', '1.2.3.4'], ['"yes"', 'yes'], ['\'on\'', 'on'],
  ])('%s', (text, value) => {
    expect(read(`v: ${text}\n`)).toEqual({ v: value });
  });

  test('keys that resolve to booleans or numbers become their JSON text (on: -> "true")', () => {
    expect(read('on: 1\nno: 2\n017: 3\n')).toEqual({ true: 1, false: 2, 15: 3 });
  });
});

describe('flow collections', () => {
  test('addresses: [1.2.3.4, 001:db8::] is a list of two strings (go-yaml ends a plain scalar only at ": ")', () => {
    expect(read('addresses: [1.2.3.4, 001:db8::]\nb: {x: 2001:db8::, y: [a:]}\n')).toEqual({
      addresses: ['1.2.3.4', '001:db8::'],
      b: { x: '2001:db8::', true: ['a:'] },
    });
  });

  test('the same text in quoted scalars, block scalars and comments is left alone', () => {
    expect(read('a: "x:]"\nb: |\n  [a:]\n  {b:}\nc: [ok] # [c:]\n')).toEqual({ a: 'x:]', b: '[a:]\n{b:}\n', c: ['ok'] });
  });

  test('a flow mapping with ": " still is a mapping', () => {
    expect(read('a: [{x: 1}, w: 2]\n')).toEqual({ a: [{ x: 1 }, { w: 2 }] });
  });
});

describe('merge keys and aliases', () => {
  test('<< merges a mapping; explicit keys win', () => {
    expect(read('base: &b {x: 1, z: 2}\nm:\n  <<: *b\n  z: 3\n')).toEqual({ base: { x: 1, z: 2 }, m: { x: 1, z: 3 } });
  });

  test('<< with a list of mappings: earlier ones win', () => {
    expect(read('a: &a {x: 1}\nb: &b {x: 2, w: 2}\nm:\n  <<: [*a, *b]\n')).toEqual({ a: { x: 1 }, b: { x: 2, w: 2 }, m: { x: 1, w: 2 } });
  });

  test('an alias bomb is CI9005 for its document, as go-yaml refuses "excessive aliasing"; the next document is still read', () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 7; i++) rows.push(`${'abcdefg'[i]}: &${'abcdefg'[i]} [${Array(9).fill(`*${'abcdefg'[i - 1]}`).join(',')}]`);
    const { docs, problems } = loadText(`${rows.join('\n')}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n`, 'bomb.yaml');
    expect(problems.map(p => [p.code, p.index, p.message, p.line])).toEqual([
      ['CI9005', 0, 'document contains excessive aliasing (alias expansion is bounded as kubectl bounds it)', 1],
    ]);
    expect(docs.map(d => d.doc)).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ok' } }]);
  });

  test('an alias to an anchor of another document is a CI9002 syntax error of that document only', () => {
    const { docs, problems } = loadText('apiVersion: v1\nkind: Namespace\nmetadata: {name: &n shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: *n}\n', 'a.yaml');
    expect(problems.map(p => [p.code, p.index, p.message, p.line, p.column])).toEqual([
      ['CI9002', 1, 'YAML syntax error (line 7, column 20): unidentified alias "n"', 7, 20],
    ]);
    expect(docs.map(d => d.index)).toEqual([0]);
  });

  test('a few aliases are fine', () => {
    expect(read('a: &a {x: 1}\nb: [*a, *a]\n')).toEqual({ a: { x: 1 }, b: [{ x: 1 }, { x: 1 }] });
  });
});

describe('documents', () => {
  test('split on --- lines only (also with a comment after them); a comment-only head is no document', () => {
    expect(splitDocuments('# head\n---\na: 1\n--- # two\nb: 2\n---\n---\nc: "---"\n').map(c => [c.index, c.text, c.line])).toEqual([
      [0, 'a: 1', 2], [1, 'b: 2', 4], [2, '', 6], [3, 'c: "---"\n', 7],
    ]);
  });

  test('a long first document followed by --- is split (the head check does not backtrack)', () => {
    const first = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n${Array.from({ length: 300 }, (_, i) => `  k${i}: v`).join('\n')}\n`;
    expect(splitDocuments(`${first}---\nb: 1\n`).map(c => [c.index, c.line])).toEqual([[0, 0], [1, 306]]);
  });

  test('duplicate keys are an error (kubectl --validate=strict rejects them too)', () => {
    const { problems } = loadText('a: 1\na: 2\n', 'd.yaml');
    expect(problems.map(p => [p.code, p.message])).toEqual([['CI9002', 'YAML syntax error (line 2, column 1): duplicated mapping key']]);
  });
});

describe('List kinds are unpacked as kubectl unpacks them; items keep their position', () => {
  const LIST = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
- apiVersion: networking.istio.io/v1
  kind: Sidecar
  metadata:
    name: default
    namespace: shop
  spec: {}
- 3
`;
  test('each item is a document; a non-object item is CI9003 at items[n]', () => {
    const { docs, problems } = loadText(LIST, 'list.yaml');
    expect(docs.map(d => [d.item, (d.doc as any).kind])).toEqual([['items[0]', 'Namespace'], ['items[1]', 'Sidecar']]);
    expect(problems.map(p => [p.code, p.path, p.line, p.column, p.message])).toEqual([
      ['CI9003', 'items[2]', 14, 3, 'List item items[2] is a number, not a mapping; kubectl expects an object with apiVersion and kind'],
    ]);
  });

  test('the CLI validates the items: paths and lines point into the List', () => {
    const out: string[] = [];
    const code = runCli(['validate', '--format', 'json', '-'], { out: l => out.push(l), err: () => undefined }, { readStdin: () => LIST });
    const found = (JSON.parse(out[0]) as Diagnostic[]).filter(d => d.code === 'CI2100' || d.code === 'CI9003');
    expect(found.map(d => [d.file, d.index, d.code, d.kind, d.path, d.line, d.column])).toEqual([
      ['<stdin>', 0, 'CI9003', '', 'items[2]', 14, 3],
      ['<stdin>', 0, 'CI2100', 'Sidecar', 'items[1].spec', 13, 3],
    ]);
    expect(code).toBe(1);
  });
});

describe('cdk8s-istio validate - reads standard input', () => {
  test('text output names <stdin> with line and column', () => {
    const out: string[] = [];
    const code = runCli(['validate', '-'], { out: l => out.push(l), err: () => undefined }, {
      readStdin: () => 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: shop\nspec: {}\n',
    });
    expect(out.filter(l => l.includes('CI2100'))).toEqual([
      '<stdin>:6:1 error CI2100 Sidecar shop/default spec: empty Sidecar configuration: set at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool',
    ]);
    expect(code).toBe(1);
  });

  test('an unreadable standard input is CI9001', () => {
    const out: string[] = [];
    runCli(['validate', '-'], { out: l => out.push(l), err: () => undefined }, { readStdin: () => { throw Object.assign(new Error('x'), { code: 'EACCES' }); } });
    expect(out[0]).toBe('<stdin> error CI9001: cannot read standard input: permission denied');
  });
});

describe('positions', () => {
  test('paths split into keys and indexes', () => {
    expect(pathSegments('spec.http[0].route["a.b"].weight')).toEqual(['spec', 'http', 0, 'route', 'a.b', 'weight']);
  });

  test('line and column of the deepest key present; label keys with dots and slashes are found', () => {
    const { docs } = loadText('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels:\n    app.kubernetes.io/name: x\nspec:\n  ports:\n  - port: 80\n    name: http\n', 's.yaml');
    const d = docs[0];
    expect([d.locate(''), d.locate('spec.ports[0].name'), d.locate('metadata.labels.app.kubernetes.io/name'), d.locate('spec.missing.deeper')]).toEqual([
      { line: 1, column: 1 }, { line: 10, column: 5 }, { line: 6, column: 5 }, { line: 7, column: 1 },
    ]);
  });
});
