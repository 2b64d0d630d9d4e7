// Learning-rate schedules as pure functions of the 0-based step t (PyTorch's scheduler formulas in closed form).
// With warmupSteps w > 0: lr(t) = lr_sched(0) * (t+1)/w for t < w, then the schedule runs on t' = t - w.
// `plateau` is the one stateful schedule: its scale changes once per epoch from the monitored loss (PlateauState).
// OneCycleLR also cycles momentum (scheduledMomentum); the runtime applies it as a hot hyperparameter per step.

import type { NormalizedSpec } from '../spec/types';

type Schedule = NormalizedSpec['schedule'];

/** State of ReduceLROnPlateau (mode 'min', threshold_mode 'rel', cooldown 0). */
export interface PlateauState {
  best: number;
  badEpochs: number;
  /** Current learning rate after reductions (absolute). */
  lr: number;
}

export function plateauStart(baseLr: number): PlateauState {
  return { best: Number.POSITIVE_INFINITY, badEpochs: 0, lr: baseLr };
}

/** torch ReduceLROnPlateau.step(metric): returns the next state. */
export function plateauStep(s: Schedule & { type: 'plateau' }, st: PlateauState, metric: number): PlateauState {
  const better = metric < st.best * (1 - s.threshold);
  const next = better ? { ...st, best: metric, badEpochs: 0 } : { ...st, badEpochs: st.badEpochs + 1 };
  if (next.badEpochs > s.patience) {
    const reduced = Math.max(next.lr * s.factor, s.minLr);
    if (next.lr - reduced > 1e-8) next.lr = reduced;
    next.badEpochs = 0;
  }
  return next;
}

/** OneCycleLR's cosine annealing from a to b at pct in [0, 1]. */
function anneal(a: number, b: number, pct: number): number {
  return b + ((a - b) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** The momentum (SGD/RMSprop) or beta1 (Adam) a schedule sets at step t, or null when it leaves it alone: only
 * onecycle with cycleMomentum, which moves it opposite to the lr (max -> base in phase 1, base -> max after). */
export function scheduledMomentum(s: Schedule, t: number): number | null {
  if (s.type !== 'onecycle' || !s.cycleMomentum) return null;
  const step = Math.min(Math.max(t - s.warmupSteps, 0), s.totalSteps - 1);
  const end1 = s.pctStart * s.totalSteps - 1;
  const end2 = s.totalSteps - 1;
  if (step <= end1) return anneal(s.maxMomentum, s.baseMomentum, step / end1);
  return anneal(s.baseMomentum, s.maxMomentum, (step - end1) / (end2 - end1));
}

/** The schedule's own curve at t' >= 0 (absolute lr), before warmup is applied. */
function curve(s: Schedule, lr: number, t: number, plateau: PlateauState | null): number {
  switch (s.type) {
    case 'constant':
      return lr;
    case 'step':
      return lr * s.gamma ** Math.floor(t / s.stepSize);
    case 'exponential':
      return lr * s.gamma ** t;
    case 'cosine': {
      const T = s.totalSteps - s.warmupSteps;
      if (t >= T) return s.minLr;
      return s.minLr + ((lr - s.minLr) * (1 + Math.cos((Math.PI * t) / T))) / 2;
    }
    case 'cosine_restarts': {
      let tCur = t;
      let tI = s.t0;
      if (s.tMult === 1) tCur = t % s.t0;
      else if (t >= s.t0) {
        const n = Math.floor(Math.log((t / s.t0) * (s.tMult - 1) + 1) / Math.log(s.tMult));
        tCur = t - (s.t0 * (s.tMult ** n - 1)) / (s.tMult - 1);
        tI = s.t0 * s.tMult ** n;
      }
      return s.minLr + ((lr - s.minLr) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
    }
    case 'onecycle': {
      const initial = s.maxLr / s.divFactor;
      const min = initial / s.finalDivFactor;
      const end1 = s.pctStart * s.totalSteps - 1;
      const end2 = s.totalSteps - 1;
      const step = Math.min(t, end2);
      if (step <= end1) return anneal(initial, s.maxLr, step / end1);
      return anneal(s.maxLr, min, (step - end1) / (end2 - end1));
    }
    case 'plateau':
      return plateau === null ? lr : plateau.lr;
  }
}

/** Learning rate at 0-based step t. `plateau` is the current plateau state (only for type 'plateau'). */
export function learningRate(s: Schedule, baseLr: number, t: number, plateau: PlateauState | null = null): number {
  const w = s.warmupSteps;
  if (w > 0 && t < w) return (curve(s, baseLr, 0, plateau) * (t + 1)) / w;
  return curve(s, baseLr, t - w, plateau);
}
