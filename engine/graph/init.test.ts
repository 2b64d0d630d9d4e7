// Initialisation: each rule's scale (torch formulas), biases, norm parameters, and reproducibility from the seed.

import { describe, expect, it } from 'vitest';
import { validateSpec } from '../spec/validate';
import { compile } from './compile';
import { initialState } from './init';

function weights(init: unknown, seed = 1, units = 400, input = 300) {
  const v = validateSpec({
    model: {
      input: [input],
      layers: [{ type: 'dense', units, init }, { type: 'batchnorm' }, { type: 'dense', units: 2 }],
    },
    loss: { type: 'mse' },
    optimizer: { type: 'adagrad', initialAccumulatorValue: 0.25 },
    training: { batchSize: 4, seed },
  });
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  const p = compile(v.value);
  const state = initialState(p);
  const get = (key: string) => {
    const q = p.params.find((x) => x.key === key);
    if (!q) throw new Error(key);
    const t = p.tensors[q.tensor];
    return Array.from(state.subarray(t.offset, t.offset + t.size));
  };
  return { w: get('0.weight'), b: get('0.bias'), get, p, state };
}

const std = (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);
const maxAbs = (a: number[]) => Math.max(...a.map(Math.abs));

describe('init', () => {
  const fanIn = 300;
  const fanOut = 400;
  it('default: kaiming_uniform(a=sqrt(5)) weights and bias both U(+-1/sqrt(fan_in))', () => {
    const { w, b } = weights(undefined);
    const bound = 1 / Math.sqrt(fanIn);
    expect(maxAbs(w)).toBeLessThanOrEqual(bound);
    expect(maxAbs(w)).toBeGreaterThan(0.99 * bound);
    expect(std(w)).toBeCloseTo(bound / Math.sqrt(3), 3);
    expect(maxAbs(b)).toBeLessThanOrEqual(bound);
  });
  it('xavier, he and normal scales; zero biases', () => {
    const cases: [string, number][] = [
      ['xavier_uniform', Math.sqrt(2 / (fanIn + fanOut))],
      ['xavier_normal', Math.sqrt(2 / (fanIn + fanOut))],
      ['he_uniform', Math.sqrt(2 / fanIn)],
      ['he_normal', Math.sqrt(2 / fanIn)],
    ];
    for (const [type, s] of cases) {
      const { w, b } = weights({ type });
      expect(Math.abs(std(w) / s - 1), type).toBeLessThan(0.02);
      expect(maxAbs(b)).toBe(0);
    }
    expect(Math.abs(std(weights({ type: 'normal', std: 0.2 }).w) / 0.2 - 1)).toBeLessThan(0.02);
    expect(maxAbs(weights('zeros').w)).toBe(0);
  });
  it('norm parameters, running stats and optimizer state start as torch does', () => {
    const { get, p, state } = weights(undefined);
    expect(new Set(get('1.weight'))).toEqual(new Set([1]));
    expect(new Set(get('1.bias'))).toEqual(new Set([0]));
    expect(new Set(get('1.running_var'))).toEqual(new Set([1]));
    const sum = p.regions.optState.sum;
    expect(state[sum.offset]).toBe(0.25);
  });
  it('is reproducible from the seed and differs across seeds', () => {
    expect(weights(undefined, 3).w).toEqual(weights(undefined, 3).w);
    expect(weights(undefined, 3).w).not.toEqual(weights(undefined, 4).w);
  });
});
