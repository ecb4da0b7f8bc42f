import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { validateSchema } from '../../lib/validation/schema';
import { calledFunctions, compileCel, implementedFunctions } from '../../lib/validation/schema/cel';
import { compileSchema, SchemaNode } from '../../lib/validation/schema/compile';
import { allCrds } from '../../lib/validation/schema/crds';
import { walk } from '../../lib/validation/schema/validate';

// Every distinct CEL expression in crds/ is compiled and evaluated (or is an oldSelf transition
// rule, which the API server skips on create). A CRD update that brings a CEL function the
// validator does not implement fails here.

const CRDS = path.join(__dirname, '..', '..', 'crds');

/** Distinct x-kubernetes-validations rules per file, read from the YAML independently of the validator. */
function rulesInCrds(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (node: unknown, acc: Set<string>): void => {
    if (Array.isArray(node)) {
      node.forEach(n => visit(n, acc));
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'x-kubernetes-validations' && Array.isArray(v)) {
          for (const r of v) acc.add(r.rule);
        }
        visit(v, acc);
      }
    }
  };
  for (const file of fs.readdirSync(CRDS).filter(f => f.endsWith('.yaml')).sort()) {
    const acc = new Set<string>();
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(CRDS, file), 'utf8'))) visit(doc.toJS(), acc);
    out.set(file, acc);
  }
  return out;
}

/** Functions, methods and macros that `expressions` call but the CEL environment does not provide. */
function unsupportedFunctions(expressions: Iterable<string>): string[] {
  const known = implementedFunctions();
  const missing = new Set<string>();
  for (const e of expressions) for (const f of calledFunctions(e)) if (!known.has(f)) missing.add(f);
  return [...missing].sort();
}

/** A value for every field of a schema: each object with all its properties, each list with one item. */
function sample(n: SchemaNode): unknown {
  if (n.enumValues !== undefined && n.enumValues.length > 0) return n.enumValues[0];
  if (n.intOrString) return 1;
  switch (n.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      if (n.properties) for (const [k, p] of n.properties) o[k] = sample(p.node);
      else if (typeof n.additionalProperties === 'object') o.key = sample(n.additionalProperties);
      return o;
    }
    case 'array': return n.items ? [sample(n.items)] : [];
    case 'string': return 'a';
    case 'integer': return n.minimum ?? 1;
    case 'number': return 1.5;
    case 'boolean': return true;
    default: return {};
  }
}

const byFile = rulesInCrds();
const expressions = [...new Set([...byFile.values()].flatMap(s => [...s]))].sort();

// Evaluate: a generated document for every kind and version (served or not), walked over the whole
// schema including status; served versions also go through validateSchema.
for (const crd of allCrds()) {
  for (const v of crd.versions.values()) {
    const root = compileSchema(v.schema);
    const doc = sample(root) as Record<string, unknown>;
    walk(doc, root, '', []);
    if (v.served) {
      validateSchema({ ...doc, apiVersion: `${crd.group}/${v.name}`, kind: crd.kind, metadata: { name: 'x', namespace: 'default' } });
    }
  }
}

describe('CEL coverage of crds/', () => {
  test('both CRD files hold CEL rules', () => {
    expect([...byFile.entries()].map(([file, rules]) => [file, rules.size > 20])).toEqual([
      ['gateway-api-1.6.1-standard-crds.yaml', true],
      ['istio-1.30.3-crds.yaml', true],
    ]);
    expect(expressions.length).toBeGreaterThan(100);
  });

  test('every function, method and macro the rules call is implemented', () => {
    expect(unsupportedFunctions(expressions)).toEqual([]);
  });

  test('the function check finds a function the environment lacks', () => {
    expect(unsupportedFunctions(['quantity(self.q).isGreaterThan(quantity("1"))', 'self.all(x, x.size() > 0)']))
      .toEqual(['isGreaterThan', 'quantity']);
  });

  test('the function check sees Kubernetes library functions in use', () => {
    const used = new Set(expressions.flatMap(e => [...calledFunctions(e)]));
    expect(['isURL', 'url', 'getScheme', 'isIP', 'duration', 'matches', 'exists_one'].filter(f => !used.has(f))).toEqual([]);
  });

  test('every expression compiles', () => {
    const failed = expressions.map(e => [e, compileCel(e).stats.compileError]).filter(([, err]) => err !== undefined);
    expect(failed).toEqual([]);
  });

  test('every expression that is not a transition rule was evaluated', () => {
    const notEvaluated = expressions.filter(e => !compileCel(e).stats.transition && compileCel(e).stats.evaluations === 0);
    expect(notEvaluated).toEqual([]);
  });

  test('the transition rules are exactly the oldSelf rules, and they were skipped', () => {
    const transitions = expressions.filter(e => compileCel(e).stats.transition);
    expect(transitions).toEqual(expressions.filter(e => /\boldSelf\b/.test(e)));
    expect(transitions.map(e => [e, compileCel(e).stats.skipped > 0, compileCel(e).stats.evaluations])).toEqual([['self == oldSelf', true, 0]]);
  });

  test('no evaluation failed because of a missing function or overload', () => {
    const broken = expressions.flatMap(e => compileCel(e).stats.errorMessages
      .filter(m => /overload|Unknown variable|not a function|Cannot read/i.test(m)).map(m => `${e}: ${m}`));
    expect(broken).toEqual([]);
  });
});
