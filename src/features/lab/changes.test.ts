import { describe, expect, it } from 'vitest';
import type { ExperimentSpec, LayerSpec, NormalizedSpec } from '../../../engine/index';
import { validateSpec } from '../../../engine/index';
import { DEFAULT_SPECS } from './catalog';
import { changeBetween } from './changes';

type Raw = ExperimentSpec;

function valid(raw: Raw): NormalizedSpec {
  const v = validateSpec(raw);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('\n'));
  return v.value;
}

/** The 2-D default with dropout after each hidden block (rate r). */
function base(over: Partial<Raw> = {}, rates: [number, number] = [0.1, 0.1]): Raw {
  const layers: LayerSpec[] = [
    { type: 'dense', units: 16 },
    { type: 'relu' },
    { type: 'dropout', rate: rates[0] },
    { type: 'dense', units: 16 },
    { type: 'relu' },
    { type: 'dropout', rate: rates[1] },
    { type: 'dense', units: 2 },
  ];
  return { ...structuredClone(DEFAULT_SPECS.classify2d), model: { input: [2], layers }, ...over };
}

const between = (a: Raw, b: Raw) => changeBetween(valid(a), valid(b));

describe('changeBetween', () => {
  it('is none for identical specs (and for a spec and its normalized form)', () => {
    expect(between(base(), base())).toEqual({ kind: 'none' });
    const n = valid(base());
    expect(changeBetween(n, valid(n as unknown as Raw))).toEqual({ kind: 'none' });
  });

  it('is hot with exactly the changed keys', () => {
    const sgd = (o: object = {}): Raw => base({ optimizer: { type: 'sgd', lr: 0.1, ...o } });
    const adam = (o: object = {}): Raw => base({ optimizer: { type: 'adam', lr: 0.01, ...o } });
    const cases: [string, Raw, Raw, object][] = [
      ['lr', adam(), adam({ lr: 0.003 }), { lr: 0.003 }],
      ['momentum', sgd(), sgd({ momentum: 0.9 }), { momentum: 0.9 }],
      ['betas', adam(), adam({ betas: [0.8, 0.999] }), { betas: [0.8, 0.999] }],
      ['weight decay', adam(), adam({ weightDecay: 0.01 }), { weightDecay: 0.01 }],
      ['lr and weight decay', sgd(), sgd({ lr: 0.05, weightDecay: 1e-4 }), { lr: 0.05, weightDecay: 1e-4 }],
      ['dropout (all layers equal)', base({}, [0.1, 0.1]), base({}, [0.4, 0.4]), { dropout: 0.4 }],
      ['dropout, from per-layer rates to one rate', base({}, [0.1, 0.3]), base({}, [0.2, 0.2]), { dropout: 0.2 }],
      // The first layer's rate is unchanged, but the second moved: setHyper must still be told the one rate.
      ['dropout, per-layer rates to the first one', base({}, [0.2, 0.3]), base({}, [0.2, 0.2]), { dropout: 0.2 }],
      [
        'label smoothing',
        base(),
        base({ loss: { type: 'cross_entropy', labelSmoothing: 0.1 } }),
        { labelSmoothing: 0.1 },
      ],
      ['l1', base(), base({ regularization: { l1: 1e-4 } }), { l1: 1e-4 }],
      ['l2', base(), base({ regularization: { l2: 1e-3 } }), { l2: 1e-3 }],
      ['clip norm on (null -> number)', base(), base({ regularization: { clipGradNorm: 1 } }), { clipGradNorm: 1 }],
      [
        'clip norm off (number -> null, sent as 0)',
        base({ regularization: { clipGradNorm: 2 } }),
        base({ regularization: { clipGradNorm: null } }),
        { clipGradNorm: 0 },
      ],
      ['clip value on', base(), base({ regularization: { clipGradValue: 0.5 } }), { clipGradValue: 0.5 }],
      [
        'batch size',
        base({ training: { batchSize: 32, seed: 1 } }),
        base({ training: { batchSize: 64, seed: 1 } }),
        { batchSize: 64 },
      ],
    ];
    for (const [name, a, b, hyper] of cases) expect(between(a, b), name).toEqual({ kind: 'hot', hyper });
  });

  it('is none when per-layer dropout rates stay the same', () => {
    expect(between(base({}, [0.1, 0.3]), base({}, [0.1, 0.3]))).toEqual({ kind: 'none' });
  });

  it('is recompile for anything structural', () => {
    const withLayers = (layers: LayerSpec[]) => base({ model: { input: [2], layers } });
    const plain: LayerSpec[] = [{ type: 'dense', units: 16 }, { type: 'relu' }, { type: 'dense', units: 2 }];
    const cases: [string, Raw, Raw][] = [
      ['a new layer', withLayers(plain), withLayers([{ type: 'dense', units: 16 }, { type: 'relu' }, ...plain])],
      ['wider layer', withLayers(plain), withLayers([{ type: 'dense', units: 32 }, ...plain.slice(1)])],
      ['BatchNorm toggled', withLayers(plain), withLayers([plain[0], { type: 'batchnorm' }, ...plain.slice(1)])],
      ['activation changed', withLayers(plain), withLayers([plain[0], { type: 'tanh' }, plain[2]])],
      [
        'a dropout layer added',
        withLayers(plain),
        withLayers([plain[0], plain[1], { type: 'dropout', rate: 0.2 }, plain[2]]),
      ],
      [
        'data changed (noise)',
        base(),
        base({ data: { ...DEFAULT_SPECS.classify2d.data, kind: 'spiral', noise: 0.05 } }),
      ],
      ['data changed (kind)', base(), base({ data: { ...DEFAULT_SPECS.classify2d.data, kind: 'moons' } })],
      ['schedule changed', base(), base({ schedule: { type: 'cosine', totalSteps: 1000 } })],
      ['warmup changed', base(), base({ schedule: { type: 'constant', warmupSteps: 10 } })],
      ['optimizer type changed', base(), base({ optimizer: { type: 'sgd', lr: 0.01 } })],
      ['adam -> adamw', base(), base({ optimizer: { type: 'adamw', lr: 0.01 } })],
      [
        'nesterov',
        base({ optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 } }),
        base({ optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true } }),
      ],
      ['per-layer different dropout rates', base({}, [0.1, 0.1]), base({}, [0.1, 0.3])],
      [
        'loss changed',
        base(),
        base({
          loss: { type: 'bce_logits' },
          model: { input: [2], layers: [...plain.slice(0, 2), { type: 'dense', units: 1 }] },
        }),
      ],
      ['training seed', base(), base({ training: { batchSize: 32, seed: 7 } })],
    ];
    for (const [name, a, b] of cases) expect(between(a, b), name).toEqual({ kind: 'recompile' });
  });
});
