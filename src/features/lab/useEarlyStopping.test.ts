import { describe, expect, it } from 'vitest';
import { bestSince } from './useEarlyStopping';

describe('bestSince', () => {
  it('is at -1 and 0 evaluations since for no evaluations', () => {
    expect(bestSince([])).toEqual({ best: Number.POSITIVE_INFINITY, at: -1, since: 0 });
  });

  it('counts the evaluations since the best one', () => {
    expect(bestSince([0.9])).toEqual({ best: 0.9, at: 0, since: 0 });
    expect(bestSince([0.9, 0.5, 0.6, 0.7])).toEqual({ best: 0.5, at: 1, since: 2 });
    expect(bestSince([0.9, 0.8, 0.7])).toEqual({ best: 0.7, at: 2, since: 0 });
  });

  it('keeps the first of equal bests (no improvement is not an improvement)', () => {
    expect(bestSince([0.5, 0.5, 0.5])).toEqual({ best: 0.5, at: 0, since: 2 });
  });

  it('skips NaN losses and reads typed arrays', () => {
    expect(bestSince(new Float64Array([0.4, Number.NaN, 0.45]))).toEqual({ best: 0.4, at: 0, since: 2 });
    expect(bestSince([Number.NaN, Number.NaN])).toEqual({ best: Number.POSITIVE_INFINITY, at: -1, since: 0 });
  });
});
