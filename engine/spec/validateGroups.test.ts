// Validation of parameter groups, update steps and evaluation entries: defaults filled (group optimizer/schedule
// from the top level, one whole-model step per group), the problems named by path, and a spec without groups
// normalized exactly as before (no groups/steps keys at all).

import { describe, expect, it } from 'vitest';
import type { SpecError } from './types';
import { validateSpec } from './validate';

const BASE = {
  model: { input: [2], layers: [{ type: 'dense', units: 4 }, { type: 'tanh' }, { type: 'dense', units: 1 }] },
  loss: { type: 'mse' },
  optimizer: { type: 'sgd', lr: 0.1 },
  training: { batchSize: 4 },
};

const errors = (extra: Record<string, unknown>): SpecError[] => {
  const r = validateSpec({ ...BASE, ...extra });
  return r.ok ? [] : r.errors;
};

describe('parameter groups in the spec', () => {
  it('leaves a spec without groups exactly as it was', () => {
    const r = validateSpec(BASE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.value).sort()).toEqual(
      ['data', 'loss', 'model', 'optimizer', 'regularization', 'schedule', 'training'].sort(),
    );
  });

  it('fills each group from the top level and makes one whole-model step per group by default', () => {
    const r = validateSpec({
      ...BASE,
      groups: [
        { name: 'a', layers: [0] },
        { name: 'b', layers: [2], optimizer: { type: 'adam' }, schedule: { type: 'step', stepSize: 5 } },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.groups?.[0]).toEqual({
      name: 'a',
      layers: [0],
      optimizer: r.value.optimizer,
      schedule: { type: 'constant', warmupSteps: 0 },
    });
    expect(r.value.groups?.[1].optimizer).toMatchObject({ type: 'adam', lr: 0.001, betas: [0.9, 0.999] });
    expect(r.value.groups?.[1].schedule).toEqual({ type: 'step', stepSize: 5, gamma: 0.1, warmupSteps: 0 });
    expect(r.value.steps).toEqual([
      { name: 'a', group: 'a', from: 0, to: 3, loss: { type: 'mse' }, batchSize: 4 },
      { name: 'b', group: 'b', from: 0, to: 3, loss: { type: 'mse' }, batchSize: 4 },
    ]);
  });

  it('names the problems by path', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ steps: [{ name: 's', group: 'a' }] }, 'steps'],
      [
        {
          groups: [
            { name: 'a', layers: [0] },
            { name: 'a', layers: [2] },
          ],
        },
        'groups[1].name',
      ],
      [
        {
          groups: [
            { name: 'a', layers: [0, 2] },
            { name: 'b', layers: [2] },
          ],
        },
        'groups[1].layers[0]',
      ],
      [{ groups: [{ name: 'a', layers: [3] }] }, 'groups[0].layers[0]'],
      [{ groups: [{ name: 'a', layers: [0], optimizer: { type: 'sgd' } }] }, 'groups[0].optimizer.lr'],
      [{ groups: [{ name: 'a', layers: [0], schedule: { type: 'plateau' } }] }, 'groups[0].schedule'],
      [{ groups: [{ name: 'a', layers: [0] }], steps: [{ name: 's', group: 'x' }] }, 'steps[0].group'],
      [{ groups: [{ name: 'a', layers: [0] }], steps: [{ name: 's', group: 'a', from: 1 }] }, 'steps[0].group'],
      [{ groups: [{ name: 'a', layers: [2] }], steps: [{ name: 's', group: 'a', from: 2, to: 2 }] }, 'steps[0].to'],
      [
        { groups: [{ name: 'a', layers: [0] }], steps: [{ name: 's', group: 'a', loss: { type: 'x' } }] },
        'steps[0].loss.type',
      ],
      [{ evaluations: [{ name: 'g', from: 5 }] }, 'evaluations[0].from'],
    ];
    for (const [extra, path] of cases) {
      const errs = errors(extra);
      expect(
        errs.map((e) => e.path),
        JSON.stringify(extra),
      ).toContain(path);
    }
  });
});
