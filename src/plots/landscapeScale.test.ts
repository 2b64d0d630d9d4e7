import { describe, expect, it } from 'vitest';
import { landscapeScale, sampleGrid } from './landscapeScale';

describe('landscapeScale', () => {
  it('maps to log10 and clips the top at a quantile', () => {
    const v = Array.from({ length: 100 }, (_, i) => 10 ** (i / 50));
    v[99] = 1e9;
    const s = landscapeScale(v, true);
    expect(s.lo).toBeCloseTo(0, 9);
    expect(s.hi).toBeLessThan(2);
    expect(s.invert(s.mapped[50])).toBeCloseTo(10, 6);
    const lin = landscapeScale([3, Number.NaN, 1, 2], false, 1);
    expect([lin.lo, lin.hi]).toEqual([1, 3]);
    expect(Number.isNaN(lin.mapped[1])).toBe(true);
  });

  it('samples a grid bilinearly, clamped at the edges', () => {
    const g = [0, 1, 2, 3]; // 2 x 2: rows [0, 1], [2, 3]
    expect(sampleGrid(g, 2, 0.5, 0.5)).toBeCloseTo(1.5, 9);
    expect(sampleGrid(g, 2, 1, 1)).toBe(3);
    expect(sampleGrid(g, 2, -3, 0)).toBe(0);
  });
});
