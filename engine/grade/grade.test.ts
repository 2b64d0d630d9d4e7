import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index';
import type { ExperimentSpec, NormalizedSpec } from '../spec/types';
import { validateSpec } from '../spec/validate';
import { constraintViolations } from './constraints';
import { gradeHeadless, precheck, trainLossOf } from './grade';
import { judge } from './judge';
import type { Goal } from './types';

const base: ExperimentSpec = {
  data: { kind: 'moons', points: 200, noise: 0.1, valFraction: 0.25, seed: 1 },
  model: { input: [2], layers: [{ type: 'dense', units: 16 }, { type: 'relu' }, { type: 'dense', units: 2 }] },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  training: { batchSize: 16, seed: 1 },
};
const norm = (s: unknown): NormalizedSpec => {
  const c = validateSpec(s);
  if (!c.ok) throw new Error(c.errors.map((e) => e.message).join('; '));
  return c.value;
};
const edit = (f: (s: ExperimentSpec) => void): ExperimentSpec => {
  const s = structuredClone(base);
  f(s);
  return s;
};
const goal: Goal = { metric: 'val_accuracy', op: '>=', value: 0.85, steps: 300 };
const start = norm(base);

describe('constraintViolations', () => {
  it('accepts changes to free sections and defaults written out', () => {
    const s = edit((x) => {
      x.optimizer = { type: 'adam', lr: 0.02, betas: [0.9, 0.999] };
      x.training.steps = 5000;
    });
    expect(constraintViolations(start, norm(s), { fixed: ['data', 'model', 'training'] })).toEqual([]);
    const same = edit((x) => {
      x.optimizer = { type: 'adam', lr: 0.01, betas: [0.9, 0.999], weightDecay: 0 };
    });
    expect(constraintViolations(start, norm(same), { fixed: ['optimizer'] })).toEqual([]);
  });

  it('names each changed fixed section with what changed', () => {
    const s = edit((x) => {
      (x.data as { noise: number }).noise = 0;
      x.model.layers.splice(1, 0, { type: 'batchnorm' });
    });
    const v = constraintViolations(start, norm(s), { fixed: ['data', 'model'] });
    expect(v).toEqual([
      'The data section must stay as it was: noise was 0.1, now 0.',
      'The model section must stay as it was: the number of layers was 3, now 4.',
    ]);
  });

  it('never lets the training seed change', () => {
    const s = edit((x) => {
      x.training.seed = 7;
    });
    expect(constraintViolations(start, norm(s), { fixed: [] })).toEqual([
      'The training seed must stay 1 (it is now 7): every attempt is graded with the same seed.',
    ]);
    expect(constraintViolations(start, norm(s), { fixed: ['training'] })[0]).toMatch(/^The training section.*seed/);
  });
});

describe('judge', () => {
  const m = { valAccuracy: 0.934, valLoss: 0.2, trainLoss: 0.18 };
  it('words a pass and a fail', () => {
    expect(judge({ ...goal, value: 0.9, steps: 2000 }, m)).toEqual({
      pass: true,
      metric: 0.934,
      message: 'Validation accuracy 0.934 ≥ 0.90 after 2,000 steps: solved.',
    });
    const f = judge({ metric: 'val_loss', op: '<=', value: 0.15, steps: 500 }, m);
    expect(f).toEqual({
      pass: false,
      metric: 0.2,
      message: 'Validation loss 0.200 is above the goal of 0.15 after 500 steps: not solved yet.',
    });
    expect(judge({ metric: 'train_loss', op: '<=', value: 0.2, steps: 10 }, m).pass).toBe(true);
  });
  it('fails a diverged run and an unmeasurable metric', () => {
    const nan = judge(goal, { valAccuracy: 0.5, valLoss: Number.NaN, trainLoss: Number.NaN });
    expect(nan.pass).toBe(false);
    expect(nan.message).toMatch(/NaN or infinite/);
    const none = judge(goal, { valAccuracy: null, valLoss: 0.1, trainLoss: 0.1 });
    expect(none).toMatchObject({ pass: false, metric: null });
  });
  it('train_loss is the mean of the last 50 losses', () => {
    expect(trainLossOf([...Array(100).fill(9), ...Array(50).fill(1)])).toBe(1);
    expect(trainLossOf([])).toBeNull();
  });
});

describe('gradeHeadless (CPU)', () => {
  it('passes a good spec and fails a diverging one', async () => {
    const ok = await gradeHeadless(start, base, goal, { fixed: ['data'] }, cpuBackend);
    expect(ok).toMatchObject({ pass: true, goal, violations: [], steps: 300 });
    expect(ok.metric).toBeGreaterThanOrEqual(0.85);
    expect(ok.message).toMatch(/^Validation accuracy 0\.\d{3} ≥ 0\.85 after 300 steps: solved\.$/);
    const bad = {
      ...base,
      data: { kind: 'plane', points: 200, noise: 0.1, valFraction: 0.25, seed: 1 },
      model: { input: [2], layers: [{ type: 'dense', units: 16 }, { type: 'relu' }, { type: 'dense', units: 1 }] },
      loss: { type: 'mse' },
      optimizer: { type: 'sgd', lr: 10 },
    };
    const lossGoal: Goal = { metric: 'train_loss', op: '<=', value: 0.1, steps: 1000 };
    const r = await gradeHeadless(norm(bad), bad, lossGoal, { fixed: ['data'] }, cpuBackend);
    expect(r).toMatchObject({ pass: false, metric: null, violations: [], steps: 250 });
    expect(r.message).toMatch(/diverged/);
  });

  it('never throws: invalid specs and broken constraints come back as results', async () => {
    const r = await gradeHeadless(start, { model: 3 }, goal, { fixed: [] }, cpuBackend);
    expect(r).toMatchObject({ pass: false, metric: null, steps: 0 });
    expect(r.violations.length).toBeGreaterThan(0);
    expect(r.message).toMatch(/^The experiment is not valid: /);
    const moved = edit((x) => {
      (x.data as { seed: number }).seed = 2;
    });
    const v = await gradeHeadless(start, moved, goal, { fixed: ['data'] }, cpuBackend);
    expect(v).toMatchObject({ pass: false, metric: null, steps: 0 });
    expect(v.message).toBe('The data section must stay as it was: seed was 1, now 2.');
    const big = edit((x) => {
      x.training.batchSize = 1000;
    });
    const e = await gradeHeadless(start, big, goal, { fixed: [] }, cpuBackend);
    expect(e.message).toBe(
      'The experiment is not valid: training.batchSize must be at most the 150 training points of the data.',
    );
    expect(precheck(start, base, goal, { fixed: ['data'] }).ok).toBe(true);
  });
});
