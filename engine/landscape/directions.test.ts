// Filter-wise normalisation on a known model (a conv net with BatchNorm and a dense head): every row of a dense
// weight and every filter of a conv weight has the norm of the matching row/filter of the weights, every 1-D
// parameter is zero, running statistics are never part of a direction, and a seed gives the same direction.

import { describe, expect, it } from 'vitest';
import { initialState } from '../graph/init';
import { compileSpec } from '../testing/specs';
import { paramRegion, randomDirection, regionParams, regionToStateDict } from './directions';

const spec = {
  model: {
    input: [1, 6, 6],
    layers: [
      { type: 'conv2d', filters: 4, kernel: 3 },
      { type: 'batchnorm' },
      { type: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 5 },
      { type: 'layernorm' },
      { type: 'tanh' },
      { type: 'dense', units: 3 },
    ],
  },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'sgd', lr: 0.1 },
  training: { batchSize: 4, seed: 1 },
};

const norm = (a: ArrayLike<number>, from: number, n: number) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[from + i] ** 2;
  return Math.sqrt(s);
};

describe('random directions with filter-wise normalisation', () => {
  it('matches each row and filter norm of the weights; 1-D parameters zero; buffers untouched', () => {
    const p = compileSpec(spec);
    const state = initialState(p);
    const center = paramRegion(p, state);
    const d = randomDirection(p, center, 42, 0);
    const params = regionParams(p);
    const shapes = Object.fromEntries(params.map((q) => [q.key, q.shape]));
    // The model as the test knows it: conv [4, 1, 3, 3], BatchNorm, dense [5, 64], LayerNorm, dense [3, 5].
    expect(shapes['0.weight']).toEqual([4, 1, 3, 3]);
    expect(shapes['4.weight']).toEqual([5, 64]);
    expect(shapes['7.weight']).toEqual([3, 5]);
    let checked = 0;
    for (const q of params) {
      if (q.shape.length >= 2) {
        const per = q.size / q.shape[0];
        for (let r = 0; r < q.shape[0]; r++) {
          const wn = norm(center, q.at + r * per, per);
          expect(wn).toBeGreaterThan(0);
          expect(Math.abs(norm(d, q.at + r * per, per) - wn) / wn).toBeLessThan(1e-6);
          checked++;
        }
      } else {
        expect(Array.from(d.subarray(q.at, q.at + q.size)).every((v) => v === 0)).toBe(true);
      }
    }
    expect(checked).toBe(4 + 5 + 3);
    // BatchNorm and LayerNorm weights and biases are 1-D: zero.
    const sd = regionToStateDict(p, d, null);
    for (const key of ['1.weight', '1.bias', '5.weight', '5.bias', '0.bias', '4.bias', '7.bias'])
      expect(sd[key].data.every((v) => v === 0)).toBe(true);
    // Running statistics are in the state dict (every key of the model) but never in a direction.
    expect(sd['1.running_mean'].data.every((v) => v === 0)).toBe(true);
    expect(sd['1.running_var'].data.every((v) => v === 0)).toBe(true);
    expect(Object.keys(sd).sort()).toEqual(p.params.map((q) => q.key).sort());
    // Gaussian entries, not a rescaled copy of the weights; seeded and distinct per index.
    expect(Array.from(randomDirection(p, center, 42, 0))).toEqual(Array.from(d));
    const d2 = randomDirection(p, center, 42, 1);
    let dot = 0;
    for (let i = 0; i < d.length; i++) dot += d[i] * d2[i];
    expect(Math.abs(dot) / (norm(d, 0, d.length) * norm(d2, 0, d2.length))).toBeLessThan(0.3);
    const w = shapes['4.weight'];
    const at = params.find((q) => q.key === '4.weight')?.at ?? 0;
    let same = 0;
    for (let i = 0; i < w[0] * w[1]; i++) same += Math.sign(d[at + i]) === Math.sign(center[at + i]) ? 1 : 0;
    expect(same / (w[0] * w[1])).toBeLessThan(0.7);
  });
});
