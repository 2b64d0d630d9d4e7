// When is a pathway step complete, and where does the learner resume? One module holds the rule so that later
// criteria (a mini-lab run, check questions) are added in one place: add a Criterion to `stepCriteria` and decide
// in `isStepComplete` how it combines with the others.
import type { ProgressData, StepRecord } from './progressSchema';

/** The part of a pathway step the rule needs (curriculum.ts's PathwayStep satisfies it). */
export interface StepLike {
  concept: string;
}

export interface Criterion {
  id: 'read' | 'manual';
  label: string;
  met: boolean;
}

/** Each way a step can be completed, and whether the learner has met it. */
export function stepCriteria(progress: ProgressData, pathwayId: string, index: number, step: StepLike): Criterion[] {
  const record: StepRecord | undefined = progress.pathways[pathwayId]?.completed[index];
  const concept = progress.concepts[step.concept];
  return [
    { id: 'read', label: 'Read the concept page', met: record?.how === 'read' || Boolean(concept?.readAt) },
    { id: 'manual', label: 'Marked done', met: record?.how === 'manual' || Boolean(concept?.doneAt) },
  ];
}

/** A step is complete when its concept page was read (scrolled through, with time on it) or it was marked done. */
export function isStepComplete(progress: ProgressData, pathwayId: string, index: number, step: StepLike): boolean {
  return stepCriteria(progress, pathwayId, index, step).some((c) => c.met);
}

export interface PathwayStanding {
  completed: boolean[];
  done: number;
  total: number;
  /** The step to continue with: the recorded current step unless complete, then the next incomplete one. */
  resume: number;
  started: boolean;
  finished: boolean;
}

export function pathwayStanding(progress: ProgressData, pathwayId: string, steps: StepLike[]): PathwayStanding {
  const completed = steps.map((s, i) => isStepComplete(progress, pathwayId, i, s));
  const done = completed.filter(Boolean).length;
  const record = progress.pathways[pathwayId];
  const current = Math.min(record?.currentStep ?? 0, Math.max(0, steps.length - 1));
  let resume = current;
  if (completed[resume]) {
    const after = completed.findIndex((c, i) => !c && i > current);
    const any = completed.indexOf(false);
    resume = after >= 0 ? after : any >= 0 ? any : current;
  }
  return {
    completed,
    done,
    total: steps.length,
    resume,
    started: Boolean(record) || done > 0,
    finished: steps.length > 0 && done === steps.length,
  };
}
