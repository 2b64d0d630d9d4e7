// The data section's rules: MNIST (shape, loss, classes, sizes), 2-D input features and learner-added points.
// Every bad spec gets one message naming its path; nothing throws.

import { describe, expect, it } from 'vitest';
import { validateSpec } from './validate';

type Json = Record<string, unknown>;

const toy = (data: Json, input: number[] = [2], loss: Json = { type: 'cross_entropy' }, units = 2): Json => ({
  data: { kind: 'xor', points: 200, ...data },
  model: { input, layers: [{ type: 'dense', units: 8 }, { type: 'tanh' }, { type: 'dense', units }] },
  loss,
  optimizer: { type: 'adam', lr: 0.01 },
  training: { batchSize: 16 },
});

const mnist = (data: Json = {}, input: number[] = [784], loss: Json = { type: 'cross_entropy' }, units = 10): Json => ({
  data: { kind: 'mnist', ...data },
  model: {
    input,
    layers: [
      ...(input.length === 3 ? [{ type: 'flatten' }] : []),
      { type: 'dense', units: 32 },
      { type: 'relu' },
    ].concat([{ type: 'dense', units }]),
  },
  loss,
  optimizer: { type: 'adam' },
  training: { batchSize: 64 },
});

function messages(raw: unknown): string[] {
  let r: ReturnType<typeof validateSpec> | undefined;
  expect(() => {
    r = validateSpec(raw);
  }).not.toThrow();
  return r && !r.ok ? r.errors.map((e) => e.message) : [];
}

describe('data: mnist', () => {
  it('fills 30,000 digits, 0.2 validation, 10 classes, no noise, no 2-D fields', () => {
    for (const input of [[784], [1, 28, 28]]) {
      const r = validateSpec(mnist({}, input));
      expect(r.ok && r.value.data).toEqual({
        kind: 'mnist',
        points: 30000,
        noise: 0,
        valFraction: 0.2,
        seed: 1,
        classes: 10,
        features: [],
        extra: [],
      });
    }
    // A normalized spec (as JSON) validates again unchanged.
    const once = validateSpec(mnist({ points: 3000, valFraction: 0.1 }));
    const twice = once.ok ? validateSpec(JSON.parse(JSON.stringify(once.value))) : once;
    expect(twice.ok && once.ok && twice.value).toEqual(once.ok && once.value);
  });

  const BAD: [string, unknown, string][] = [
    ['too many digits', mnist({ points: 30001 }), 'data.points must be an integer from 10 to 30000'],
    ['a 2-D input', mnist({}, [2]), 'model.input must be [784] (an MLP on flat pixels) or [1, 28, 28] (a CNN)'],
    ['an image of the wrong size', mnist({}, [1, 14, 14]), 'model.input must be [784]'],
    ['mse', mnist({}, [784], { type: 'mse' }, 1), 'loss.type must be cross_entropy for data.kind mnist'],
    ['bce', mnist({}, [784], { type: 'bce_logits' }, 1), 'loss.type must be cross_entropy for data.kind mnist'],
    ['2 output units', mnist({}, [784], { type: 'cross_entropy' }, 2), 'the output has 2 units but data has 10'],
    ['classes 2', mnist({ classes: 2 }), 'data.classes must be 10 for data.kind mnist'],
    ['noise', mnist({ noise: 0.1 }), 'data.noise must be 0 for data.kind mnist'],
    ['features', mnist({ features: ['x1'] }), 'data.features applies to the 2-D data kinds only, not mnist'],
    ['extra points', mnist({ extra: [0, 0, 1] }), 'data.extra applies to the 2-D data kinds only, not mnist'],
    ['batch above the train split', { ...mnist({ points: 100 }), training: { batchSize: 100 } }, 'at most the 80'],
  ];
  for (const [what, raw, fragment] of BAD)
    it(`rejects ${what}`, () => {
      const m = messages(raw);
      expect(m.some((x) => x.includes(fragment))).toBe(true);
    });

  it('reports the loss once, not as unit mismatches too', () => {
    expect(messages(mnist({}, [784], { type: 'mse' }, 1))).toEqual([
      'loss.type must be cross_entropy for data.kind mnist (10 digit classes; got mse)',
    ]);
  });
});

describe('data.features', () => {
  it('defaults to x1, x2 and normalizes to the canonical order', () => {
    const d = validateSpec(toy({}));
    expect(d.ok && d.value.data?.features).toEqual(['x1', 'x2']);
    const r = validateSpec(toy({ features: ['sinx2', 'x1x2', 'x1'] }, [3]));
    expect(r.ok && r.value.data?.features).toEqual(['x1', 'x1x2', 'sinx2']);
    const all = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
    expect(validateSpec(toy({ features: all }, [7])).ok).toBe(true);
  });

  const BAD: [string, unknown, string][] = [
    [
      'an input that does not match',
      toy({ features: ['x1', 'x2', 'x1sq'] }),
      'model.input must be [3] for the 2-D data.kind xor (one input per data.features entry: x1, x2, x1sq)',
    ],
    ['the default with a wider input', toy({}, [3]), 'model.input must be [2] for the 2-D data.kind xor'],
    ['an empty list', toy({ features: [] }), 'data.features must be an array of 1 to 7 distinct names'],
    ['not a list', toy({ features: 'x1' }), 'data.features must be an array of 1 to 7'],
    ['an unknown name', toy({ features: ['x1', 'cosx1'] }), 'data.features[1] must be one of x1, x2, x1sq'],
    ['a repeat', toy({ features: ['x1', 'x2', 'x1'] }, [2]), 'data.features[2] repeats "x1"'],
    ['eight names', toy({ features: Array(8).fill('x1') }), 'data.features must be an array of 1 to 7'],
  ];
  for (const [what, raw, fragment] of BAD)
    it(`rejects ${what}`, () => {
      expect(messages(raw).some((x) => x.includes(fragment))).toBe(true);
    });
});

describe('data.extra', () => {
  it('accepts labelled triples and keeps them', () => {
    const r = validateSpec(toy({ extra: [0.5, -0.5, 1, 0, 0.25, 0] }));
    expect(r.ok && r.value.data?.extra).toEqual([0.5, -0.5, 1, 0, 0.25, 0]);
    const bumps = toy({ kind: 'bumps', extra: [0.1, 0.2, -0.37] }, [2], { type: 'mse' }, 1);
    expect(validateSpec(bumps).ok).toBe(true);
    const blobs = toy({ kind: 'blobs', classes: 4, extra: [0, 0, 3] }, [2], { type: 'cross_entropy' }, 4);
    expect(validateSpec(blobs).ok).toBe(true);
  });

  it('counts learner points as training rows for the batch size', () => {
    // 20 points at 0.2 -> 16 training rows; two extra points allow a batch of 18, not 19.
    const base = { points: 20, extra: [0, 0, 1, 0.1, 0.1, 0] };
    expect(validateSpec({ ...toy(base), training: { batchSize: 18 } }).ok).toBe(true);
    expect(messages({ ...toy(base), training: { batchSize: 19 } })).toContain(
      'training.batchSize must be at most the 18 training points of the data',
    );
  });

  const BAD: [string, unknown, string][] = [
    ['not an array', toy({ extra: 3 }), 'data.extra must be an array of numbers: flat [x1, x2, label] triples'],
    ['a partial triple', toy({ extra: [0, 0, 1, 0.5] }), 'data.extra must hold whole [x1, x2, label] triples (got 4'],
    ['201 points', toy({ extra: Array(603).fill(0) }), 'data.extra holds 201 points; at most 200 may be added'],
    ['a label past the classes', toy({ extra: [0, 0, 2] }), 'data.extra[2] must be a class index from 0 to 1'],
    ['a fractional label', toy({ extra: [0, 0, 0.5] }), 'data.extra[2] must be a class index from 0 to 1'],
    ['a negative label', toy({ extra: [0, 0, 1, 0, 0, -1] }), 'data.extra[5] must be a class index'],
    ['a NaN coordinate', toy({ extra: [Number.NaN, 0, 1] }), 'data.extra[0] must be a number'],
    ['a string coordinate', toy({ extra: [0, '1', 1] }), 'data.extra[1] must be a number'],
    [
      'a non-finite regression value',
      toy({ kind: 'plane', extra: [0, 0, Number.POSITIVE_INFINITY] }, [2], { type: 'mse' }, 1),
      'data.extra[2] must be a number',
    ],
  ];
  for (const [what, raw, fragment] of BAD)
    it(`rejects ${what}`, () => {
      expect(messages(raw).some((x) => x.includes(fragment))).toBe(true);
    });
});
