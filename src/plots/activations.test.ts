import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, erf } from './activations';

describe('activation functions', () => {
  it('erf is accurate', () => {
    expect(erf(0)).toBeCloseTo(0, 6);
    expect(erf(1)).toBeCloseTo(0.8427007929, 6);
    expect(erf(-2)).toBeCloseTo(-0.995322265, 6);
  });

  it('every derivative matches a finite difference of its function', () => {
    const h = 1e-4;
    for (const a of ACTIVATIONS) {
      for (const x of [-3, -1.3, -0.4, 0.37, 1.1, 2.9]) {
        const numeric = (a.f(x + h) - a.f(x - h)) / (2 * h);
        expect(a.df(x), `${a.id} at ${x}`).toBeCloseTo(numeric, 4);
      }
    }
  });
});
