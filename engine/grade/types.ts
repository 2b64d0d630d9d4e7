// The types of practice-problem grading: a goal (one metric against a threshold after a fixed number of steps), the
// spec sections the learner may not change, and the result shown to the learner. Types only; the logic is in
// constraints.ts (what changed), judge.ts (did the numbers reach the goal) and grade.ts (the whole headless run).

/** The top-level sections of an ExperimentSpec a problem can freeze. */
export type SpecSection = 'data' | 'model' | 'loss' | 'optimizer' | 'schedule' | 'regularization' | 'training';

export const SPEC_SECTIONS: readonly SpecSection[] = [
  'data',
  'model',
  'loss',
  'optimizer',
  'schedule',
  'regularization',
  'training',
];

export type GoalMetric = 'val_accuracy' | 'val_loss' | 'train_loss';
export const GOAL_METRICS: readonly GoalMetric[] = ['val_accuracy', 'val_loss', 'train_loss'];
export type GoalOp = '>=' | '<=';

/** "metric op value after `steps` training steps", e.g. val_accuracy >= 0.9 after 2000 steps. */
export interface Goal {
  metric: GoalMetric;
  op: GoalOp;
  value: number;
  steps: number;
}

/** Sections that must stay exactly as in the start experiment (compared in normalized form). The training seed is
 * always fixed, whether or not `training` is listed: a fixed seed is part of the grading. */
export interface Constraints {
  fixed: SpecSection[];
}

/** What a graded run measured. valAccuracy is null for regression losses; val values are null without a
 * validation split; trainLoss is the mean of the last TRAIN_LOSS_WINDOW training losses. */
export interface Measured {
  valAccuracy: number | null;
  valLoss: number | null;
  trainLoss: number | null;
}

export interface GradeResult {
  pass: boolean;
  /** The goal's metric as measured; null when it could not be measured (invalid spec, broken rule, NaN). */
  metric: number | null;
  goal: Goal;
  /** One sentence per broken rule or validation error; empty when the spec was valid and kept the constraints. */
  violations: string[];
  /** Training steps actually run (0 when the spec was rejected before training; fewer than goal.steps after a
   * divergence stopped the run early). */
  steps: number;
  /** One sentence for the learner. */
  message: string;
}
