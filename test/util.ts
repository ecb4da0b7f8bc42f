import { App, Chart, Testing } from 'cdk8s';
import { formatDiagnostic, validateManifests } from '../lib/tools';

/** A fresh App and a Chart `test` in namespace `shop`, the given one, or none (`null`). */
export function testChart(namespace: string | null = 'shop'): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test', namespace === null ? {} : { namespace });
  return { app, chart };
}

/**
 * Synthesizes a chart to plain objects and asserts that every object passes the project's own
 * validator (no error diagnostics). Every test that synthesizes goes through here.
 */
export function synthValid(chart: Chart): any[] {
  const docs = Testing.synth(chart);
  expectValid(docs);
  return docs;
}

/** Asserts that a manifest set has no error diagnostics, showing them all if it does. */
export function expectValid(docs: readonly unknown[]): void {
  const errors = validateManifests(docs).filter(d => d.severity === 'error').map(formatDiagnostic);
  expect(errors).toEqual([]);
}

/** The one object of `kind` (and `name`, if given) in a synthesized set; fails if not exactly one. */
export function findOne(docs: readonly any[], kind: string, name?: string): any {
  const hits = docs.filter(d => d.kind === kind && (name === undefined || d.metadata?.name === name));
  if (hits.length !== 1) {
    throw new Error(`expected exactly one ${kind}${name ? `/${name}` : ''}, found ${hits.length}`);
  }
  return hits[0];
}

/** All objects of `kind` in a synthesized set. */
export function findAll(docs: readonly any[], kind: string): any[] {
  return docs.filter(d => d.kind === kind);
}
