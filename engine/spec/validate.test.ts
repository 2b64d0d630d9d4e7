// Validation: the example passes with defaults filled; malformed specs and jobs are rejected with a message
// naming the field; nothing throws, whatever the input.

import { describe, expect, it } from 'vitest';
import { validateJob } from '../job/validateJob';
import { validateSpec } from './validate';

const EXAMPLE = {
  data: { kind: 'spiral', points: 500, noise: 0.1, valFraction: 0.2, seed: 1 },
  model: {
    input: [2],
    layers: [
      { type: 'dense', units: 16 },
      { type: 'batchnorm' },
      { type: 'relu' },
      { type: 'dropout', rate: 0.1 },
      { type: 'dense', units: 2 },
    ],
  },
  loss: { type: 'cross_entropy', labelSmoothing: 0 },
  optimizer: { type: 'adamw', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01 },
  schedule: { type: 'cosine', totalSteps: 2000, warmupSteps: 100, minLr: 0 },
  regularization: { l1: 0, l2: 0, clipGradNorm: 1.0 },
  training: { batchSize: 32, seed: 42 },
};

type Json = Record<string, unknown>;
const clone = (): Json => JSON.parse(JSON.stringify(EXAMPLE));
/** A copy of the example with one change applied. */
function mutate(f: (s: Json & { model: { layers: Json[]; input: unknown } }) => void): unknown {
  const s = clone() as Json & { model: { layers: Json[]; input: unknown } };
  f(s);
  return s;
}
const img = (layers: Json[]) =>
  mutate((s) => {
    delete s.data;
    s.model.input = [1, 8, 8];
    s.model.layers = layers;
  });

describe('validateSpec', () => {
  it('accepts the issue example and fills defaults', () => {
    const r = validateSpec(EXAMPLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.model.layers[1]).toEqual({ type: 'batchnorm', momentum: 0.1, eps: 1e-5 });
    expect(r.value.regularization.clipGradValue).toBeNull();
    expect(r.value.model.layers[0]).toMatchObject({ bias: true, init: { type: 'default' } });
  });

  it('fills torch.optim defaults', () => {
    const r = validateSpec(mutate((s) => (s.optimizer = { type: 'rmsprop' })));
    expect(r.ok && r.value.optimizer).toEqual({
      type: 'rmsprop',
      lr: 0.01,
      alpha: 0.99,
      eps: 1e-8,
      momentum: 0,
      centered: false,
      weightDecay: 0,
    });
  });

  // [what is wrong, the malformed spec, a fragment the message must contain]
  const BAD: [string, unknown, string][] = [
    ['not an object', 42, 'spec must be an object'],
    ['null', null, 'spec must be an object'],
    ['an array', [], 'spec must be an object'],
    [
      'units as a string',
      mutate((s) => (s.model.layers[0].units = '16')),
      'model.layers[0].units must be an integer from 1 to 4096',
    ],
    ['negative units', mutate((s) => (s.model.layers[4].units = -2)), 'model.layers[4].units must be an integer'],
    [
      'huge units',
      mutate((s) => (s.model.layers[0].units = 1e9)),
      'model.layers[0].units must be an integer from 1 to 4096',
    ],
    ['fractional units', mutate((s) => (s.model.layers[0].units = 2.5)), 'model.layers[0].units'],
    ['unknown layer', mutate((s) => (s.model.layers[2] = { type: 'maxout' })), 'model.layers[2].type must be one of'],
    ['layer without type', mutate((s) => (s.model.layers[2] = {})), 'model.layers[2].type is required'],
    ['unknown layer field', mutate((s) => (s.model.layers[0].unit = 3)), 'model.layers[0].unit is not a known field'],
    ['unknown optimizer', mutate((s) => (s.optimizer = { type: 'lion', lr: 0.1 })), 'optimizer.type must be one of'],
    ['sgd without lr', mutate((s) => (s.optimizer = { type: 'sgd' })), 'optimizer.lr must be a number'],
    ['negative lr', mutate((s) => ((s.optimizer as Json).lr = -1)), 'optimizer.lr must be a number greater than 0'],
    ['NaN lr', mutate((s) => ((s.optimizer as Json).lr = Number.NaN)), 'optimizer.lr'],
    [
      'betas of length 3',
      mutate((s) => ((s.optimizer as Json).betas = [0.9, 0.99, 0.1])),
      'optimizer.betas must be an array of 2',
    ],
    ['beta of 1', mutate((s) => ((s.optimizer as Json).betas = [0.9, 1])), 'optimizer.betas[1]'],
    [
      'nesterov without momentum',
      mutate((s) => (s.optimizer = { type: 'sgd', lr: 0.1, nesterov: true })),
      'optimizer.nesterov requires momentum',
    ],
    ['unknown loss', mutate((s) => (s.loss = { type: 'hinge' })), 'loss.type must be one of'],
    ['label smoothing above 1', mutate((s) => ((s.loss as Json).labelSmoothing = 2)), 'loss.labelSmoothing'],
    [
      'dropout rate 1',
      mutate((s) => (s.model.layers[3].rate = 1)),
      'model.layers[3].rate must be a number at least 0 and less than 1',
    ],
    [
      'conv after dense',
      mutate((s) => (s.model.layers[2] = { type: 'conv2d', filters: 2, kernel: 3 })),
      'model.layers[2]: conv2d after dense (model.layers[0]) needs a [channels, height, width] input',
    ],
    [
      'dense after conv without flatten',
      img([{ type: 'conv2d', filters: 2, kernel: 3 }, { type: 'relu' }, { type: 'dense', units: 2 }]),
      'model.layers[2]: dense after conv2d (model.layers[0]) needs a flatten first',
    ],
    [
      'pool on a vector',
      mutate((s) => (s.model.layers[2] = { type: 'maxpool2d', kernel: 2 })),
      'model.layers[2]: maxpool2d after',
    ],
    [
      'kernel larger than the image',
      img([{ type: 'conv2d', filters: 2, kernel: 12 }, { type: 'flatten' }, { type: 'dense', units: 2 }]),
      'model.layers[0]',
    ],
    ['conv output left unflattened', img([{ type: 'conv2d', filters: 2, kernel: 3 }]), 'add flatten'],
    [
      'residual changing shape',
      mutate((s) => (s.model.layers[2] = { type: 'residual', layers: [{ type: 'dense', units: 3 }] })),
      'model.layers[2]: residual body must keep the shape [16]',
    ],
    ['empty layers', mutate((s) => (s.model.layers = [])), 'model.layers must be an array of 1 to 64 items'],
    // [T, features] is a sequence now; the 2-D toy data still needs [features.length].
    [
      'a sequence input on 2-D data',
      mutate((s) => (s.model.input = [2, 3])),
      'model.input must be [2] for the 2-D data.kind spiral',
    ],
    [
      'input of four dims',
      mutate((s) => (s.model.input = [1, 2, 3, 4])),
      'model.input must be an array of 1 to 3 items',
    ],
    ['zero input size', mutate((s) => (s.model.input = [0])), 'model.input[0] must be an integer'],
    [
      'wrong output units for the classes',
      mutate((s) => (s.model.layers[4].units = 3)),
      'the output has 3 units but data has 2 classes',
    ],
    [
      'cross entropy on regression data',
      mutate((s) => ((s.data as Json).kind = 'plane')),
      'loss.type: cross_entropy needs class labels',
    ],
    ['unknown data kind', mutate((s) => ((s.data as Json).kind = 'mnist2')), 'data.kind must be one of'],
    ['valFraction 1', mutate((s) => ((s.data as Json).valFraction = 1)), 'data.valFraction'],
    [
      'batch bigger than the data',
      mutate((s) => ((s.training as Json).batchSize = 450)),
      'training.batchSize must be at most the 400 training points',
    ],
    [
      'batch size 0',
      mutate((s) => ((s.training as Json).batchSize = 0)),
      'training.batchSize must be an integer from 1',
    ],
    ['missing training', mutate((s) => delete s.training), 'training is required'],
    ['unknown schedule', mutate((s) => (s.schedule = { type: 'triangle' })), 'schedule.type must be one of'],
    [
      'cosine shorter than warmup',
      mutate((s) => ((s.schedule as Json).totalSteps = 50)),
      'schedule.totalSteps must be greater than warmupSteps',
    ],
    ['negative clip', mutate((s) => ((s.regularization as Json).clipGradNorm = -1)), 'regularization.clipGradNorm'],
    ['l2 as string', mutate((s) => ((s.regularization as Json).l2 = 'a lot')), 'regularization.l2'],
    ['unknown top-level field', mutate((s) => (s.epochs = 3)), 'spec.epochs is not a known field'],
    [
      'bad init',
      mutate((s) => (s.model.layers[0].init = { type: 'orthogonal' })),
      'model.layers[0].init.type must be one of',
    ],
    [
      'residual nested too deep',
      mutate((s) => {
        let l: Json = { type: 'relu' };
        for (let i = 0; i < 6; i++) l = { type: 'residual', layers: [l] };
        s.model.layers[2] = l;
      }),
      'residual blocks nest at most 4 deep',
    ],
  ];

  for (const [what, raw, fragment] of BAD) {
    it(`rejects ${what}`, () => {
      const r = validateSpec(raw);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const text = r.errors.map((e) => e.message).join('\n');
      expect(text).toContain(fragment);
      for (const e of r.errors) expect(e.message.startsWith(e.path)).toBe(true);
    });
  }

  it('never throws, whatever it is given', () => {
    const cyclic: Json = { type: 'residual' };
    cyclic.layers = [cyclic];
    const weird: unknown[] = [
      undefined,
      'spec',
      Symbol('x'),
      () => 1,
      { model: { layers: [cyclic], input: [2] } },
      { model: 'x' },
    ];
    for (const w of weird) expect(() => validateSpec(w)).not.toThrow();
  });
});

describe('validateJob', () => {
  const spec = { ...clone(), data: undefined };
  const batch = (x: unknown[], y: unknown[], n = 32) => ({ x: { shape: [n, 2], data: x }, y: { shape: [n], data: y } });
  const good = () => batch(new Array(64).fill(0.5), new Array(32).fill(1));

  it('accepts a job with batches and no data', () => {
    const r = validateJob({ spec, batches: [good()], steps: 3 });
    expect(r.ok).toBe(true);
  });

  // Token batches: x [B, T] integer ids below the vocabulary, y [B, T] class indices per token.
  const tokenSpec = {
    model: {
      input: [4],
      layers: [
        { type: 'embedding', vocab: 5, dim: 3 },
        { type: 'dense', units: 6 },
      ],
    },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'sgd', lr: 0.1 },
    training: { batchSize: 2, seed: 1 },
  };
  const tokens = (x: number[], y: number[], yShape = [2, 4]) => ({
    spec: tokenSpec,
    batches: [{ x: { shape: [2, 4], data: x }, y: { shape: yShape, data: y } }],
    steps: 1,
  });

  it('accepts integer token batches with a target per token', () => {
    const r = validateJob(tokens([0, 1, 2, 3, 4, 4, 3, 2], [5, 0, 1, 2, 3, 4, 5, 0]));
    expect(r.ok, r.ok ? '' : r.errors.map((e) => e.message).join('; ')).toBe(true);
  });

  const BAD: [string, unknown, string][] = [
    [
      'a token id past the vocabulary',
      tokens([0, 1, 2, 3, 4, 5, 3, 2], new Array(8).fill(0)),
      'batches[0].x.data[5] must be a token id from 0 to 4',
    ],
    [
      'a fractional token id',
      tokens([0, 1.5, 2, 3, 4, 4, 3, 2], new Array(8).fill(0)),
      'batches[0].x.data[1] must be a token id',
    ],
    [
      'one target per sequence for a per-token loss',
      tokens(new Array(8).fill(0), [0, 1], [2]),
      'batches[0].y.shape must be [2, 4]',
    ],
    [
      'a per-token class past the output',
      tokens(new Array(8).fill(0), [0, 1, 2, 3, 4, 5, 6, 0]),
      'batches[0].y.data[6] must be a class index from 0 to 5',
    ],
    ['steps missing', { spec: EXAMPLE }, 'steps must be an integer from 1'],
    ['steps negative', { spec: EXAMPLE, steps: -5 }, 'steps must be an integer'],
    [
      'NaN in data',
      { spec, batches: [batch([...new Array(63).fill(0), Number.NaN], new Array(32).fill(0))], steps: 1 },
      'batches[0].x.data[63] must be a finite number',
    ],
    [
      'a string in data',
      { spec, batches: [batch(new Array(64).fill('1'), new Array(32).fill(0))], steps: 1 },
      'batches[0].x.data[0] must be a finite number',
    ],
    [
      'wrong x shape',
      { spec, batches: [{ x: { shape: [32, 3], data: new Array(96).fill(0) }, y: good().y }], steps: 1 },
      'batches[0].x.shape must be [32, 2]',
    ],
    [
      'data shorter than shape',
      { spec, batches: [batch([1, 2], new Array(32).fill(0))], steps: 1 },
      'batches[0].x.data must be an array of 64 numbers',
    ],
    [
      'class index out of range',
      { spec, batches: [batch(new Array(64).fill(0), [...new Array(31).fill(0), 7])], steps: 1 },
      'batches[0].y.data[31] must be a class index from 0 to 1',
    ],
    ['no data and no batches', { spec, steps: 1 }, 'spec.data is required when the job gives no batches'],
    ['bad spec inside', { spec: { ...EXAMPLE, loss: { type: 'nope' } }, steps: 1 }, 'spec.loss.type must be one of'],
    ['unknown job field', { spec: EXAMPLE, steps: 1, epochs: 2 }, 'job.epochs is not a known field'],
    [
      'weights not tensors',
      { spec: EXAMPLE, steps: 1, initialWeights: { '0.weight': [1, 2] } },
      'initialWeights.0.weight must be a tensor',
    ],
    ['not JSON object', 'run me', 'job must be an object'],
    [
      'weights for a missing layer',
      { spec: EXAMPLE, steps: 1, initialWeights: { '9.weight': { shape: [1], data: [0] } } },
      'initialWeights.9.weight is not a parameter of the model',
    ],
    [
      'weights of the wrong shape',
      { spec: EXAMPLE, steps: 1, initialWeights: { '0.weight': { shape: [2, 16], data: new Array(32).fill(0) } } },
      'initialWeights.0.weight.shape must be [16, 2]',
    ],
  ];
  for (const [what, raw, fragment] of BAD) {
    it(`rejects a job with ${what}`, () => {
      const r = validateJob(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => e.message).join('\n')).toContain(fragment);
    });
  }
});
