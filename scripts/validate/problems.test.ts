import { describe, expect, it } from 'vitest';
import type { ExperimentSpec } from '../../engine/spec/types';
import { checkProblem } from './problems';

const spec: ExperimentSpec = {
  data: { kind: 'moons', points: 200, noise: 0.1, seed: 1 },
  model: { input: [2], layers: [{ type: 'dense', units: 8 }, { type: 'relu' }, { type: 'dense', units: 2 }] },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'sgd', lr: 5 },
  training: { batchSize: 16, seed: 1 },
};
const fixedSolution = { ...spec, optimizer: { type: 'sgd', lr: 0.1 } };
const concepts = new Set(['learning-rate']);
const presets = new Map<string, ExperimentSpec>([['lr-too-high', spec]]);

function file(fields: Record<string, unknown>, body = 'Statement.\n\n## Solution\n\nWhy.\n', id = 'p'): string {
  const fm = {
    id,
    title: 'T',
    type: 'debug',
    concepts: ['learning-rate'],
    summary: 'S',
    hints: ['h1', 'h2'],
    ...fields,
  };
  const yaml = Object.entries(fm)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `---\n${yaml}\n---\n${body}`;
}
const good = {
  start: 'lr-too-high',
  goal: { metric: 'val_accuracy', op: '>=', value: 0.9, steps: 1000 },
  constraints: { fixed: ['data', 'model'] },
  solution: fixedSolution,
};
const check = (source: string, name = 'p.md') => {
  const out: string[] = [];
  checkProblem({ file: name, source }, concepts, presets, (m) => out.push(m));
  return out;
};

describe('problem rules', () => {
  it('accepts a well-formed problem and a challenge', () => {
    expect(check(file(good))).toEqual([]);
    expect(check(file({ ...good, start: undefined, startSpec: spec }))).toEqual([]);
    expect(check(file({ type: 'challenge', start: 'lr-too-high', rubric: ['a', 'b'] }))).toEqual([]);
  });

  it('checks the id, type, concepts, hints and body', () => {
    expect(check(file(good), 'q.md')).toContain('id "p" differs from the file name "q"');
    expect(check(file({ ...good, type: 'quiz' }))[0]).toMatch(/^type must be one of/);
    expect(check(file({ ...good, concepts: ['nope'] }))).toContain('concept "nope" has no content/concepts/nope.md');
    expect(check(file({ ...good, hints: [] }))[0]).toMatch(/^hints/);
    expect(check(file(good, 'Only a statement.\n'))[0]).toMatch(/## Solution/);
    expect(check(file(good, 'Bad $\\frac{1$ math.\n\n## Solution\n\nx\n'))[0]).toMatch(/does not render/);
  });

  it('checks the start experiment', () => {
    expect(check(file({ ...good, start: 'missing' }))).toContain('start "missing" has no content/presets/missing.json');
    expect(check(file({ ...good, start: undefined }))).toContain(
      'needs start (a preset id) or startSpec (an ExperimentSpec)',
    );
    expect(check(file({ ...good, start: undefined, startSpec: { ...spec, loss: { type: 'nope' } } }))[0]).toMatch(
      /^startSpec: loss/,
    );
  });

  it('checks the goal, constraints and solution', () => {
    expect(check(file({ ...good, goal: undefined }))).toContain('needs a goal { metric, op, value, steps }');
    const g = check(file({ ...good, goal: { metric: 'accuracy', op: '>', value: 2, steps: 0 } }));
    expect(g).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^goal.metric/),
        expect.stringMatching(/^goal.op/),
        expect.stringMatching(/^goal.steps/),
      ]),
    );
    expect(check(file({ ...good, constraints: { fixed: ['weights'] } }))[0]).toMatch(/names "weights"/);
    expect(check(file({ ...good, solution: undefined }))[0]).toMatch(/reference solution/);
    expect(check(file({ ...good, solution: { ...fixedSolution, training: { batchSize: 0 } } }))[0]).toMatch(
      /^solution: training.batchSize/,
    );
    expect(check(file({ ...good, constraints: { fixed: ['optimizer'] } }))[0]).toMatch(
      /^solution breaks a constraint: The optimizer section must stay as it was: lr was 5, now 0.1/,
    );
    expect(check(file({ ...good, solution: spec }))).toContain('the solution is the unchanged start experiment');
  });

  it('a challenge has a rubric and no goal or solution; others have no rubric', () => {
    const c = check(file({ ...good, type: 'challenge' }));
    expect(c).toEqual(
      expect.arrayContaining([
        'a challenge needs a rubric of at least 2 points',
        'a challenge has no goal (it is judged by its rubric)',
        'a challenge has no solution (it is judged by its rubric)',
      ]),
    );
    expect(check(file({ ...good, rubric: ['a', 'b'] }))).toContain('only challenge problems have a rubric');
  });
});
