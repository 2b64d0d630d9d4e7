// Finite-difference checks (double precision) of every forward op's gradient rule and every loss, through the CPU
// kernels: each case puts the op between parameterised layers so both its input and parameter gradients matter.

import { describe, expect, it } from 'vitest';
import type { ExperimentSpec, LayerSpec, LossSpec } from '../spec/types';
import { validateSpec } from '../spec/validate';
import { cpuKernelSupport, gradcheck, simdGradientError } from '../testing/gradcheck';
import { ACTIVATION_NAMES } from './activations';

function spec(
  input: number[],
  layers: LayerSpec[],
  loss: LossSpec = { type: 'mse' },
  extra: Partial<ExperimentSpec> = {},
) {
  const v = validateSpec({
    model: { input, layers },
    loss,
    optimizer: { type: 'sgd', lr: 0.1 },
    training: { batchSize: 4, seed: 3 },
    ...extra,
  });
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  return v.value;
}

const TOL = 1e-5;
const dense = (units: number): LayerSpec => ({ type: 'dense', units });
const img = [2, 5, 5];

const CASES: Record<string, ReturnType<typeof spec>> = {
  matmul_dense: spec([3], [dense(4), dense(2)]),
  dense_no_bias: spec([3], [{ type: 'dense', units: 4, bias: false }, { type: 'tanh' }, dense(2)]),
  conv2d: spec(img, [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'flatten' }, dense(2)]),
  conv2d_stride_padding: spec(img, [
    { type: 'conv2d', filters: 3, kernel: 3, stride: 2, padding: 1 },
    { type: 'conv2d', filters: 2, kernel: 2, padding: 1 },
    { type: 'flatten' },
    dense(2),
  ]),
  maxpool2d: spec(img, [
    { type: 'conv2d', filters: 2, kernel: 2 },
    { type: 'maxpool2d', kernel: 2 },
    { type: 'flatten' },
    dense(2),
  ]),
  maxpool2d_overlap: spec(img, [
    { type: 'conv2d', filters: 2, kernel: 2 },
    { type: 'maxpool2d', kernel: 3, stride: 1 },
    { type: 'flatten' },
    dense(2),
  ]),
  avgpool2d: spec(img, [
    { type: 'conv2d', filters: 2, kernel: 2 },
    { type: 'avgpool2d', kernel: 2, stride: 1 },
    { type: 'flatten' },
    dense(2),
  ]),
  batchnorm1d: spec([3], [dense(4), { type: 'batchnorm' }, { type: 'tanh' }, dense(2)]),
  batchnorm2d: spec(img, [
    { type: 'conv2d', filters: 2, kernel: 2 },
    { type: 'batchnorm' },
    { type: 'flatten' },
    dense(2),
  ]),
  layernorm1d: spec([3], [dense(4), { type: 'layernorm' }, { type: 'tanh' }, dense(2)]),
  layernorm2d: spec(img, [
    { type: 'conv2d', filters: 2, kernel: 2 },
    { type: 'layernorm' },
    { type: 'flatten' },
    dense(2),
  ]),
  dropout: spec([3], [dense(6), { type: 'dropout', rate: 0.4 }, dense(2)]),
  residual_add: spec([3], [dense(4), { type: 'residual', layers: [dense(4), { type: 'tanh' }] }, dense(2)]),
  residual_nested: spec(
    [3],
    [dense(4), { type: 'residual', layers: [{ type: 'residual', layers: [dense(4)] }, { type: 'sigmoid' }] }, dense(2)],
  ),
  l1_l2_penalties: spec(
    [3],
    [dense(4), { type: 'tanh' }, dense(2)],
    { type: 'mse' },
    { regularization: { l1: 0.03, l2: 0.05 } },
  ),
};
// Sequence layers and the tensor ops they lower to (slice, concat, transpose, bmm, softmax, gather, mean_axis,
// add_bcast, mul, scale, stop_grad), and the 2-D ones (conv_transpose2d, upsample). The recurrent cases share
// weight_hh over every step: the DAG core must sum those gradients.
const seq = [5, 3];
const ce = { type: 'cross_entropy' } as const;
Object.assign(CASES, {
  rnn_sequences: spec(seq, [{ type: 'rnn', hidden: 4, returnSequences: true }, dense(2)]),
  rnn_bidirectional_last: spec(seq, [{ type: 'rnn', hidden: 3, bidirectional: true }, dense(2)]),
  lstm_sequences: spec(seq, [{ type: 'lstm', hidden: 3, returnSequences: true }, dense(2)]),
  lstm_bidirectional_last: spec(seq, [{ type: 'lstm', hidden: 3, bidirectional: true }, dense(2)]),
  gru_sequences: spec(seq, [{ type: 'gru', hidden: 3, returnSequences: true }, dense(2)]),
  gru_bidirectional_last: spec(seq, [{ type: 'gru', hidden: 3, bidirectional: true }, dense(2)]),
  attention_mean_pool: spec(seq, [
    dense(4),
    { type: 'attention', heads: 2 },
    { type: 'seqpool', mode: 'mean' },
    dense(2),
  ]),
  attention_causal_tokens_ce: spec(seq, [dense(6), { type: 'attention', heads: 3, causal: true }, dense(3)], ce),
  embedding_learned_positions_layernorm: spec(
    [5],
    [
      { type: 'embedding', vocab: 7, dim: 4 },
      { type: 'positional', kind: 'learned', maxLen: 6 },
      { type: 'layernorm' },
      { type: 'seqpool', mode: 'last' },
      dense(3),
    ],
    ce,
  ),
  sinusoidal_positions: spec(seq, [dense(4), { type: 'positional', kind: 'sinusoidal' }, { type: 'tanh' }, dense(2)]),
  cross_entropy_per_token: spec(seq, [dense(4), { type: 'tanh' }, dense(3)], {
    type: 'cross_entropy',
    labelSmoothing: 0.1,
  }),
  conv_transpose2d: spec(
    [2, 3, 3],
    [
      { type: 'conv_transpose2d', filters: 2, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
      { type: 'flatten' },
      dense(2),
    ],
  ),
  conv_transpose2d_no_bias: spec(
    [2, 3, 3],
    [{ type: 'conv_transpose2d', filters: 3, kernel: 2, bias: false }, { type: 'tanh' }, { type: 'flatten' }, dense(2)],
  ),
  upsample: spec(img, [
    { type: 'conv2d', filters: 2, kernel: 2 },
    { type: 'upsample', scale: 2 },
    { type: 'flatten' },
    dense(2),
  ]),
  vae_sample_normal_kl: spec(
    [3],
    [
      dense(6),
      { type: 'tanh' },
      dense(4),
      { type: 'sample_normal', klWeight: 0.5 },
      dense(5),
      { type: 'tanh' },
      dense(3),
    ],
  ),
  reshape_to_map: spec(
    [3],
    [
      dense(12),
      { type: 'reshape', shape: [3, 2, 2] },
      { type: 'conv2d', filters: 2, kernel: 2 },
      { type: 'flatten' },
      dense(2),
    ],
  ),
});
for (const fn of ACTIVATION_NAMES) CASES[`unary_${fn}`] = spec([3], [dense(5), { type: fn }, dense(2)]);
CASES.unary_leaky_relu_slope = spec([3], [dense(5), { type: 'leaky_relu', slope: 0.2 }, dense(2)]);
CASES.unary_elu_alpha = spec([3], [dense(5), { type: 'elu', alpha: 0.7 }, dense(2)]);
const LOSSES: LossSpec[] = [
  { type: 'mse' },
  { type: 'mae' },
  { type: 'huber', delta: 0.3 },
  { type: 'bce_logits' },
  { type: 'cross_entropy' },
  { type: 'cross_entropy', labelSmoothing: 0.2 },
];
for (const l of LOSSES)
  CASES[`loss_${l.type}${'labelSmoothing' in l ? '_smoothing' : ''}`] = spec(
    [3],
    [dense(5), { type: 'tanh' }, dense(3)],
    l,
  );

describe('stop_gradient', () => {
  it('zeroes every gradient above it and leaves those below exact', () => {
    const s = spec([3], [dense(4), { type: 'tanh' }, { type: 'stop_gradient' }, dense(2)]);
    const below = gradcheck(s, { only: (key) => key.startsWith('3.') });
    expect(below.checked).toBeGreaterThan(0);
    expect(below.worst, below.at).toBeLessThan(TOL);
    // Above the stop the analytic gradient is exactly zero while finite differences see the dependence.
    const above = gradcheck(s, { only: (key) => key.startsWith('0.') });
    expect(above.worst).toBeGreaterThan(0.5);
  });
});

describe('finite-difference gradient checks (cpu, float64)', () => {
  for (const [name, s] of Object.entries(CASES)) {
    it(name, () => {
      const r = gradcheck(s);
      expect(r.checked).toBeGreaterThan(0);
      expect(r.worst, r.at).toBeLessThan(TOL);
    });
  }
});

// The SIMD CPU kernels (f32) give the same gradients as the float64 JS kernels checked above, at every case.
const support = await cpuKernelSupport();
for (const variant of ['simd', 'relaxed-simd'] as const)
  describe.skipIf(support[variant] !== true)(`${variant} kernels: gradients equal the float64 reference`, () => {
    for (const [name, s] of Object.entries(CASES)) {
      it(name, async () => {
        const r = await simdGradientError(s, variant);
        expect(r.checked).toBeGreaterThan(0);
        expect(r.worst, r.at).toBeLessThan(1e-4);
      });
    }
  });
