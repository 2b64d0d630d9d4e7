import { describe, expect, it } from 'vitest';
import type { ExperimentSpec, LayerSpec, NormalizedSpec } from '../../../engine/index';
import { validateSpec } from '../../../engine/index';
import { DEFAULT_SPECS } from './catalog';
import {
  type Block,
  type ConvBlock,
  canBeResidual,
  type DenseBlock,
  designOf,
  incomingWidths,
  layersOf,
  type NetDesign,
  sanitize,
} from './design';

const dense = (units: number, over: Partial<DenseBlock> = {}): DenseBlock => ({
  kind: 'dense',
  units,
  activation: 'relu',
  batchnorm: false,
  dropout: 0,
  residual: false,
  init: 'default',
  ...over,
});

const conv = (filters: number, over: Partial<ConvBlock> = {}): ConvBlock => ({
  kind: 'conv',
  filters,
  kernel: 3,
  activation: 'relu',
  batchnorm: false,
  pool: null,
  init: 'default',
  ...over,
});

/** The 2-D classification default with other layers (and input). */
function spec2d(layers: LayerSpec[], input = [2]): ExperimentSpec {
  return { ...structuredClone(DEFAULT_SPECS.classify2d), model: { input, layers } };
}

function specMnist(layers: LayerSpec[], input: number[]): ExperimentSpec {
  return { ...structuredClone(DEFAULT_SPECS.mnist), model: { input, layers } };
}

function valid(raw: ExperimentSpec): NormalizedSpec {
  const v = validateSpec(raw);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('\n'));
  return v.value;
}

/** layersOf -> validate -> designOf (on the raw and the normalized layers) gives the design back. */
function roundTrip(
  design: NetDesign,
  input: number[],
  make: (layers: LayerSpec[], input: number[]) => ExperimentSpec = spec2d,
): void {
  const layers = layersOf(design, input.length === 3);
  const norm = valid(make(layers, input));
  expect(designOf(layers)).toEqual(design);
  expect(designOf(norm.model.layers)).toEqual(design);
}

describe('designOf / layersOf', () => {
  it('round-trips a plain dense stack', () => {
    const d: NetDesign = { blocks: [dense(16), dense(8)], outputs: 2, outputInit: 'default' };
    expect(layersOf(d, false)).toEqual([
      { type: 'dense', units: 16 },
      { type: 'relu' },
      { type: 'dense', units: 8 },
      { type: 'relu' },
      { type: 'dense', units: 2 },
    ]);
    roundTrip(d, [2]);
  });

  it('round-trips every dense toggle: BatchNorm, dropout, residual, init, activation', () => {
    const d: NetDesign = {
      blocks: [
        dense(16, { batchnorm: true, init: 'he_normal' }),
        dense(16, { residual: true, dropout: 0.25, activation: 'tanh', init: 'he_normal' }),
        dense(16, { residual: true, batchnorm: true, dropout: 0.5, activation: 'gelu', init: 'he_normal' }),
        dense(8, { dropout: 0.1, activation: 'leaky_relu', init: 'he_normal' }),
      ],
      outputs: 3,
      outputInit: 'he_normal',
    };
    const layers = layersOf(d, false);
    expect(layers[0]).toEqual({ type: 'dense', units: 16, init: { type: 'he_normal' } });
    expect(layers[1]).toEqual({ type: 'batchnorm' });
    expect(layers[3]).toEqual({
      type: 'residual',
      layers: [
        { type: 'dense', units: 16, init: { type: 'he_normal' } },
        { type: 'tanh' },
        { type: 'dropout', rate: 0.25 },
      ],
    });
    expect(layers[4]).toMatchObject({ type: 'residual' });
    expect((layers[4] as { layers: LayerSpec[] }).layers.map((l) => l.type)).toEqual([
      'dense',
      'batchnorm',
      'gelu',
      'dropout',
    ]);
    expect(layers.at(-1)).toEqual({ type: 'dense', units: 3, init: { type: 'he_normal' } });
    roundTrip(d, [2], (ls, input) => ({
      ...spec2d(ls, input),
      data: { ...DEFAULT_SPECS.classify2d.data, kind: 'spiral', classes: 3 },
    }));
  });

  it('round-trips every init kind and every activation', () => {
    const inits = ['default', 'zeros', 'normal', 'xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal'] as const;
    for (const init of inits) roundTrip({ blocks: [dense(4, { init })], outputs: 2, outputInit: init }, [2]);
    const acts = ['relu', 'leaky_relu', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh', 'softplus'] as const;
    roundTrip({ blocks: acts.map((activation) => dense(4, { activation })), outputs: 2, outputInit: 'default' }, [2]);
  });

  it("keeps a 'normal' init's std through an edit (the dead-relu preset's std 1)", () => {
    const layers: LayerSpec[] = [
      { type: 'dense', units: 32, init: { type: 'normal', std: 1 } },
      { type: 'relu' },
      { type: 'conv2d', filters: 4, kernel: 3, padding: 1, init: { type: 'normal', std: 0.5 } },
      { type: 'dense', units: 2, init: { type: 'normal', std: 0.2 } },
    ];
    const dense = layers.filter((l) => l.type !== 'conv2d');
    const d = designOf(dense);
    if (!d) throw new Error('editable');
    expect(d.blocks[0]).toMatchObject({ init: 'normal', initStd: 1 });
    // The learner switches the activation: the std must not fall back to 0.01.
    const edited = layersOf(
      { ...d, blocks: d.blocks.map((b) => ({ ...b, activation: 'leaky_relu' as const })) },
      false,
    );
    expect(edited[0]).toEqual({ type: 'dense', units: 32, init: { type: 'normal', std: 1 } });
    expect(edited.at(-1)).toEqual({ type: 'dense', units: 2, init: { type: 'normal', std: 0.2 } });
    const norm = valid(spec2d(edited));
    expect(norm.model.layers[0]).toMatchObject({ init: { type: 'normal', std: 1 } });
    // Another init drops the std; the default std 0.01 is not spelled out.
    const he = layersOf({ ...d, blocks: d.blocks.map((b) => ({ ...b, init: 'he_normal' as const })) }, false);
    expect(he[0]).toEqual({ type: 'dense', units: 32, init: { type: 'he_normal' } });
    expect(designOf(valid(spec2d([{ type: 'dense', units: 2, init: { type: 'normal' } }])).model.layers)).toEqual({
      blocks: [],
      outputs: 2,
      outputInit: 'normal',
    });
    const c = designOf([layers[2], { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 10 }]);
    expect(c?.blocks[0]).toMatchObject({ kind: 'conv', initStd: 0.5 });
    expect(layersOf(c as NetDesign, true)[0]).toEqual(layers[2]);
  });

  it('round-trips a design with no hidden blocks (a linear model)', () => {
    const d: NetDesign = { blocks: [], outputs: 2, outputInit: 'xavier_uniform' };
    expect(layersOf(d, false)).toEqual([{ type: 'dense', units: 2, init: { type: 'xavier_uniform' } }]);
    roundTrip(d, [2]);
  });

  it('round-trips conv stacks with pooling and BatchNorm, then dense blocks, with one flatten between', () => {
    const d: NetDesign = {
      blocks: [
        conv(8, { pool: 'max', init: 'he_uniform' }),
        conv(16, { batchnorm: true, pool: 'avg', kernel: 5 }),
        conv(16, { activation: 'elu' }),
        dense(32, { batchnorm: true, dropout: 0.2 }),
        dense(32, { residual: true }),
      ],
      outputs: 10,
      outputInit: 'default',
    };
    const layers = layersOf(d, true);
    expect(layers.map((l) => l.type)).toEqual([
      'conv2d',
      'relu',
      'maxpool2d',
      'conv2d',
      'batchnorm',
      'relu',
      'avgpool2d',
      'conv2d',
      'elu',
      'flatten',
      'dense',
      'batchnorm',
      'relu',
      'dropout',
      'residual',
      'dense',
    ]);
    expect(layers[3]).toEqual({ type: 'conv2d', filters: 16, kernel: 5, padding: 2 });
    roundTrip(d, [1, 28, 28], specMnist);
  });

  it('puts a flatten before the head of a conv-only design on image input', () => {
    const d: NetDesign = { blocks: [conv(4, { pool: 'max' })], outputs: 10, outputInit: 'default' };
    expect(layersOf(d, true).slice(-2)).toEqual([{ type: 'flatten' }, { type: 'dense', units: 10 }]);
    roundTrip(d, [1, 28, 28], specMnist);
  });

  it('reads the Lab defaults and the MNIST CNN', () => {
    expect(designOf(DEFAULT_SPECS.classify2d.model.layers)).toEqual({
      blocks: [dense(16), dense(16), dense(16)],
      outputs: 2,
      outputInit: 'default',
    });
    const cnn = designOf([
      { type: 'conv2d', filters: 8, kernel: 3, padding: 1 },
      { type: 'relu' },
      { type: 'maxpool2d', kernel: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 10 },
    ]);
    expect(cnn?.blocks).toEqual([conv(8, { pool: 'max' })]);
  });

  it('returns null for layer lists the editor cannot show', () => {
    const cannot: [string, LayerSpec[]][] = [
      ['empty', []],
      [
        'two activations in a row',
        [{ type: 'dense', units: 8 }, { type: 'relu' }, { type: 'relu' }, { type: 'dense', units: 2 }],
      ],
      [
        'no activation after a hidden dense',
        [
          { type: 'dense', units: 8 },
          { type: 'dense', units: 2 },
        ],
      ],
      ['ends in an activation', [{ type: 'dense', units: 8 }, { type: 'relu' }]],
      [
        'dropout before the activation',
        [{ type: 'dense', units: 8 }, { type: 'dropout', rate: 0.1 }, { type: 'relu' }, { type: 'dense', units: 2 }],
      ],
      [
        'layernorm',
        [{ type: 'dense', units: 8 }, { type: 'layernorm' }, { type: 'relu' }, { type: 'dense', units: 2 }],
      ],
      [
        'a conv with stride 2',
        [
          { type: 'conv2d', filters: 4, kernel: 3, padding: 1, stride: 2 },
          { type: 'relu' },
          { type: 'flatten' },
          { type: 'dense', units: 10 },
        ],
      ],
      [
        'a conv without "same" padding',
        [
          { type: 'conv2d', filters: 4, kernel: 3 },
          { type: 'relu' },
          { type: 'flatten' },
          { type: 'dense', units: 10 },
        ],
      ],
      [
        'a conv without activation',
        [{ type: 'conv2d', filters: 4, kernel: 3, padding: 1 }, { type: 'flatten' }, { type: 'dense', units: 10 }],
      ],
      [
        'a 3x3 pool',
        [
          { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
          { type: 'relu' },
          { type: 'maxpool2d', kernel: 3 },
          { type: 'flatten' },
          { type: 'dense', units: 10 },
        ],
      ],
      [
        'a pool with stride 1',
        [
          { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
          { type: 'relu' },
          { type: 'maxpool2d', kernel: 2, stride: 1 },
          { type: 'flatten' },
          { type: 'dense', units: 10 },
        ],
      ],
      [
        'a flatten after a dense block',
        [{ type: 'dense', units: 8 }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 2 }],
      ],
      ['a residual head', [{ type: 'residual', layers: [{ type: 'dense', units: 2 }] }]],
      [
        'a residual with two blocks',
        [
          {
            type: 'residual',
            layers: [{ type: 'dense', units: 2 }, { type: 'relu' }, { type: 'dense', units: 2 }, { type: 'relu' }],
          },
          { type: 'dense', units: 2 },
        ],
      ],
      [
        'a residual with extra layers after the block',
        [
          { type: 'residual', layers: [{ type: 'dense', units: 2 }, { type: 'relu' }, { type: 'layernorm' }] },
          { type: 'dense', units: 2 },
        ],
      ],
    ];
    for (const [name, layers] of cannot) expect(designOf(layers), name).toBeNull();
  });

  it('every layersOf output is a valid spec', () => {
    const designs: [NetDesign, number[]][] = [
      [
        {
          blocks: [dense(512, { batchnorm: true }), dense(512, { residual: true, dropout: 0.9 })],
          outputs: 2,
          outputInit: 'zeros',
        },
        [2],
      ],
      [{ blocks: [dense(2, { residual: true })], outputs: 2, outputInit: 'normal' }, [2]],
      [
        {
          blocks: [conv(4, { batchnorm: true, pool: 'max' }), conv(4, { pool: 'max' }), conv(4, { pool: 'avg' })],
          outputs: 10,
          outputInit: 'default',
        },
        [1, 28, 28],
      ],
    ];
    for (const [d, input] of designs) {
      const make = input.length === 3 ? specMnist : spec2d;
      expect(validateSpec(make(layersOf(d, input.length === 3), input)).ok).toBe(true);
    }
  });
});

describe('canBeResidual / sanitize', () => {
  const d: NetDesign = { blocks: [dense(16), dense(16), dense(8), dense(8)], outputs: 2, outputInit: 'default' };

  it('allows a skip only where the block keeps the incoming width', () => {
    expect(incomingWidths(d, 2)).toEqual([2, 16, 16, 8]);
    expect([0, 1, 2, 3].map((i) => canBeResidual(d, i, 2))).toEqual([false, true, false, true]);
    expect(canBeResidual(d, 0, 16)).toBe(true);
    expect(canBeResidual(d, 9, 2)).toBe(false);
  });

  it('never allows a skip on a conv block or on the first dense block after convs', () => {
    const c: NetDesign = { blocks: [conv(16), dense(16), dense(16)], outputs: 10, outputInit: 'default' };
    expect([0, 1, 2].map((i) => canBeResidual(c, i, 16))).toEqual([false, false, true]);
  });

  it('drops the skips that the widths no longer allow, and keeps the rest', () => {
    const withSkips: NetDesign = {
      ...d,
      blocks: d.blocks.map((b, i) => (i === 1 || i === 3 ? { ...b, residual: true } : b)) as Block[],
    };
    expect(sanitize(withSkips, 2)).toEqual(withSkips);
    // Block 0 grows to 32: block 1 (16 units) can no longer add its input.
    const wider: NetDesign = { ...withSkips, blocks: [dense(32), ...withSkips.blocks.slice(1)] };
    const fixed = sanitize(wider, 2);
    expect(fixed.blocks.map((b) => b.kind === 'dense' && b.residual)).toEqual([false, false, false, true]);
    expect(validateSpec(spec2d(layersOf(fixed, false))).ok).toBe(true);
    // Unsanitized, the same design is not a valid network.
    expect(validateSpec(spec2d(layersOf(wider, false))).ok).toBe(false);
  });

  it('drops a skip on the first block when the input width changes', () => {
    const first: NetDesign = { blocks: [dense(3, { residual: true })], outputs: 2, outputInit: 'default' };
    expect(sanitize(first, 3)).toEqual(first);
    expect(sanitize(first, 2).blocks[0]).toMatchObject({ residual: false });
  });
});
