// The race against torch.optim (fixture by scripts/golden/make_race_fixture.py with torch 1.13): every surface,
// every contestant at the race's default settings, plus non-default hyperparameters, 50 steps each, step for step.
import { describe, expect, it } from 'vitest';
import type { OptimizerSpec } from '../spec/types';
import fixture from './fixtures/torch-race.json';
import { RaceOptimizer, runRace } from './race';
import { RACERS } from './racers';
import { SURFACES, surfaceById } from './surfaces';

interface Case {
  surface: string;
  racer: string;
  optimizer: OptimizerSpec;
  start: [number, number];
  path: [number, number][];
}

const TOL = 1e-4;
/** Error of a against torch's b, relative to |b| with a floor of 1 (the surfaces' own unit: coordinates crossing
 * zero are compared absolutely). Float32 rounding differs by an ulp per step (the engine rounds float64 math once,
 * torch rounds each float32 op); steep transients amplify that to ~2e-5 (Rosenbrock, Nesterov); a wrong formula
 * is off by far more within 50 steps. */
const err = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1);

describe('optimizer race vs torch.optim', () => {
  const cases = fixture.cases as Case[];

  it('covers every surface and every contestant', () => {
    for (const s of SURFACES)
      for (const r of RACERS) expect(cases.some((c) => c.surface === s.id && c.racer === r.id)).toBe(true);
  });

  it('follows torch step for step (positions within 1e-4)', () => {
    let worst = 0;
    let where = '';
    for (const c of cases) {
      const surface = surfaceById(c.surface);
      if (!surface) throw new Error(`unknown surface ${c.surface}`);
      const steps = c.path.length - 1;
      const out = runRace({
        surface,
        start: c.start,
        steps,
        seed: fixture.seed,
        entries: [{ id: c.racer, optimizer: c.optimizer }],
      });
      if (!out.ok) throw new Error(out.errors.map((e) => e.message).join('; '));
      const t = out.value.traces[0];
      expect(t.diverged).toBeNull();
      // The reference really moves, so a race that stood still could not pass.
      const [x0, y0] = c.path[0];
      const [xn, yn] = c.path[steps];
      expect(Math.hypot(xn - x0, yn - y0)).toBeGreaterThan(1e-3);
      for (let i = 0; i <= steps; i++) {
        const e = Math.max(err(t.x[i], c.path[i][0]), err(t.y[i], c.path[i][1]));
        if (e > worst) {
          worst = e;
          where = `${c.surface}/${c.racer} step ${i}`;
        }
      }
    }
    console.log(`race vs torch: worst relative error ${worst.toExponential(2)} (${where})`);
    expect(worst).toBeLessThan(TOL);
  });
});

describe('runRace', () => {
  const rosen = SURFACES[0];
  it('reports divergence instead of throwing', () => {
    const out = runRace({
      surface: rosen,
      start: [-1.5, 2.5],
      steps: 100,
      entries: [{ id: 'sgd', optimizer: { type: 'sgd', lr: 0.1 } }],
    });
    if (!out.ok) throw new Error('expected a run');
    const t = out.value.traces[0];
    expect(t.diverged).not.toBeNull();
    expect(t.x.length).toBe(t.steps + 1);
    expect(Array.from(t.x).every(Number.isFinite)).toBe(true);
  });

  it('gives clear messages for bad settings', () => {
    const out = runRace({
      surface: rosen,
      start: [0, 0],
      steps: 0,
      entries: [{ id: 'adam', optimizer: { type: 'adam', lr: -1 } }],
    });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    const text = out.errors.map((e) => e.message).join('\n');
    expect(text).toMatch(/steps must be/);
    expect(text).toMatch(/adam: optimizer\.lr/);
  });

  it('counts the steps to within 1e-3 of an optimum', () => {
    const h = surfaceById('himmelblau');
    if (!h) throw new Error('no himmelblau');
    const out = runRace({
      surface: h,
      start: h.start,
      steps: 300,
      entries: [{ id: 'sgd', optimizer: { type: 'sgd', lr: 0.005 } }],
    });
    if (!out.ok) throw new Error('expected a run');
    const t = out.value.traces[0];
    const k = t.stepsToWithin;
    expect(k).not.toBeNull();
    expect(t.distance[k as number]).toBeLessThan(1e-3);
    expect(t.distance[(k as number) - 1]).toBeGreaterThanOrEqual(1e-3);
  });

  it('keeps each optimizer state separate', () => {
    const a = RaceOptimizer.create({ type: 'adam', lr: 0.1 }, [1, 1]);
    const b = RaceOptimizer.create({ type: 'adam', lr: 0.1 }, [1, 1]);
    if (Array.isArray(a) || Array.isArray(b)) throw new Error('expected optimizers');
    a.step(1, 1);
    a.step(1, 1);
    b.step(1, 1);
    expect(a.x).toBeLessThan(b.x);
  });
});
