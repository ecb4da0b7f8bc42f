import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildExampleApp } from '../examples/shop';
import { expectValid } from './util';

/** apiVersion/kind pairs that the vendored CRDs serve, plus the core kinds the library emits. */
function knownKinds(): Set<string> {
  const known = new Set(['v1/Namespace', 'v1/Service', 'v1/ServiceAccount']);
  const dir = path.join(__dirname, '..', 'crds');
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions.filter((x: any) => x.served)) {
        known.add(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`);
      }
    }
  }
  return known;
}

describe('example app', () => {
  const app = buildExampleApp(Testing.app());
  const docs = app.charts.flatMap(c => Testing.synth(c));

  test('emits only kinds that exist in crds/ or Kubernetes core', () => {
    const known = knownKinds();
    const unknown = docs.map(d => `${d.apiVersion}/${d.kind}`).filter(k => !known.has(k));
    expect(unknown).toEqual([]);
    expect(docs.length).toBeGreaterThan(5);
  });

  test('output validates clean', () => {
    expectValid(docs);
  });

  test('the shop namespace holds productpage, reviews, ratings and details', () => {
    const services = docs.filter(d => d.kind === 'Service' && d.metadata.namespace === 'shop').map(d => d.metadata.name).sort();
    expect(services).toEqual(expect.arrayContaining(['details', 'productpage', 'ratings', 'reviews']));
  });

  test('synthesizing twice gives identical output', () => {
    const again = buildExampleApp(Testing.app()).charts.flatMap(c => Testing.synth(c));
    expect(again).toEqual(docs);
  });
});
