import { ApiObject, Chart, Testing } from 'cdk8s';
import * as validation from '../../lib/validation';
import { Construct } from 'constructs';
import { DataplaneMode, MeshContext, MeshError } from '../../lib';
import { lazy } from '../../lib/mesh/lazy';
import { namespaceObject } from '../../lib/mesh/kube';
import { testChart } from '../util';
import { AppRuntime } from '../../lib/app/runtime';

describe('MeshContext', () => {
  test('one context per App', () => {
    const { app, chart } = testChart();
    expect(MeshContext.of(chart)).toBe(MeshContext.of(app));
    expect(MeshContext.of(Testing.app())).not.toBe(MeshContext.of(app));
  });

  test('a namespace is declared once; a second declaring construct is an error naming both', () => {
    const { chart } = testChart();
    const ctx = AppRuntime.of(chart);
    const a = new Construct(chart, 'a');
    const b = new Construct(chart, 'b');
    const info = (construct: Construct) => ({ name: 'shop', mode: DataplaneMode.SIDECAR, construct, waypointFor: () => undefined, waypointBoundTo: () => undefined });
    ctx.registerNamespace(info(a));
    ctx.registerNamespace(info(a));
    expect(ctx.namespace('shop')?.construct).toBe(a);
    expect(() => ctx.registerNamespace(info(b))).toThrow(MeshError);
    expect(() => ctx.registerNamespace(info(b)))
      .toThrow('Construct test/b: namespace "shop" is already declared by Construct test/a; a namespace is declared once');
    expect(ctx.declaredNamespaces.map(n => n.name)).toEqual(['shop']);
  });

  test('shared state is created once per key', () => {
    const { chart } = testChart();
    const ctx = AppRuntime.of(chart);
    const first = ctx.shared('k', () => ({ n: 1 }));
    expect(ctx.shared('k', () => ({ n: 2 }))).toBe(first);
  });

  test('warnings are recorded once, with the construct type and path', () => {
    const { chart } = testChart();
    const ctx = AppRuntime.of(chart);
    const c = new Construct(chart, 'svc');
    ctx.warn(c, 'something odd');
    ctx.warn(c, 'something odd');
    expect(ctx.warnings).toEqual([{ path: 'test/svc', message: 'Construct test/svc: something odd' }]);
  });

  test('synth fails on an invalid object with its construct path; disabling validation lets it through', () => {
    const { chart } = testChart();
    const ctx = MeshContext.of(chart);
    new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_A_Name' } });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/bad\] error CI1\d\d\d ConfigMap shop\/Not_A_Name metadata.name: /);
    ctx.validate = false;
    expect(Testing.synth(chart)).toHaveLength(1);
  });

  test('namespaceObject drops the chart namespace from the cluster-scoped Namespace', () => {
    const { chart } = testChart();
    namespaceObject(chart, 'ns', 'payments', { 'istio.io/dataplane-mode': 'ambient' });
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', labels: { 'istio.io/dataplane-mode': 'ambient' } },
    }]);
  });
});

describe('MeshContext at synth', () => {
  test('an object whose rendering throws is reported as a synth error with its message, not a stack of wrappers', () => {
    const { chart } = testChart();
    MeshContext.of(chart);
    new ApiObject(chart, 'broken', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' },
      data: lazy(() => { throw new MeshError(chart, 'cannot render'); }),
    });
    expect(() => Testing.synth(chart)).toThrow('Validation failed with the following errors:\n  Chart test: cannot render');
  });

  test('a plain Error while rendering is reported with the object path', () => {
    const { chart } = testChart();
    MeshContext.of(chart);
    new ApiObject(chart, 'broken', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: lazy(() => { throw new Error('boom'); }) });
    expect(() => Testing.synth(chart)).toThrow('[test/broken] boom');
  });

  test('info notes are recorded, not printed as warnings', () => {
    const { chart } = testChart();
    const ctx = AppRuntime.of(chart);
    ctx.info(chart, 'good to know');
    ctx.info(chart, 'good to know');
    expect(ctx.infos).toEqual([{ path: 'test', message: 'Chart test: good to know' }]);
    expect(ctx.warnings).toEqual([]);
  });
});

describe('MeshContext validation runs once per synth', () => {
  test('app.synth() with several charts validates the App once, though cdk8s re-validates per chart', () => {
    // GIVEN
    const app = Testing.app();
    for (const id of ['a', 'b', 'c']) {
      const chart = new Chart(app, id, { namespace: id });
      new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    }
    MeshContext.of(app);
    const spy = jest.spyOn(validation, 'validateManifests');
    try {
      // WHEN
      app.synth();
      // THEN
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0]).toHaveLength(3);
    } finally {
      spy.mockRestore();
    }
  });

  test('adding an object between two synths in the same tick validates afresh', () => {
    const { chart } = testChart();
    MeshContext.of(chart);
    new ApiObject(chart, 'ok', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } });
    expect(Testing.synth(chart)).toHaveLength(1);
    new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/bad\] error CI1001/);
  });
});

describe('MeshContext: the JSON validated is the JSON written', () => {
  test('app.synth() renders each object once; the document validated is the document written', async () => {
    // GIVEN
    const app = Testing.app();
    const charts = ['a', 'b'].map(id => new Chart(app, id, { namespace: id }));
    let renders = 0;
    new ApiObject(charts[0], 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: lazy(() => { renders++; return { n: String(renders) }; }) });
    new ApiObject(charts[1], 'other', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } });
    MeshContext.of(app);
    const spy = jest.spyOn(validation, 'validateManifests');
    try {
      // WHEN
      app.synth();
      const written = charts[0].toJson();
      // THEN
      expect(renders).toBe(1);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(written).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' }, data: { n: '1' } }]);
      expect(spy.mock.calls[0][0][0]).toBe(written[0]);
      // A later synth renders afresh.
      await Promise.resolve();
      expect(charts[0].toJson()).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' }, data: { n: '2' } }]);
      expect(renders).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });

  test('with validation off, objects render as cdk8s renders them, on every call', () => {
    const { chart } = testChart();
    MeshContext.of(chart).validate = false;
    let renders = 0;
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: lazy(() => { renders++; return { a: 'b' }; }) });
    Testing.synth(chart);
    Testing.synth(chart);
    expect(renders).toBe(2);
  });

  test('a synth after constructs were added in the same tick renders every object afresh', () => {
    const { chart } = testChart();
    MeshContext.of(chart);
    let renders = 0;
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: lazy(() => { renders++; return { n: String(renders) }; }) });
    expect(Testing.synth(chart)[0].data).toEqual({ n: '1' });
    new ApiObject(chart, 'more', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'more' } });
    expect(Testing.synth(chart).map(d => d.data)).toEqual([{ n: '2' }, undefined]);
    expect(renders).toBe(2);
  });
});

describe('MeshContext synth checks', () => {
  test('a construct check runs once per synth, before rendering, and its problems fail synth with the construct path', async () => {
    // GIVEN
    const app = Testing.app();
    const charts = ['a', 'b'].map(id => new Chart(app, id, { namespace: id }));
    const rendered: string[] = [];
    new ApiObject(charts[0], 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: lazy(() => { rendered.push('cm'); return { a: 'b' }; }) });
    const owner = new Construct(charts[1], 'owner');
    let runs = 0;
    let problems: string[] = ['intent cannot be met'];
    AppRuntime.of(app).addSynthCheck(owner, () => { runs++; return problems; });
    // WHEN / THEN
    expect(() => app.synth()).toThrow('Validation failed with the following errors:\n  [b/owner] intent cannot be met');
    expect(runs).toBe(1);
    expect(rendered).toEqual([]);
    // A later synth (after the current one has ended) checks afresh.
    await Promise.resolve();
    problems = [];
    app.synth();
    expect(runs).toBe(2);
    expect(rendered.length).toBeGreaterThan(0);
  });

  test('a check that throws is reported like a returned problem', () => {
    const { chart } = testChart();
    const owner = new Construct(chart, 'owner');
    AppRuntime.of(chart).addSynthCheck(owner, () => { throw new MeshError(owner, 'no waypoint'); });
    expect(() => Testing.synth(chart)).toThrow('Validation failed with the following errors:\n  Construct test/owner: no waypoint');
  });
});
