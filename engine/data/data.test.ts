// The seeded toy generators (with input features and learner-added points) and the epoch sampler.

import { describe, expect, it } from 'vitest';
import { DATA_FEATURES, TOY_KINDS } from '../spec/defaults';
import type { DataFeature } from '../spec/types';
import { mapFeatures } from './features';
import { epochOrder, stepsPerEpoch } from './sampler';
import { makeToyDataset } from './toy2d';

const base = {
  points: 300,
  noise: 0.05,
  valFraction: 0.2,
  seed: 4,
  classes: 2,
  features: ['x1', 'x2'] as DataFeature[],
  extra: [] as number[],
};

describe('toy 2-D data', () => {
  for (const kind of TOY_KINDS) {
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

describe('2-D input features and learner points', () => {
  it('maps every feature from the raw coordinates, which points2d keeps', () => {
    const plain = makeToyDataset({ ...base, kind: 'circle' }, 'cross_entropy');
    const all = makeToyDataset({ ...base, kind: 'circle', features: [...DATA_FEATURES] }, 'cross_entropy');
    expect(all.inputShape).toEqual([7]);
    expect(all.points2d?.train).toEqual(plain.train.x);
    expect(all.points2d?.val).toEqual(plain.val.x);
    expect(Array.from(all.train.y)).toEqual(Array.from(plain.train.y));
    for (const split of ['train', 'val'] as const) {
      const xy = plain[split].x;
      const x = all[split].x;
      for (let r = 0; r < plain[split].count; r += 17) {
        const [a, b] = [xy[2 * r], xy[2 * r + 1]];
        const want = [a, b, a * a, b * b, a * b, Math.sin(Math.PI * a), Math.sin(Math.PI * b)];
        for (let j = 0; j < 7; j++) expect(x[7 * r + j]).toBeCloseTo(want[j], 6);
      }
    }
  });

  it('mapFeatures keeps the order it is given, one column per feature', () => {
    const xy = new Float32Array([0.5, -0.25, 1, 2]);
    expect(Array.from(mapFeatures(['x1x2', 'x2'], xy, 2))).toEqual([-0.125, -0.25, 2, 2]);
    expect(Array.from(mapFeatures(['sinx2'], xy, 1))[0]).toBeCloseTo(Math.sin(-Math.PI / 4), 6);
  });

  it('appends extra points to the training split only, with the target encoding of the loss', () => {
    const extra = [0.9, -0.9, 1, -0.1, 0.2, 0];
    const d = makeToyDataset({ ...base, kind: 'xor', extra, features: ['x1', 'x1x2'] }, 'mse');
    const plain = makeToyDataset({ ...base, kind: 'xor' }, 'mse');
    expect(d.train.count).toBe(plain.train.count + 2);
    expect(d.val.count).toBe(plain.val.count);
    expect(d.val.y).toEqual(plain.val.y);
    const n = plain.train.count;
    expect(Array.from(d.points2d?.train.subarray(2 * n) ?? [])).toEqual([0.9, -0.9, -0.1, 0.2].map(Math.fround));
    expect(Array.from(d.train.y.subarray(n))).toEqual([1, -1]); // mse on two classes: -1/+1
    expect(d.train.x[2 * n + 1]).toBeCloseTo(0.9 * -0.9, 6);
    const ce = makeToyDataset({ ...base, kind: 'xor', extra }, 'cross_entropy');
    expect(Array.from(ce.train.y.subarray(n))).toEqual([1, 0]);
    const bumps = makeToyDataset({ ...base, kind: 'bumps', extra: [0, 0, 0.75] }, 'mse');
    expect(bumps.train.y[bumps.train.count - 1]).toBe(0.75);
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
