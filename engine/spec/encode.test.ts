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
