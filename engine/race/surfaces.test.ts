// Each surface's hand-written gradient against central finite differences (float64), at points spread over its
// view box, and each listed optimum being a stationary point at the stated minimum value.
import { describe, expect, it } from 'vitest';
import { rngUniform } from '../rng/rng';
import { observedGradient, SURFACES } from './surfaces';

describe('race surfaces', () => {
  for (const s of SURFACES) {
    it(`${s.id}: analytic gradient matches finite differences`, () => {
      let worst = 0;
      for (let i = 0; i < 50; i++) {
        const x = s.view.x[0] + (s.view.x[1] - s.view.x[0]) * rngUniform(3, 1, i, 0);
        const y = s.view.y[0] + (s.view.y[1] - s.view.y[0]) * rngUniform(3, 1, i, 1);
        const h = 1e-5;
        const fx = (s.f(x + h, y) - s.f(x - h, y)) / (2 * h);
        const fy = (s.f(x, y + h) - s.f(x, y - h)) / (2 * h);
        const [gx, gy] = s.grad(x, y);
        const scale = Math.max(1, Math.abs(fx), Math.abs(fy));
        worst = Math.max(worst, Math.abs(gx - fx) / scale, Math.abs(gy - fy) / scale);
      }
      expect(worst).toBeLessThan(1e-6);
    });

    it(`${s.id}: optima are stationary at the minimum value`, () => {
      for (const [x, y] of s.optima) {
        const [gx, gy] = s.grad(x, y);
        expect(Math.hypot(gx, gy)).toBeLessThan(1e-9);
        expect(s.f(x, y)).toBeCloseTo(s.minValue, 12);
      }
    });
  }

  it('the noisy bowl draws the same seeded noise for the same step and different noise across steps', () => {
    const s = SURFACES.find((x) => x.id === 'noisy');
    if (!s) throw new Error('no noisy bowl');
    expect(observedGradient(s, 1, 1, 5, 0)).toEqual(observedGradient(s, 1, 1, 5, 0));
    expect(observedGradient(s, 1, 1, 5, 0)).not.toEqual(observedGradient(s, 1, 1, 6, 0));
    expect(observedGradient(s, 1, 1, 5, 0)).not.toEqual(s.grad(1, 1));
  });
});
