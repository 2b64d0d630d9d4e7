// Schedules as pure functions of the step (the golden fixtures check each against torch's own schedulers; these
// pin the shapes at the edges: warm-up, holding after T, restarts, one-cycle ends, plateau reductions).

import { describe, expect, it } from 'vitest';
import type { NormalizedSpec } from '../spec/types';
import { learningRate, plateauStart, plateauStep, scheduledMomentum } from './schedules';

type S = NormalizedSpec['schedule'];
const lr = (s: S, t: number) => learningRate(s, 0.1, t);

describe('schedules', () => {
  it('warm-up ramps (t+1)/w then hands over at t = w', () => {
    const s: S = { type: 'constant', warmupSteps: 4 };
    const want = [0.025, 0.05, 0.075, 0.1, 0.1, 0.1];
    for (const [i, t] of [0, 1, 2, 3, 4, 10].entries()) expect(lr(s, t)).toBeCloseTo(want[i], 15);
  });
  it('step and exponential decay on t - w', () => {
    expect(lr({ type: 'step', warmupSteps: 0, stepSize: 3, gamma: 0.5 }, 5)).toBeCloseTo(0.05, 12);
    expect(lr({ type: 'step', warmupSteps: 0, stepSize: 3, gamma: 0.5 }, 6)).toBeCloseTo(0.025, 12);
    expect(lr({ type: 'exponential', warmupSteps: 2, gamma: 0.9 }, 4)).toBeCloseTo(0.1 * 0.81, 12);
  });
  it('cosine reaches minLr at T and holds there', () => {
    const s: S = { type: 'cosine', warmupSteps: 10, totalSteps: 110, minLr: 0.01 };
    expect(lr(s, 10)).toBeCloseTo(0.1, 12);
    expect(lr(s, 60)).toBeCloseTo(0.055, 12);
    expect(lr(s, 110)).toBe(0.01);
    expect(lr(s, 500)).toBe(0.01);
  });
  it('cosine restarts at t0, t0(1+m), ...', () => {
    const s: S = { type: 'cosine_restarts', warmupSteps: 0, t0: 4, tMult: 2, minLr: 0 };
    expect(lr(s, 0)).toBeCloseTo(0.1, 12);
    expect(lr(s, 4)).toBeCloseTo(0.1, 12);
    expect(lr(s, 12)).toBeCloseTo(0.1, 12);
    expect(lr(s, 8)).toBeCloseTo(0.05, 12);
  });
  it('one-cycle starts at maxLr/div, peaks at pctStart, ends at initial/finalDiv', () => {
    const s: S = {
      type: 'onecycle',
      warmupSteps: 0,
      maxLr: 1,
      totalSteps: 101,
      pctStart: 0.3,
      divFactor: 25,
      finalDivFactor: 1e4,
      cycleMomentum: true,
      baseMomentum: 0.85,
      maxMomentum: 0.95,
    };
    expect(lr(s, 0)).toBeCloseTo(0.04, 12);
    expect(Math.max(...Array.from({ length: 101 }, (_, t) => lr(s, t)))).toBeCloseTo(1, 3);
    expect(lr(s, 100)).toBeCloseTo(0.04 / 1e4, 12);
    expect(scheduledMomentum(s, 0)).toBeCloseTo(0.95, 12);
    expect(scheduledMomentum(s, 29)).toBeCloseTo(0.85, 3);
    expect(scheduledMomentum(s, 100)).toBeCloseTo(0.95, 12);
    expect(scheduledMomentum({ ...s, cycleMomentum: false }, 10)).toBeNull();
    expect(scheduledMomentum({ type: 'constant', warmupSteps: 0 }, 10)).toBeNull();
  });
  it('plateau reduces after `patience` bad epochs, never below minLr', () => {
    const s = { type: 'plateau', warmupSteps: 0, factor: 0.5, patience: 1, minLr: 0.03, threshold: 1e-4 } as const;
    let st = plateauStart(0.1);
    for (const loss of [1, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95]) st = plateauStep(s, st, loss);
    expect(st.lr).toBe(0.03);
    expect(learningRate(s, 0.1, 100, st)).toBe(0.03);
  });
});
