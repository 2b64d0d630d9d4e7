// Every graded practice problem (content/problems/*.md, all but the challenges) is graded headlessly through
// engine/grade on the CPU: the reference solution must pass and keep the constraints, and the unchanged start
// experiment must fail. The measured metrics are printed (they are the numbers the statements quote).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../engine/backends/cpu/index';
import { constraintViolations } from '../engine/grade/constraints';
import { gradeHeadless } from '../engine/grade/grade';
import type { Constraints, Goal } from '../engine/grade/types';
import type { ExperimentSpec, NormalizedSpec } from '../engine/spec/types';
import { validateSpec } from '../engine/spec/validate';
import { splitFrontMatter } from '../src/state/curriculumParse';
import { readPreset } from './presetRun';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../content/problems');

interface Graded {
  id: string;
  start: ExperimentSpec;
  goal: Goal;
  constraints: Constraints;
  solution: ExperimentSpec;
}

const problems: Graded[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => splitFrontMatter(readFileSync(join(DIR, f), 'utf8')).data)
  .filter((d) => d.type !== 'challenge')
  .map((d) => ({
    id: d.id as string,
    start: typeof d.start === 'string' ? readPreset(d.start).spec : (d.startSpec as ExperimentSpec),
    goal: d.goal as Goal,
    constraints: d.constraints as Constraints,
    solution: d.solution as ExperimentSpec,
  }));

const norm = (s: unknown): NormalizedSpec => {
  const c = validateSpec(s);
  if (!c.ok) throw new Error(c.errors.map((e) => e.message).join('; '));
  return c.value;
};

describe('practice problems (CPU): the solution passes, the start fails', () => {
  it('has at least 16 graded problems', () => expect(problems.length).toBeGreaterThanOrEqual(16));

  for (const p of problems) {
    it(p.id, async () => {
      const start = norm(p.start);
      expect(constraintViolations(start, norm(p.solution), p.constraints)).toEqual([]);
      const t0 = performance.now();
      const sol = await gradeHeadless(start, p.solution, p.goal, p.constraints, cpuBackend);
      const t1 = performance.now();
      const before = await gradeHeadless(start, p.start, p.goal, p.constraints, cpuBackend);
      const t2 = performance.now();
      const f = (m: number | null) => (m === null ? 'null' : m.toFixed(3));
      console.log(
        `${p.id}: start ${f(before.metric)} (${((t2 - t1) / 1000).toFixed(2)} s), solution ${f(sol.metric)} (${((t1 - t0) / 1000).toFixed(2)} s), goal ${p.goal.metric} ${p.goal.op} ${p.goal.value} / ${p.goal.steps}`,
      );
      expect(sol.message).toMatch(/: solved\.$/);
      expect(sol.pass).toBe(true);
      expect(before.pass).toBe(false);
      expect(before.violations).toEqual([]);
    });
  }

  it('GradeResult fields of a passing and a failing run of one problem', async () => {
    const p = problems.find((x) => x.id === 'fix-nan-lr') as Graded;
    const start = norm(p.start);
    const ok = await gradeHeadless(start, p.solution, p.goal, p.constraints, cpuBackend);
    expect(ok).toMatchObject({ pass: true, goal: p.goal, violations: [], steps: p.goal.steps });
    expect(ok.metric).toBeGreaterThanOrEqual(p.goal.value);
    expect(ok.message).toBe(
      `Validation accuracy ${(ok.metric as number).toFixed(3)} ≥ 0.95 after 1,000 steps: solved.`,
    );
    const bad = await gradeHeadless(start, p.start, p.goal, p.constraints, cpuBackend);
    expect(bad).toMatchObject({ pass: false, goal: p.goal, violations: [] });
    expect(bad.metric === null || bad.metric < p.goal.value).toBe(true);
    expect(bad.message).toMatch(
      /^(Validation accuracy 0\.\d{3} is below the goal of 0\.95 after 1,000 steps|The loss became NaN)/,
    );
    // Changing a fixed section is a violation, not a run.
    const cheat = structuredClone(p.solution);
    (cheat.data as { noise: number }).noise = 0;
    const v = await gradeHeadless(start, cheat, p.goal, p.constraints, cpuBackend);
    expect(v).toMatchObject({ pass: false, metric: null, steps: 0 });
    expect(v.violations).toEqual(['The data section must stay as it was: noise was 0.1, now 0.']);
  });
});
