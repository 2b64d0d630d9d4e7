// Grading a practice-problem attempt headlessly: validate the learner's spec, check it against the start spec's frozen
// sections, train goal.steps steps from the spec's own seed, evaluate, judge. Runs wherever the engine runs (Node
// tests with the CPU backend; a worker could call it too): no DOM, no Node APIs. Never throws: an invalid spec, a
// broken rule or an engine error comes back as a failed GradeResult whose message says why.

import type { BackendFactory, Runtime } from '../backends/backend';
import { createRuntime } from '../backends/runtime';
import { type DataSources, loadDataset } from '../data/load';
import { compile } from '../graph/compile';
import { initialState } from '../graph/init';
import type { NormalizedSpec } from '../spec/types';
import { validateSpec } from '../spec/validate';
import { constraintViolations } from './constraints';
import { judge } from './judge';
import type { Constraints, Goal, GradeResult, Measured } from './types';

/** train_loss is the mean of the last TRAIN_LOSS_WINDOW per-step training losses (one batch's loss is noisy). */
export const TRAIN_LOSS_WINDOW = 50;
/** Steps trained between checks for a non-finite loss (a diverged run stops at the next check). */
const CHUNK = 250;

/** Mean of the last TRAIN_LOSS_WINDOW losses (NaN if any of them is not finite; null for none). */
export function trainLossOf(losses: number[]): number | null {
  const tail = losses.slice(-TRAIN_LOSS_WINDOW);
  if (tail.length === 0) return null;
  return tail.reduce((s, x) => s + x, 0) / tail.length;
}

const noMnist: DataSources = {
  mnist: async () => {
    throw new Error('MNIST needs a data source; practice problems use the 2-D datasets');
  },
};

const fail = (goal: Goal, violations: string[], message: string, steps = 0): GradeResult => ({
  pass: false,
  metric: null,
  goal,
  violations,
  steps,
  message,
});

/** The checks before training: a valid spec with data that keeps the constraints. Either the normalized spec to
 * train, or the failed result to show (the Lab's problem mode can call this before starting its own run). */
export function precheck(
  start: NormalizedSpec,
  learnerRaw: unknown,
  goal: Goal,
  constraints: Constraints,
): { ok: true; spec: NormalizedSpec } | { ok: false; result: GradeResult } {
  const checked = validateSpec(learnerRaw);
  if (!checked.ok) {
    const msgs = checked.errors.map((e) => e.message.replace(/\.$/, ''));
    const more = msgs.length > 1 ? ` (and ${msgs.length - 1} more problem${msgs.length === 2 ? '' : 's'})` : '';
    return { ok: false, result: fail(goal, msgs, `The experiment is not valid: ${msgs[0]}${more}.`) };
  }
  const spec = checked.value;
  if (spec.data === null)
    return { ok: false, result: fail(goal, ['spec.data is missing'], 'The experiment needs a data section.') };
  const violations = constraintViolations(start, spec, constraints);
  if (violations.length > 0) {
    const more =
      violations.length > 1
        ? ` ${violations.length - 1} other rule${violations.length === 2 ? ' is' : 's are'} broken too.`
        : '';
    return { ok: false, result: fail(goal, violations, `${violations[0]}${more}`) };
  }
  return { ok: true, spec };
}

/** Trains a normalized spec for `steps` steps from its own seed and measures it (stops early on a non-finite loss). */
export async function trainAndMeasure(
  spec: NormalizedSpec,
  steps: number,
  factory: BackendFactory,
  sources: DataSources = noMnist,
): Promise<{ measured: Measured; steps: number }> {
  const program = compile(spec);
  const data = await loadDataset(spec, sources);
  const exec = await factory.createExecutor(program);
  const rt: Runtime = await createRuntime(exec, data, { shuffle: true, initialState: initialState(program) });
  try {
    const losses: number[] = [];
    while (losses.length < steps) {
      const r = await rt.trainSteps(Math.min(CHUNK, steps - losses.length));
      losses.push(...r.losses);
      if (r.losses.some((x) => !Number.isFinite(x))) break;
    }
    let valLoss: number | null = null;
    let valAccuracy: number | null = null;
    if (data.val.count > 0) {
      const ev = await rt.evaluate('val');
      valLoss = ev.loss;
      valAccuracy = ev.accuracy;
    }
    return { measured: { valAccuracy, valLoss, trainLoss: trainLossOf(losses) }, steps: losses.length };
  } finally {
    rt.dispose();
  }
}

export async function gradeHeadless(
  start: NormalizedSpec,
  learnerRaw: unknown,
  goal: Goal,
  constraints: Constraints,
  factory: BackendFactory,
  sources: DataSources = noMnist,
): Promise<GradeResult> {
  const pre = precheck(start, learnerRaw, goal, constraints);
  if (!pre.ok) return pre.result;
  try {
    const { measured, steps } = await trainAndMeasure(pre.spec, goal.steps, factory, sources);
    return { ...judge(goal, measured), goal, violations: [], steps };
  } catch (e) {
    return fail(goal, [], `The experiment could not be trained: ${(e as Error).message ?? String(e)}.`);
  }
}
