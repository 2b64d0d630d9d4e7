import { describe, expect, it } from 'vitest';
import { SURFACES } from '../../../engine/index';
import { contourField } from './contour';

describe('race contour field', () => {
  for (const s of SURFACES)
    it(`${s.id}: log-spaced increasing levels, one band each`, () => {
      const f = contourField(s, 40, 12);
      expect(f.levels).toHaveLength(12);
      expect(f.bands).toHaveLength(12);
      const ratios = f.levels.slice(1).map((v, i) => v / f.levels[i]);
      for (const r of ratios) {
        expect(r).toBeGreaterThan(1);
        expect(r).toBeCloseTo(ratios[0], 9);
      }
    });
});
