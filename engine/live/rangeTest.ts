// The learning-rate range test (Smith 2017, "Cyclical learning rates", section 3.3; fastai's lr_find): a short run of
// an experiment from its initial weights with the learning rate growing exponentially from `startLr` to `endLr`,
// stopped when the smoothed loss explodes. Two pure parts live here, so they run and are tested in Node:
// - rangeTestSpec: the experiment with the growth as a PyTorch ExponentialLR schedule (lr(t) = start * gamma^t,
//   gamma = (end/start)^(1/(steps-1)), so step 0 trains at `startLr` and the last step at `endLr`). No new schedule
//   kind: ExponentialLR is exactly this curve, already PyTorch-exact on every backend.
// - analyseRange: bias-corrected exponential moving average of the loss, the explosion point (smoothed loss above
//   `explodeFactor` x the best so far, or not finite) and the suggestion: the learning rate where the smoothed loss
//   falls fastest per decade of learning rate (steepest negative slope against log10 lr).
// The run itself is an ordinary session under its own run id (the UI uses 'rangeTest'), so the Lab's runs are
// untouched: compile, step { n: steps }, pause once analyseRange says exploded, dispose.

import type { NormalizedSpec, SpecError } from '../spec/types';

export interface RangeTestOptions {
  startLr: number;
  endLr: number;
  steps: number;
}

export const RANGE_TEST_DEFAULTS: RangeTestOptions = { startLr: 1e-6, endLr: 1, steps: 150 };
export const RANGE_TEST_LIMITS = { steps: [20, 1000] as const, lr: [1e-8, 100] as const };

/** fastai's lr_find stops at 4x the best smoothed loss. */
export const EXPLODE_FACTOR = 4;
/** The moving average's factor: about 10 steps of memory, short enough that the lag moves the steepest point by
 * only ~10 steps of the sweep (fastai's 0.98 remembers ~50, a third of a 150-step sweep). */
export const RANGE_SMOOTHING = 0.9;

export type RangeSpecOutcome = { ok: true; value: NormalizedSpec } | { ok: false; errors: SpecError[] };

export function rangeTestSpec(spec: NormalizedSpec, opts: RangeTestOptions): RangeSpecOutcome {
  const errors: SpecError[] = [];
  const [lo, hi] = RANGE_TEST_LIMITS.lr;
  const { startLr, endLr, steps } = opts;
  const lrOk = (v: number) => Number.isFinite(v) && v >= lo && v <= hi;
  if (!lrOk(startLr)) errors.push({ path: 'startLr', message: `startLr must be a number from ${lo} to ${hi}` });
  if (!lrOk(endLr)) errors.push({ path: 'endLr', message: `endLr must be a number from ${lo} to ${hi}` });
  if (lrOk(startLr) && lrOk(endLr) && !(endLr > startLr))
    errors.push({ path: 'endLr', message: 'endLr must be greater than startLr' });
  const [sMin, sMax] = RANGE_TEST_LIMITS.steps;
  if (!Number.isInteger(steps) || steps < sMin || steps > sMax)
    errors.push({ path: 'steps', message: `steps must be a whole number from ${sMin} to ${sMax}` });
  if (errors.length > 0) return { ok: false, errors };
  const gamma = (endLr / startLr) ** (1 / (steps - 1));
  return {
    ok: true,
    value: {
      ...spec,
      optimizer: { ...spec.optimizer, lr: startLr },
      schedule: { type: 'exponential', gamma, warmupSteps: 0 },
      training: { ...spec.training, steps },
    } as NormalizedSpec,
  };
}

/** The sweep's learning rate at step t (what the exponential schedule gives). */
export function rangeLr(opts: RangeTestOptions, t: number): number {
  return opts.startLr * (opts.endLr / opts.startLr) ** (t / (opts.steps - 1));
}

export interface RangeAnalysis {
  /** Bias-corrected EMA of the loss, one per step received. */
  smoothed: Float64Array;
  /** Steps usable for the curve: all of them, or those before the explosion. */
  usable: number;
  /** The step at which the smoothed loss exploded, or null. */
  explodedAt: number | null;
  best: { index: number; lr: number; loss: number } | null;
  /** Steepest descent of the smoothed loss against log10(lr); null when the curve never falls. */
  suggestion: { index: number; lr: number; slope: number } | null;
}

export function analyseRange(
  lrs: ArrayLike<number>,
  losses: ArrayLike<number>,
  beta = RANGE_SMOOTHING,
  explodeFactor = EXPLODE_FACTOR,
): RangeAnalysis {
  const n = Math.min(lrs.length, losses.length);
  const smoothed = new Float64Array(n);
  let avg = 0;
  let best: RangeAnalysis['best'] = null;
  let explodedAt: number | null = null;
  for (let i = 0; i < n; i++) {
    avg = beta * avg + (1 - beta) * losses[i];
    const s = avg / (1 - beta ** (i + 1));
    smoothed[i] = s;
    if (!Number.isFinite(s) || (best !== null && s > explodeFactor * best.loss)) {
      explodedAt = i;
      break;
    }
    if (best === null || s < best.loss) best = { index: i, lr: lrs[i], loss: s };
  }
  const usable = explodedAt ?? n;
  return { smoothed: smoothed.slice(0, usable), usable, explodedAt, best, suggestion: steepest(lrs, smoothed, usable) };
}

/** np.gradient of the smoothed loss against log10(lr) (central differences inside, one-sided at the ends), argmin
 * over the points after the first tenth of the sweep (where the average is still warming up) and before the last
 * two (the explosion's own slope). */
function steepest(lrs: ArrayLike<number>, s: Float64Array, n: number): RangeAnalysis['suggestion'] {
  if (n < 5) return null;
  const x = (i: number) => Math.log10(lrs[i]);
  const from = Math.max(1, Math.floor(n / 10));
  const to = n - 2;
  let found: RangeAnalysis['suggestion'] = null;
  for (let i = from; i < to; i++) {
    const slope = (s[i + 1] - s[i - 1]) / (x(i + 1) - x(i - 1));
    if (Number.isFinite(slope) && slope < 0 && (found === null || slope < found.slope))
      found = { index: i, lr: lrs[i], slope };
  }
  return found;
}

/** One significant digit: the rate people type and the Lab's slider shows (3e-3, not 2.87e-3). */
export function roundRate(lr: number): number {
  return Number(lr.toPrecision(1));
}
