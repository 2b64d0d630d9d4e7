import { describe, expect, it } from 'vitest';
import { isStepComplete, pathwayStanding } from './progressRules';
import { EMPTY_PROGRESS, type ProgressData } from './progressSchema';

const steps = [{ concept: 'adam' }, { concept: 'learning-rate' }, { concept: 'batch-normalization' }];
const at = '2026-01-01T00:00:00.000Z';

describe('step completion rule', () => {
  it('a step is complete when its page was read or it was marked done', () => {
    const p: ProgressData = {
      ...EMPTY_PROGRESS,
      concepts: { adam: { readAt: at } },
      pathways: { cp: { currentStep: 0, completed: { 2: { how: 'manual', at } } } },
    };
    expect(isStepComplete(p, 'cp', 0, steps[0])).toBe(true);
    expect(isStepComplete(p, 'cp', 1, steps[1])).toBe(false);
    expect(isStepComplete(p, 'cp', 2, steps[2])).toBe(true);
  });

  it('resumes at the current step, or the next incomplete one once it is done', () => {
    const fresh = pathwayStanding(EMPTY_PROGRESS, 'cp', steps);
    expect(fresh).toMatchObject({ done: 0, total: 3, resume: 0, started: false, finished: false });
    const p: ProgressData = {
      ...EMPTY_PROGRESS,
      pathways: { cp: { currentStep: 1, completed: { 0: { how: 'read', at }, 1: { how: 'manual', at } } } },
    };
    expect(pathwayStanding(p, 'cp', steps)).toMatchObject({ done: 2, resume: 2, started: true });
    const all: ProgressData = {
      ...EMPTY_PROGRESS,
      concepts: { adam: { doneAt: at }, 'learning-rate': { readAt: at }, 'batch-normalization': { readAt: at } },
    };
    expect(pathwayStanding(all, 'cp', steps)).toMatchObject({ finished: true, resume: 0 });
  });
});
