import { describe, expect, it } from 'vitest';
import { compress, histogramImage, resampleColumn, valueRange } from './histogram';

describe('histogram to image', () => {
  it('resampling conserves counts and places them by value', () => {
    const s = { step: 0, min: -1, max: 1, counts: Uint32Array.from([10, 0, 0, 30]) };
    const col = resampleColumn(s, -2, 2, 8);
    expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(40, 5);
    // [-1, -0.5) lands in row 2 ([-1, -0.5)); [0.5, 1) in row 5.
    expect(col[2]).toBeCloseTo(10);
    expect(col[5]).toBeCloseTo(30);
    expect(col[0]).toBe(0);
    expect(col[7]).toBe(0);
  });

  it('splits a bin across rows by overlap', () => {
    const col = resampleColumn({ step: 0, min: 0, max: 1, counts: [8] }, 0, 1, 4);
    expect(Array.from(col)).toEqual([2, 2, 2, 2]);
  });

  it('puts a constant layer (min = max) into one row', () => {
    const col = resampleColumn({ step: 0, min: 0, max: 0, counts: [5, 0] }, -0.5, 0.5, 4);
    expect(col.reduce((a, b) => a + b, 0)).toBe(5);
    expect(valueRange([{ step: 0, min: 0, max: 0, counts: [5] }])).toEqual([-0.5, 0.5]);
  });

  it('compresses densities log-ishly into [0, 1]', () => {
    expect(compress(0, 10)).toBe(0);
    expect(compress(10, 10)).toBeCloseTo(1);
    expect(compress(1, 10)).toBeGreaterThan(0.4);
    expect(compress(5, 0)).toBe(0);
  });

  it('builds a cols × rows image with high values at the top and empty columns before the first snapshot', () => {
    const snaps = [
      { step: 100, min: 0, max: 1, counts: [0, 0, 0, 9] },
      { step: 200, min: 0, max: 1, counts: [9, 0, 0, 0] },
    ];
    const cols = 4;
    const rows = 4;
    const img = histogramImage(snaps, cols, rows, (c) => c * 75, [0, 1]);
    expect(img).toHaveLength(16);
    const px = (c: number, r: number) => img[r * cols + c];
    // column 0 (step 0): before any snapshot.
    expect(px(0, 0)).toBe(-1);
    // column 1 (step 75): still before; column 2 (step 150): the first snapshot, its mass in the top row.
    expect(px(1, 0)).toBe(-1);
    expect(px(2, 0)).toBeCloseTo(1);
    expect(px(2, 3)).toBe(0);
    // column 3 (step 225): the second snapshot, mass at the bottom.
    expect(px(3, 3)).toBeCloseTo(1);
    expect(px(3, 0)).toBe(0);
  });
});
