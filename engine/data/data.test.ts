// The seeded toy generators and the epoch sampler.

import { describe, expect, it } from 'vitest';
import { DATA_KINDS } from '../spec/defaults';
import { epochOrder, stepsPerEpoch } from './sampler';
import { makeToyDataset } from './toy2d';

const base = { points: 300, noise: 0.05, valFraction: 0.2, seed: 4, classes: 2 };

describe('toy 2-D data', () => {
  for (const kind of DATA_KINDS) {
    it(`${kind}: deterministic, split by valFraction, finite, sensible targets`, () => {
      const regression = kind === 'plane' || kind === 'bumps';
      const loss = regression ? 'mse' : 'cross_entropy';
      const a = makeToyDataset({ ...base, kind }, loss);
      const b = makeToyDataset({ ...base, kind }, loss);
      expect(a).toEqual(b);
      expect(a.train.count).toBe(240);
      expect(a.val.count).toBe(60);
      expect(a.train.x.length).toBe(480);
      expect(Array.from(a.train.x).every(Number.isFinite)).toBe(true);
      expect(Math.max(...Array.from(a.train.x, Math.abs))).toBeLessThan(2);
      if (!regression) {
        const ones = Array.from(a.train.y).filter((v) => v === 1).length;
        expect(ones).toBeGreaterThan(80);
        expect(ones).toBeLessThan(160);
      }
      const c = makeToyDataset({ ...base, kind, seed: 5 }, loss);
      expect(Array.from(c.train.x)).not.toEqual(Array.from(a.train.x));
    });
  }
  it('targets follow the loss: indices, 0/1, or -1/+1', () => {
    const d = { ...base, kind: 'xor' as const };
    expect(new Set(makeToyDataset(d, 'bce_logits').train.y)).toEqual(new Set([0, 1]));
    expect(new Set(makeToyDataset(d, 'mse').train.y)).toEqual(new Set([-1, 1]));
    const spiral = makeToyDataset({ ...base, kind: 'spiral', classes: 3 }, 'cross_entropy');
    expect(new Set(spiral.train.y)).toEqual(new Set([0, 1, 2]));
    expect(spiral.targetShape).toEqual([]);
  });
});

describe('sampler', () => {
  it('shuffles each epoch into a different permutation, reproducibly', () => {
    const e0 = epochOrder(100, 1, 0, true);
    const e1 = epochOrder(100, 1, 1, true);
    expect([...e0].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(e0)).not.toEqual(Array.from(e1));
    expect(Array.from(epochOrder(100, 1, 0, true))).toEqual(Array.from(e0));
    expect(Array.from(epochOrder(5, 1, 3, false))).toEqual([0, 1, 2, 3, 4]);
    expect(stepsPerEpoch(100, 32)).toBe(3);
  });
});
