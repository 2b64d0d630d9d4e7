import { describe, expect, it } from 'vitest';
import type { DataSpec, ExperimentSpec, LayerSpec, NormalizedSpec, ScheduleType } from '../../../engine/index';
import { validateSpec } from '../../../engine/index';
import { DATASETS, DEFAULT_SPECS, MNIST_CNN, OPTIMIZERS, SCHEDULES } from './catalog';
import { designOf } from './design';
import {
  asRaw,
  COMPARISONS,
  comparisonOf,
  inputWidth,
  withData,
  withDataset,
  withDesign,
  withFeatures,
  withLabelSmoothing,
  withMnistArchitecture,
  withOptimizer,
  withOptimizerField,
  withRegularization,
  withSchedule,
  withTraining,
  withWarmup,
} from './edits';

function valid(raw: unknown): NormalizedSpec {
  const v = validateSpec(raw);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('\n'));
  return v.value;
}

const SPIRAL = valid(DEFAULT_SPECS.classify2d);
const BUMPS = valid(DEFAULT_SPECS.regress2d);
const MNIST = valid(DEFAULT_SPECS.mnist);
const CNN = valid(MNIST_CNN);
const SPIRAL_DATA = DEFAULT_SPECS.classify2d.data as DataSpec;

const on = (over: Partial<ExperimentSpec>, base: ExperimentSpec = DEFAULT_SPECS.classify2d) =>
  valid({ ...structuredClone(base), ...over });
const head = (s: NormalizedSpec) => s.model.layers.at(-1);
const hiddenLayers = (s: NormalizedSpec) => JSON.stringify(s.model.layers.slice(0, -1));

describe('asRaw', () => {
  it('gives back a spec that validates to the same normalized spec, without data: null', () => {
    for (const s of [SPIRAL, BUMPS, MNIST, CNN]) expect(valid(asRaw(s))).toEqual(s);
    const { data: _none, ...noData } = DEFAULT_SPECS.classify2d;
    const raw = asRaw(valid(noData));
    expect('data' in raw).toBe(false);
    // A copy: editing it leaves the normalized spec alone.
    raw.model.layers.pop();
    expect(SPIRAL.model.layers).toHaveLength(7);
  });

  it('inputWidth multiplies the input shape', () => {
    expect([SPIRAL, MNIST, CNN].map(inputWidth)).toEqual([2, 784, 784]);
  });
});

describe('withDataset', () => {
  it('keeps the network and training settings between 2-D classification datasets', () => {
    const tuned = on({ optimizer: { type: 'sgd', lr: 0.2, momentum: 0.9 }, training: { batchSize: 16, seed: 4 } });
    for (const id of ['circle', 'xor', 'moons', 'blobs', 'spiral'] as const) {
      const s = valid(withDataset(tuned, id));
      expect(s.data?.kind).toBe(id);
      expect(s.model).toEqual(tuned.model);
      expect(s.optimizer).toEqual(tuned.optimizer);
      expect(s.training).toEqual(tuned.training);
      expect(s.loss.type).toBe('cross_entropy');
    }
  });

  it('retargets the output to the class count: 3-class blobs -> 3-class spiral has 3 outputs', () => {
    const blobs3 = valid(withData(valid(withDataset(SPIRAL, 'blobs')), { classes: 3 }));
    expect(head(blobs3)).toMatchObject({ type: 'dense', units: 3 });
    const spiral3 = valid(withDataset(blobs3, 'spiral'));
    expect(spiral3.data?.classes).toBe(3);
    expect(head(spiral3)).toMatchObject({ type: 'dense', units: 3 });
    // 5 blobs do not exist as a spiral: it falls back to the spiral's first class count.
    const blobs5 = valid(withData(blobs3, { classes: 5 }));
    const spiral2 = valid(withDataset(blobs5, 'spiral'));
    expect(spiral2.data?.classes).toBe(2);
    expect(head(spiral2)).toMatchObject({ units: 2 });
    // Circle has only two classes.
    expect(head(valid(withDataset(spiral3, 'circle')))).toMatchObject({ units: 2 });
    expect(hiddenLayers(spiral2)).toBe(hiddenLayers(SPIRAL));
  });

  it('regression gets one output and mse, and back to classification gets cross_entropy', () => {
    const smooth = on({ loss: { type: 'cross_entropy', labelSmoothing: 0.1 } });
    for (const id of ['plane', 'bumps'] as const) {
      const r = valid(withDataset(smooth, id));
      expect(r.data?.kind).toBe(id);
      expect(head(r)).toMatchObject({ type: 'dense', units: 1 });
      expect(r.loss).toEqual({ type: 'mse' });
      expect(hiddenLayers(r)).toBe(hiddenLayers(SPIRAL));
      const back = valid(withDataset(r, 'moons'));
      expect(head(back)).toMatchObject({ units: 2 });
      expect(back.loss.type).toBe('cross_entropy');
    }
    // A regression loss the learner picked is kept between regression datasets.
    const huber = on({ loss: { type: 'huber', delta: 0.5 } }, DEFAULT_SPECS.regress2d);
    expect(valid(withDataset(huber, 'plane')).loss).toEqual({ type: 'huber', delta: 0.5 });
  });

  it('drops learner-added points whose labels would not fit the new dataset', () => {
    const withPoints = (s: NormalizedSpec, extra: number[]) => valid(withData(s, { extra }));
    // Regression labels are real values, not class indices.
    const bumps = withPoints(BUMPS, [0.1, 0.2, 0.37, -0.5, 0.5, 1.8]);
    const circle = valid(withDataset(bumps, 'circle'));
    expect(circle.data?.extra).toEqual([]);
    // Class 4 of five blobs does not exist in a two-class dataset.
    const blobs5 = withPoints(valid(withData(valid(withDataset(SPIRAL, 'blobs')), { classes: 5 })), [0.1, 0.1, 4]);
    expect(valid(withDataset(blobs5, 'spiral')).data?.extra).toEqual([]);
    expect(valid(withDataset(withPoints(SPIRAL, [0.1, 0.1, 1]), 'plane')).data?.extra).toEqual([]);
    // Same task and classes: the points stay.
    expect(valid(withDataset(withPoints(SPIRAL, [0.1, 0.1, 1]), 'moons')).data?.extra).toEqual([0.1, 0.1, 1]);
  });

  it('to and from MNIST replaces the spec with the task default', () => {
    const tuned = on({ optimizer: { type: 'sgd', lr: 0.3 } });
    expect(valid(withDataset(tuned, 'mnist'))).toEqual(MNIST);
    expect(valid(withDataset(CNN, 'circle'))).toEqual(
      valid({ ...DEFAULT_SPECS.classify2d, data: { ...SPIRAL_DATA, kind: 'circle' } }),
    );
    expect(valid(withDataset(MNIST, 'spiral'))).toEqual(SPIRAL);
    const plane = valid(withDataset(MNIST, 'plane'));
    expect(plane.data?.kind).toBe('plane');
    expect(plane.model).toEqual(BUMPS.model);
    expect(plane.loss).toEqual({ type: 'mse' });
    // The catalog's defaults are not edited along the way.
    expect(DEFAULT_SPECS.classify2d.data?.kind).toBe('spiral');
    expect(DEFAULT_SPECS.regress2d.data?.kind).toBe('bumps');
  });

  it('every dataset from every task default validates', () => {
    for (const from of [SPIRAL, BUMPS, MNIST, CNN])
      for (const d of DATASETS)
        expect(validateSpec(withDataset(from, d.id)).ok, `${from.data?.kind} -> ${d.id}`).toBe(true);
  });
});

describe('withData / withFeatures', () => {
  it('a class count change retargets the head', () => {
    const blobs = valid(withDataset(SPIRAL, 'blobs'));
    const four = valid(withData(blobs, { classes: 4 }));
    expect(four.data?.classes).toBe(4);
    expect(head(four)).toMatchObject({ units: 4 });
    // Other patches leave the head alone.
    expect(head(valid(withData(four, { noise: 0.05 })))).toMatchObject({ units: 4 });
  });

  it('withFeatures sets model.input to the feature count and keeps the design', () => {
    const s = valid(withFeatures(SPIRAL, ['x1', 'x2', 'x1sq', 'x2sq', 'sinx1']));
    expect(s.model.input).toEqual([5]);
    expect(s.data?.features).toEqual(['x1', 'x2', 'x1sq', 'x2sq', 'sinx1']);
    expect(designOf(s.model.layers)).toEqual(designOf(SPIRAL.model.layers));
    const one = valid(withFeatures(s, ['x1x2']));
    expect(one.model.input).toEqual([1]);
  });

  it('withFeatures drops a first-layer skip that the new width no longer allows', () => {
    const residual: LayerSpec[] = [
      { type: 'residual', layers: [{ type: 'dense', units: 2 }, { type: 'relu' }] },
      { type: 'dense', units: 2 },
    ];
    const s = on({ model: { input: [2], layers: residual } });
    const three = valid(withFeatures(s, ['x1', 'x2', 'x1x2']));
    expect(three.model.layers.map((l) => l.type)).toEqual(['dense', 'relu', 'dense']);
  });

  it('withFeatures keeps a network the editor cannot show', () => {
    const odd: LayerSpec[] = [
      { type: 'dense', units: 8 },
      { type: 'layernorm' },
      { type: 'relu' },
      { type: 'dense', units: 2 },
    ];
    const s = valid(withFeatures(on({ model: { input: [2], layers: odd } }), ['x1', 'x2', 'x2sq']));
    expect(s.model.input).toEqual([3]);
    expect(s.model.layers.map((l) => l.type)).toEqual(['dense', 'layernorm', 'relu', 'dense']);
  });
});

describe('the other edits', () => {
  it('withDesign writes the design back through sanitize (image input keeps its flatten)', () => {
    const d = designOf(CNN.model.layers);
    if (!d) throw new Error('the MNIST CNN should be editable');
    const more = valid(withDesign(CNN, { ...d, blocks: d.blocks.map((b) => ({ ...b, batchnorm: true })) }));
    expect(more.model.layers.filter((l) => l.type === 'batchnorm')).toHaveLength(d.blocks.length);
    expect(more.model.layers.filter((l) => l.type === 'flatten')).toHaveLength(1);
  });

  it('withMnistArchitecture swaps the MLP and the CNN, keeping training settings', () => {
    const tuned = valid({ ...DEFAULT_SPECS.mnist, optimizer: { type: 'sgd', lr: 0.05 } });
    const cnn = valid(withMnistArchitecture(tuned, true));
    expect(cnn.model).toEqual(CNN.model);
    expect(cnn.optimizer.lr).toBe(0.05);
    expect(valid(withMnistArchitecture(cnn, false)).model).toEqual(MNIST.model);
  });

  it('withOptimizer keeps lr between adaptive methods, and takes the catalog lr across SGD', () => {
    const a = on({ optimizer: { type: 'adam', lr: 0.004 } });
    for (const o of OPTIMIZERS) {
      const s = valid(withOptimizer(a, o.id));
      expect(s.optimizer.type).toBe(o.id);
      expect(s.optimizer.lr).toBe(o.id === 'sgd' ? o.lr : 0.004);
    }
    const sgd = valid(withOptimizer(a, 'sgd'));
    expect(valid(withOptimizer(sgd, 'rmsprop')).optimizer.lr).toBe(0.01);
  });

  it('withOptimizerField sets betas one at a time, and plain fields directly', () => {
    const a = valid(withOptimizerField(SPIRAL, 'beta1', 0.8));
    expect(a.optimizer).toMatchObject({ betas: [0.8, 0.999] });
    expect(valid(withOptimizerField(a, 'beta2', 0.95)).optimizer).toMatchObject({ betas: [0.8, 0.95] });
    expect(valid(withOptimizerField(SPIRAL, 'weightDecay', 0.01)).optimizer.weightDecay).toBe(0.01);
    const sgd = valid(withOptimizer(SPIRAL, 'sgd'));
    expect(valid(withOptimizerField(sgd, 'momentum', 0.9)).optimizer).toMatchObject({ momentum: 0.9 });
  });

  it('withSchedule makes a valid spec for every schedule type and optimizer', () => {
    const types = SCHEDULES.map((s) => s.id);
    expect(types).toHaveLength(7);
    for (const opt of OPTIMIZERS)
      for (const type of types as ScheduleType[])
        for (const total of [1, 2, 100, 5000]) {
          const base = valid(withOptimizer(SPIRAL, opt.id));
          const s = valid(withSchedule(base, type, total));
          expect(s.schedule.type).toBe(type);
        }
    const warm = valid(withWarmup(SPIRAL, 20));
    expect(valid(withSchedule(warm, 'step', 600)).schedule).toMatchObject({ stepSize: 200, warmupSteps: 20 });
    expect(valid(withSchedule(warm, 'cosine', 600)).schedule).toMatchObject({ totalSteps: 600, warmupSteps: 20 });
    const exp = valid(withSchedule(SPIRAL, 'exponential', 1000)).schedule;
    // Down to 1% of the lr over the run.
    if (exp.type === 'exponential') expect(exp.gamma ** 1000).toBeCloseTo(0.01, 4);
    const one = valid(withSchedule(SPIRAL, 'onecycle', 1000)).schedule;
    expect(one).toMatchObject({ type: 'onecycle', maxLr: 0.1, totalSteps: 1000, cycleMomentum: true });
    expect(valid(withSchedule(valid(withOptimizer(SPIRAL, 'adagrad')), 'onecycle', 10)).schedule).toMatchObject({
      cycleMomentum: false,
    });
  });

  it('withWarmup, withRegularization, withTraining and withLabelSmoothing patch one field', () => {
    expect(valid(withWarmup(SPIRAL, 50)).schedule).toEqual({ type: 'constant', warmupSteps: 50 });
    const r = valid(withRegularization(SPIRAL, { l2: 1e-3, clipGradNorm: 1 }));
    expect(r.regularization).toEqual({ l1: 0, l2: 1e-3, clipGradNorm: 1, clipGradValue: null });
    expect(valid(withRegularization(r, { clipGradNorm: null })).regularization.clipGradNorm).toBeNull();
    expect(valid(withTraining(SPIRAL, { batchSize: 8 })).training).toEqual({ ...SPIRAL.training, batchSize: 8 });
    expect(valid(withLabelSmoothing(SPIRAL, 0.2)).loss).toEqual({ type: 'cross_entropy', labelSmoothing: 0.2 });
    // No label smoothing for regression.
    expect(valid(withLabelSmoothing(BUMPS, 0.2)).loss).toEqual({ type: 'mse' });
  });
});

describe('comparisonOf', () => {
  const countOf = (s: NormalizedSpec, type: string) =>
    JSON.stringify(s.model.layers).split(`"type":"${type}"`).length - 1;

  it('batchnorm: B is A with BatchNorm in every block (or none, when A has it)', () => {
    const b = valid(comparisonOf(SPIRAL, 'batchnorm'));
    expect(countOf(b, 'batchnorm')).toBe(3);
    expect(b.optimizer).toEqual(SPIRAL.optimizer);
    expect(countOf(valid(comparisonOf(b, 'batchnorm')), 'batchnorm')).toBe(0);
    expect(valid(comparisonOf(b, 'batchnorm')).model).toEqual(SPIRAL.model);
    // On the CNN the conv blocks get it too.
    const cnnBlocks = designOf(CNN.model.layers)?.blocks ?? [];
    expect(cnnBlocks.some((b) => b.kind === 'conv')).toBe(true);
    expect(countOf(valid(comparisonOf(CNN, 'batchnorm')), 'batchnorm')).toBe(cnnBlocks.length);
  });

  it('optimizer: Adam vs SGD, either way round', () => {
    const b = valid(comparisonOf(SPIRAL, 'optimizer'));
    expect(b.optimizer.type).toBe('sgd');
    expect(b.model).toEqual(SPIRAL.model);
    expect(valid(comparisonOf(b, 'optimizer')).optimizer.type).toBe('adam');
  });

  it('dropout: 0.5 after every dense block, or none when A has some', () => {
    const b = valid(comparisonOf(SPIRAL, 'dropout'));
    const rates = b.model.layers.flatMap((l) => (l.type === 'dropout' ? [l.rate] : []));
    expect(rates).toEqual([0.5, 0.5, 0.5]);
    expect(valid(comparisonOf(b, 'dropout')).model).toEqual(SPIRAL.model);
    // Conv blocks get no dropout: only the CNN's dense blocks do.
    const cnnBlocks = designOf(CNN.model.layers)?.blocks ?? [];
    const cnn = valid(comparisonOf(CNN, 'dropout'));
    expect(countOf(cnn, 'dropout')).toBe(cnnBlocks.filter((b) => b.kind === 'dense').length);
    const firstDrop = cnn.model.layers.findIndex((l) => l.type === 'dropout');
    expect(cnn.model.layers.slice(0, firstDrop).some((l) => l.type === 'flatten')).toBe(true);
  });

  it('same, and a network the editor cannot show, give A unchanged', () => {
    expect(valid(comparisonOf(SPIRAL, 'same'))).toEqual(SPIRAL);
    const odd = on({
      model: {
        input: [2],
        layers: [{ type: 'dense', units: 8 }, { type: 'layernorm' }, { type: 'relu' }, { type: 'dense', units: 2 }],
      },
    });
    expect(valid(comparisonOf(odd, 'batchnorm'))).toEqual(odd);
    expect(valid(comparisonOf(odd, 'dropout'))).toEqual(odd);
  });

  it('every comparison of every task default validates', () => {
    for (const a of [SPIRAL, BUMPS, MNIST, CNN])
      for (const c of COMPARISONS) expect(validateSpec(comparisonOf(a, c.id)).ok, `${a.data?.kind} ${c.id}`).toBe(true);
  });
});
