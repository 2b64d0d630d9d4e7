// The compact URL encoding: round trips through decode + validation, stays URL-safe, and rejects garbage with
// messages instead of exceptions.

import { describe, expect, it } from 'vitest';
import { loadGoldenFixtures } from '../testing/golden';
import { decodeSpec, encodeSpec } from './encode';
import { validateSpec } from './validate';

const EXAMPLE = {
  data: { kind: 'spiral', points: 500, noise: 0.1, valFraction: 0.2, seed: 1 },
  model: {
    input: [2],
    layers: [
      { type: 'dense', units: 16, init: { type: 'normal', std: 0.05 } },
      { type: 'batchnorm' },
      { type: 'leaky_relu', slope: 0.2 },
      {
        type: 'residual',
        layers: [
          { type: 'dense', units: 16, bias: false },
          { type: 'elu', alpha: 0.5 },
        ],
      },
      { type: 'dropout', rate: 0.1 },
      { type: 'dense', units: 2 },
    ],
  },
  loss: { type: 'cross_entropy', labelSmoothing: 0.05 },
  optimizer: { type: 'adamw', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01 },
  schedule: { type: 'cosine', totalSteps: 2000, warmupSteps: 100, minLr: 0 },
  regularization: { l1: 0, l2: 1e-4, clipGradNorm: 1.0 },
  training: { batchSize: 32, seed: 42 },
};

function roundTrips(raw: unknown): void {
  const direct = validateSpec(raw);
  expect(direct.ok).toBe(true);
  if (!direct.ok) return;
  const text = encodeSpec(direct.value);
  expect(text).toMatch(/^[A-Za-z0-9._~-]+$/);
  const back = decodeSpec(text);
  expect(back.ok && back.value).toEqual(direct.value);
}

describe('spec encoding', () => {
  it('round-trips the example (raw and normalized) compactly', () => {
    roundTrips(EXAMPLE);
    const text = encodeSpec(EXAMPLE as never);
    expect(text.length).toBeLessThan(220);
    const back = decodeSpec(text);
    const want = validateSpec(EXAMPLE);
    expect(back.ok && want.ok && back.value).toEqual(want.ok && want.value);
  });

  it('round-trips every golden fixture spec (all layers, losses, optimizers, schedules)', () => {
    for (const fx of loadGoldenFixtures()) roundTrips(fx.spec);
  });

  it('round-trips data.features (one token of indices) and data.extra (numbers), and mnist', () => {
    const features = { ...EXAMPLE, data: { ...EXAMPLE.data, features: ['x1x2', 'x1', 'sinx2'] } };
    features.model = { ...EXAMPLE.model, input: [3] };
    roundTrips(features);
    expect(encodeSpec(features as never)).toContain('_f' + '406');
    const normalized = validateSpec(features);
    expect(normalized.ok && encodeSpec(normalized.value)).toContain('_f' + '046');
    const extra = { ...EXAMPLE, data: { ...EXAMPLE.data, extra: [0.5, -0.25, 1, -1e-7, 0.75, 0] } };
    roundTrips(extra);
    expect(encodeSpec(extra as never)).toContain('x0.5_x-0.25_x1_x-1e-7_x0.75_x0');
    const back = decodeSpec(encodeSpec(extra as never));
    expect(back.ok && back.value.data?.extra).toEqual([0.5, -0.25, 1, -1e-7, 0.75, 0]);
    const mnist = {
      data: { kind: 'mnist', points: 4000 },
      model: { input: [1, 28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] },
      loss: { type: 'cross_entropy' },
      optimizer: { type: 'adam' },
      training: { batchSize: 64 },
    };
    roundTrips(mnist);
    const m = decodeSpec(encodeSpec(mnist as never));
    expect(m.ok && m.value.data?.kind).toBe('mnist');
  });

  it('an encoding without features or extra still decodes to the defaults', () => {
    const r = decodeSpec('d_k3_p500_n0.1~i_2~L_t0_u2~l_t4~o_t3~t_b32');
    expect(r.ok && r.value.data).toMatchObject({ kind: 'spiral', features: ['x1', 'x2'], extra: [] });
  });

  it('reports a bad feature index by name', () => {
    const r = decodeSpec('d_k3_f09~i_2~L_t0_u2~l_t4~o_t3~t_b32');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message).join('\n')).toContain('data.features[1] must be one of x1, x2');
  });

  it('rejects malformed text with messages, never throwing', () => {
    for (const bad of [
      '',
      'zz',
      'd_k99~i_2~L_t0_u4~l_t0~o_t0_lr1~t_b4',
      'L_t0_u4~E',
      'R~L_t0',
      'a b',
      'o_q1',
      'L_t0_u-4',
    ]) {
      let r: ReturnType<typeof decodeSpec> | undefined;
      expect(() => {
        r = decodeSpec(bad);
      }).not.toThrow();
      expect(r?.ok).toBe(false);
    }
    const r = decodeSpec('i_2~L_t0_u0~l_t0~o_t0_lr0.1~t_b4');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toContain('model.layers[0].units must be an integer from 1 to 4096');
  });
});
