// Attention weights read back: every query's row sums to 1, a causal layer puts exactly 0 on later keys, and the
// maps are the same whatever batch the rows are evaluated in.
import { describe, expect, it } from 'vitest';
import { compile } from '../graph/compile';
import { initialState } from '../graph/init';
import { validateSpec } from '../spec/validate';
import { attentionWeights } from './attention';

function program(batchSize: number) {
  const v = validateSpec({
    model: {
      input: [5],
      layers: [
        { type: 'embedding', vocab: 7, dim: 8 },
        { type: 'attention', heads: 2, causal: true },
        { type: 'attention', heads: 4 },
        { type: 'dense', units: 7 },
      ],
    },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'sgd', lr: 0.1 },
    training: { batchSize, seed: 4 },
  });
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  return compile(v.value);
}

describe('attention weights', () => {
  const x = Float32Array.from({ length: 6 * 5 }, (_, i) => (i * 3) % 7);

  it('are read back per layer: rows sum to 1, causal layers mask later keys, batching does not matter', () => {
    const p = program(4);
    const maps = attentionWeights(p, initialState(p), x, 6);
    expect(maps.map((m) => [m.layer, m.heads, m.T])).toEqual([
      ['1', 2, 5],
      ['2', 4, 5],
    ]);
    for (const m of maps)
      for (let row = 0; row < 6 * m.heads * m.T; row++) {
        const w = m.weights.subarray(row * m.T, (row + 1) * m.T);
        expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        const query = row % m.T;
        if (m.layer === '1') for (let k = query + 1; k < m.T; k++) expect(w[k]).toBe(0);
      }
    const one = program(1);
    const again = attentionWeights(one, initialState(one), x, 6);
    for (let i = 0; i < maps.length; i++) expect(Array.from(again[i].weights)).toEqual(Array.from(maps[i].weights));
  });
});
