// Compares what a run measured with a problem's goal and words the verdict for the learner. Pure.

import type { Goal, GoalMetric, GradeResult, Measured } from './types';

const LABELS: Record<GoalMetric, string> = {
  val_accuracy: 'Validation accuracy',
  val_loss: 'Validation loss',
  train_loss: 'Training loss',
};

export function metricLabel(m: GoalMetric): string {
  return LABELS[m];
}

export function metricOf(goal: Goal, m: Measured): number | null {
  const v = goal.metric === 'val_accuracy' ? m.valAccuracy : goal.metric === 'val_loss' ? m.valLoss : m.trainLoss;
  return v === null || !Number.isFinite(v) ? null : v;
}

/** A measured value: accuracies and losses above 0.01 with 3 decimals, smaller losses with 3 significant digits. */
export function formatMetric(v: number): string {
  return Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toPrecision(3);
}

/** A goal threshold as authors write it, with at least 2 decimals (0.9 -> "0.90", 0.025 -> "0.025"). */
export function formatGoalValue(v: number): string {
  const s = String(v);
  const decimals = s.includes('.') ? s.split('.')[1].length : 0;
  return decimals >= 2 ? s : v.toFixed(2);
}

export const formatSteps = (n: number): string => n.toLocaleString('en-US');

export function judge(goal: Goal, measured: Measured): Pick<GradeResult, 'pass' | 'metric' | 'message'> {
  const label = LABELS[goal.metric];
  const after = `after ${formatSteps(goal.steps)} steps`;
  const diverged = [measured.valLoss, measured.trainLoss].some((v) => v !== null && !Number.isFinite(v));
  const metric = metricOf(goal, measured);
  if (diverged)
    return {
      pass: false,
      metric,
      message: `The loss became NaN or infinite within ${formatSteps(goal.steps)} steps: training diverged, so the goal is not reached.`,
    };
  if (metric === null) {
    const why = goal.metric === 'val_accuracy' ? ' (accuracy needs a classification loss and a validation split)' : '';
    return { pass: false, metric, message: `${label} could not be measured for this experiment${why}.` };
  }
  const pass = goal.op === '>=' ? metric >= goal.value : metric <= goal.value;
  const v = formatMetric(metric);
  const g = formatGoalValue(goal.value);
  if (pass) return { pass, metric, message: `${label} ${v} ${goal.op === '>=' ? '≥' : '≤'} ${g} ${after}: solved.` };
  const side = goal.op === '>=' ? 'below' : 'above';
  return { pass, metric, message: `${label} ${v} is ${side} the goal of ${g} ${after}: not solved yet.` };
}
