// The range test as the app runs it, over a real CPU session: the sweep spec trains with the exponential rates
// step by step (the engine's own per-step lr), and a run whose loss explodes stops early, before its last step.
import { afterEach, describe, expect, it } from 'vitest';
import type { NormalizedSpec } from '../spec/types';
import { validateSpec } from '../spec/validate';
import { analyseRange, rangeLr, rangeTestSpec } from './rangeTest';
import { type Harness, harness, mlpSpec } from './testing';

let open: Harness[] = [];
afterEach(async () => {
  for (const h of open) await h.session.dispose();
  open = [];
});

function sweep(optimizer: string, opts: { startLr: number; endLr: number; steps: number }): NormalizedSpec {
  const base = validateSpec(mlpSpec({ optimizer, lr: 0.1 }));
  if (!base.ok) throw new Error(base.errors.map((e) => e.message).join('; '));
  const out = rangeTestSpec(base.value, opts);
  if (!out.ok) throw new Error(out.errors.map((e) => e.message).join('; '));
  return out.value;
}

describe('range test on a live session', () => {
  it('trains each step at the sweep rate, from startLr to endLr', async () => {
    const h = harness();
    open.push(h);
    const opts = { startLr: 1e-5, endLr: 1e-1, steps: 60 };
    await h.session.compile(sweep('adam', opts), 'cpu');
    const { step } = await h.session.stepN(opts.steps);
    expect(step).toBe(opts.steps);
    const s = h.series();
    expect(s.step).toEqual(Array.from({ length: opts.steps }, (_, i) => i));
    for (let t = 0; t < opts.steps; t++) expect(s.lr[t] / Math.fround(rangeLr(opts, t))).toBeCloseTo(1, 6);
    expect(analyseRange(s.lr, s.loss).explodedAt).toBeNull();
  });

  it('stops once the smoothed loss explodes, before the sweep ends', async () => {
    const h = harness();
    open.push(h);
    const opts = { startLr: 1e-4, endLr: 100, steps: 1000 };
    await h.session.compile(sweep('sgd', opts), 'cpu');
    // As the Lab does (src/features/lab/rangeTest.ts): in chunks, stopping once the smoothed loss has exploded.
    let step = 0;
    while (step < opts.steps && analyseRange(h.series().lr, h.series().loss).explodedAt === null)
      ({ step } = await h.session.stepN(Math.min(16, opts.steps - step)));
    expect(step).toBeLessThan(opts.steps);
    const s = h.series();
    const a = analyseRange(s.lr, s.loss);
    expect(a.explodedAt).not.toBeNull();
    expect(a.suggestion?.lr ?? 0).toBeLessThan(s.lr[a.explodedAt as number]);
  });
});
