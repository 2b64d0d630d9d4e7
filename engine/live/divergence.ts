// Divergence diagnosis: given what was seen up to a non-finite loss, gradient or weight, name the step, the last
// finite loss, the first layer whose gradient norm blew up, and a probable cause with one line a learner can act on.
// Pure: the session gathers the evidence (a replay from the last finite snapshot with per-layer norms when the
// runtime can read its state arena) and this file judges it.

import type { DivergenceCause, DivergenceReport, LayerGradNorm } from './types';

/** One replayed (or observed) step: its loss and learning rate, and per-layer norms after its backward pass. */
export interface TraceStep {
  step: number;
  loss: number;
  lr: number;
  /** null when the runtime cannot read its state arena. */
  layers: LayerGradNorm[] | null;
}

export interface DivergenceEvidence {
  /** The step whose loss (or gradient / weight) was first non-finite in the live run. */
  step: number;
  signal: DivergenceReport['signal'];
  lastFiniteLoss: number | null;
  /** Finite training losses of the live run before the blow-up, oldest first (a recent window is enough). */
  recentLosses: readonly number[];
  /** The global step at which this run's weights were initialised (0, or later after a recompile that re-initialised). */
  initStep: number;
  /** The replay from the restored snapshot, in step order (may be empty). */
  trace: readonly TraceStep[];
  restoredStep: number;
  /** The learning rate in effect. */
  lr: number;
}

/** A layer "blew up" at a trace step when its gradient norm is non-finite or grew 1000x over the replay's first step. */
const BLOWUP_GROWTH = 1e3;

export function diagnose(ev: DivergenceEvidence): DivergenceReport {
  const trace = ev.trace.filter((t) => t.layers !== null);
  const blown = firstBlownLayer(trace);
  const cause = probableCause(ev, trace);
  const layers = lastFiniteLayers(trace);
  return {
    step: ev.step,
    lastFiniteLoss: ev.lastFiniteLoss,
    signal: ev.signal,
    layer: blown ? { key: blown.layer, label: blown.label } : null,
    cause: cause.cause,
    explanation: cause.explanation,
    restoredStep: ev.restoredStep,
    layers,
  };
}

function firstBlownLayer(trace: readonly TraceStep[]): LayerGradNorm | null {
  if (trace.length === 0) return null;
  const base = trace[0].layers as LayerGradNorm[];
  for (let s = 0; s < trace.length; s++) {
    const layers = trace[s].layers as LayerGradNorm[];
    // Largest growth among layers that blew up at this step; non-finite ones count as infinite growth. When
    // several are non-finite (NaN spreads backwards through the whole pass), the one nearest the output is where
    // backpropagation met it first, unless an earlier step shows which grew fastest.
    let best: LayerGradNorm | null = null;
    let bestGrowth = 0;
    layers.forEach((l, i) => {
      const g0 = base[i]?.gradNorm ?? 0;
      const growth = Number.isFinite(l.gradNorm) ? (g0 > 0 ? l.gradNorm / g0 : 0) : Number.POSITIVE_INFINITY;
      if (growth >= BLOWUP_GROWTH && growth >= bestGrowth) {
        best = l;
        bestGrowth = growth;
      }
    });
    if (best === null) continue;
    if (bestGrowth === Number.POSITIVE_INFINITY && s > 0) {
      // Every candidate is non-finite: the fastest-growing layer of the previous step is the better witness.
      const prev = fastestGrowing(trace[s - 1].layers as LayerGradNorm[], base);
      if (prev) return prev;
    }
    return best;
  }
  // Nothing crossed the threshold in the replay (it may not have reproduced the blow-up): the fastest grower.
  return fastestGrowing(trace[trace.length - 1].layers as LayerGradNorm[], base);
}

function fastestGrowing(layers: readonly LayerGradNorm[], base: readonly LayerGradNorm[]): LayerGradNorm | null {
  let best: LayerGradNorm | null = null;
  let bestGrowth = 0;
  layers.forEach((l, i) => {
    const g0 = base[i]?.gradNorm ?? 0;
    if (!Number.isFinite(l.gradNorm) || g0 <= 0) return;
    const growth = l.gradNorm / g0;
    if (growth > bestGrowth) {
      best = l;
      bestGrowth = growth;
    }
  });
  return best;
}

function lastFiniteLayers(trace: readonly TraceStep[]): LayerGradNorm[] {
  for (let s = trace.length - 1; s >= 0; s--) {
    const layers = trace[s].layers as LayerGradNorm[];
    if (layers.every((l) => Number.isFinite(l.gradNorm) && Number.isFinite(l.weightNorm))) return layers;
  }
  return [];
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3)) return x.toExponential(1);
  return Number(x.toPrecision(3)).toString();
}

function probableCause(
  ev: DivergenceEvidence,
  trace: readonly TraceStep[],
): { cause: DivergenceCause; explanation: string } {
  const first = trace[0];
  // 1. Bad initialisation: the run blew up within its first few steps, or its very first losses were already huge.
  const early = ev.step - ev.initStep < 3;
  const hugeStart = first !== undefined && ev.restoredStep === ev.initStep && !(Math.abs(first.loss) < 1e6);
  if (early || hugeStart) {
    const big = first?.layers ? maxBy(first.layers, (l) => l.weightNorm) : null;
    const where = big ? ` (${big.label} starts with weight norm ${fmt(big.weightNorm)})` : '';
    return {
      cause: 'bad_initialisation',
      explanation: `The loss overflowed within ${ev.step - ev.initStep + 1} step(s) of initialisation${where}: the initial weights are too large for this network; use the default (PyTorch) or Xavier/He initialisation, or a smaller std.`,
    };
  }
  // 2. Learning rate too high: one step moves some layer's weights by a large fraction of their size, or the loss
  //    climbed steadily before overflowing (overshooting, not a sudden spike).
  const ratio = first?.layers ? maxBy(first.layers, (l) => updateRatio(ev.lr, l)) : null;
  const r = ratio ? updateRatio(ev.lr, ratio) : 0;
  const climbing = risingTail(ev.recentLosses);
  const suggest = fmt(ev.lr / 10);
  if (r > 0.05 || (climbing && !explodingAcrossLayers(first))) {
    const what =
      ratio && r > 0.05 ? ` moves ${ratio.label}'s weights by ${fmt(100 * r)}% of their size per step, so` : ',';
    return {
      cause: 'learning_rate',
      explanation: `The learning rate ${fmt(ev.lr)}${what} each step overshoots and the loss grows until it overflows: lower the learning rate (try ${suggest}) or clip the gradient norm.`,
    };
  }
  // 3. Exploding gradients: gradient norms much larger near the input than near the output, or a sudden spike.
  const spread = explodingAcrossLayers(first);
  const detail = spread ? ` (${spread.label}'s gradient is ${fmt(spread.factor)}x the output layer's)` : '';
  return {
    cause: 'exploding_gradients',
    explanation: `The gradients grew as they flowed back through the layers until they overflowed${detail}: clip the gradient norm (e.g. 1), add normalisation layers or skip connections, or lower the learning rate.`,
  };
}

/** lr * |g| / |w|: the fraction of a layer's weights one plain gradient step moves. */
function updateRatio(lr: number, l: LayerGradNorm): number {
  if (!Number.isFinite(l.gradNorm)) return Number.POSITIVE_INFINITY;
  return l.weightNorm > 0 ? (lr * l.gradNorm) / l.weightNorm : 0;
}

function explodingAcrossLayers(step: TraceStep | undefined): { label: string; factor: number } | null {
  const layers = step?.layers;
  if (!layers || layers.length < 2) return null;
  const out = layers[layers.length - 1].gradNorm;
  if (!(out > 0)) return null;
  const worst = maxBy(layers.slice(0, -1), (l) => l.gradNorm);
  if (!worst) return null;
  const factor = worst.gradNorm / out;
  return factor > 100 ? { label: worst.label, factor } : null;
}

/** The loss rose in most of the last few finite steps and ended well above where it was. */
function risingTail(losses: readonly number[]): boolean {
  const tail = losses.slice(-8);
  if (tail.length < 3) return false;
  let ups = 0;
  for (let i = 1; i < tail.length; i++) if (tail[i] > tail[i - 1]) ups++;
  return ups >= (tail.length - 1) * 0.6 && tail[tail.length - 1] > 2 * Math.max(Math.abs(tail[0]), 1e-12);
}

function maxBy<T>(xs: readonly T[], f: (x: T) => number): T | null {
  let best: T | null = null;
  let bv = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    const v = f(x);
    if (v > bv || (best === null && Number.isNaN(v))) {
      best = x;
      bv = v;
    }
  }
  return best;
}
