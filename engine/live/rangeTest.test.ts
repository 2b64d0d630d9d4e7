import { describe, expect, it } from 'vitest';
import { learningRate } from '../optim/schedules';
import { validateSpec } from '../spec/validate';
import { analyseRange, RANGE_TEST_DEFAULTS, rangeLr, rangeTestSpec, roundRate } from './rangeTest';

const base = validateSpec({
  data: { kind: 'spiral', points: 200 },
  model: { input: [2], layers: [{ type: 'dense', units: 8 }, { type: 'relu' }, { type: 'dense', units: 2 }] },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  schedule: { type: 'cosine', totalSteps: 500 },
  training: { batchSize: 16 },
});

describe('rangeTestSpec', () => {
  if (!base.ok) throw new Error(base.errors.map((e) => e.message).join('; '));
  it('sweeps from startLr at step 0 to endLr at the last step through the exponential schedule', () => {
    const opts = { startLr: 1e-6, endLr: 10, steps: 120 };
    const out = rangeTestSpec(base.value, opts);
    if (!out.ok) throw new Error('expected a spec');
    const again = validateSpec(out.value);
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    const s = again.value;
    expect(s.training.steps).toBe(120);
    const lr = (t: number) => learningRate(s.schedule, s.optimizer.lr, t);
    expect(lr(0)).toBeCloseTo(1e-6, 15);
    expect(lr(119) / 10).toBeCloseTo(1, 12);
    for (const t of [0, 7, 60, 119]) expect(lr(t) / rangeLr(opts, t)).toBeCloseTo(1, 12);
    // The model, loss and optimizer family are the experiment's own.
    expect(s.optimizer.type).toBe('adam');
    expect(s.model).toEqual(base.value.model);
  });

  it('rejects bad ranges with messages', () => {
    const out = rangeTestSpec(base.value, { startLr: 1, endLr: 0.1, steps: 5 });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    const text = out.errors.map((e) => e.message).join('\n');
    expect(text).toMatch(/endLr must be greater than startLr/);
    expect(text).toMatch(/steps must be a whole number/);
    expect(rangeTestSpec(base.value, { ...RANGE_TEST_DEFAULTS, startLr: Number.NaN }).ok).toBe(false);
  });
});

describe('analyseRange', () => {
  // A synthetic sweep: loss flat, then falling fastest around lr = 1e-2, then exploding past 1.
  const opts = { startLr: 1e-5, endLr: 10, steps: 121 };
  const lrs = Array.from({ length: opts.steps }, (_, t) => rangeLr(opts, t));
  const lossAt = (lr: number) => {
    const x = Math.log10(lr);
    return 2 - 1.5 / (1 + Math.exp(-3 * (x + 2))) + (x > 0 ? 50 * x * x : 0);
  };
  const losses = lrs.map(lossAt);

  it('smooths with a bias-corrected moving average', () => {
    const a = analyseRange([1, 1, 1], [3, 3, 3]);
    expect(Array.from(a.smoothed)).toEqual([3, 3, 3].map((v) => expect.closeTo(v, 12)));
    const b = analyseRange([1, 2], [1, 2], 0.5);
    expect(b.smoothed[1]).toBeCloseTo((0.5 * 0.5 * 1 + 0.5 * 2) / 0.75, 12);
  });

  it('stops at the explosion and suggests the steepest descent', () => {
    const a = analyseRange(lrs, losses);
    expect(a.explodedAt).not.toBeNull();
    expect(lrs[a.explodedAt as number]).toBeGreaterThan(1);
    expect(a.usable).toBe(a.explodedAt);
    expect(a.suggestion).not.toBeNull();
    const s = a.suggestion as NonNullable<typeof a.suggestion>;
    // The true steepest point is 1e-2; the moving average lags it by a few steps of the sweep (< 2x in lr here).
    expect(s.lr).toBeGreaterThan(1e-2);
    expect(s.lr).toBeLessThan(2.5e-2);
    expect(a.best?.lr).toBeLessThan(lrs[a.explodedAt as number]);
  });

  it('treats a non-finite loss as an explosion and a rising curve as no suggestion', () => {
    expect(analyseRange([1, 2, 3], [1, Number.NaN, 1]).explodedAt).toBe(1);
    const up = analyseRange(
      lrs.slice(0, 40),
      lrs.slice(0, 40).map((lr) => 1 + lr),
    );
    expect(up.suggestion).toBeNull();
  });

  it('rounds to one significant digit', () => {
    expect(roundRate(0.00287)).toBe(0.003);
    expect(roundRate(0.0149)).toBe(0.01);
  });
});
