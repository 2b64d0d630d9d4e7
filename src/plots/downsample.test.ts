import { describe, expect, it } from 'vitest';
import { downsample, extentOf, linePath, lowerBound, nearestIndex } from './downsample';

const range = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

describe('downsample', () => {
  it('keeps short series as they are', () => {
    const x = range(10);
    const y = x.map((v) => v * v);
    const out = downsample(x, y, 0, 9, 100);
    expect(out.x).toEqual(Array.from(x));
    expect(out.y).toEqual(Array.from(y));
  });

  it('reduces 100k points to at most 4 per bucket and keeps every bucket extreme', () => {
    const n = 100_000;
    const x = range(n);
    const y = Float64Array.from(x, (v) => Math.sin(v / 50) + (v === 54_321 ? 9 : 0) - (v === 77_777 ? 7 : 0));
    const out = downsample(x, y, 0, n - 1, 500);
    expect(out.x.length).toBeLessThanOrEqual(500 * 4 + 8);
    expect(out.x.length).toBeGreaterThan(500);
    expect(Math.max(...out.y)).toBe(y[54_321]);
    expect(Math.min(...out.y)).toBe(y[77_777]);
    // x stays ascending.
    for (let i = 1; i < out.x.length; i++) expect(out.x[i]).toBeGreaterThan(out.x[i - 1]);
    expect(out.x[0]).toBe(0);
    expect(out.x[out.x.length - 1]).toBe(n - 1);
  });

  it('turns NaN (and non-positive values on a log axis) into single gaps', () => {
    const x = range(8);
    const y = [1, 2, Number.NaN, Number.NaN, 3, 0, 4, Number.POSITIVE_INFINITY];
    const lin = downsample(x, y, 0, 7, 100);
    expect(lin.y.map((v) => (Number.isNaN(v) ? 'gap' : v))).toEqual([1, 2, 'gap', 3, 0, 4, 'gap']);
    const log = downsample(x, y, 0, 7, 100, (v) => v > 0 && Number.isFinite(v));
    expect(log.y.map((v) => (Number.isNaN(v) ? 'gap' : v))).toEqual([1, 2, 'gap', 3, 'gap', 4, 'gap']);
    expect(
      linePath(
        lin,
        (v) => v,
        (v) => v,
      ),
    ).toBe('M0,1L1,2M4,3L5,0L6,4');
  });

  it('gaps survive the bucketed path too', () => {
    const n = 10_000;
    const x = range(n);
    const y = Float64Array.from(x, (v) => (v >= 5000 && v < 6000 ? Number.NaN : 1));
    const out = downsample(x, y, 0, n - 1, 100);
    expect(out.y.filter(Number.isNaN)).toHaveLength(1);
  });

  it('handles empty series and windows', () => {
    expect(downsample([], [], 0, 1, 10)).toEqual({ x: [], y: [] });
    const x = range(1000);
    const out = downsample(x, x, 200, 300, 10);
    expect(out.x[0]).toBe(199);
    expect(out.x[out.x.length - 1]).toBe(300);
  });
});

describe('search and extent', () => {
  it('finds the nearest x', () => {
    const x = [0, 10, 20, 30];
    expect(lowerBound(x, 15)).toBe(2);
    expect(nearestIndex(x, 14)).toBe(1);
    expect(nearestIndex(x, 16)).toBe(2);
    expect(nearestIndex(x, -5)).toBe(0);
    expect(nearestIndex(x, 99)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it('skips NaN in extents', () => {
    expect(extentOf([Number.NaN, 3, -1, Number.NaN])).toEqual([-1, 3]);
    expect(extentOf([Number.NaN])).toBeUndefined();
  });
});
