// Batches per-step training metrics and releases them at most every `intervalMs` (about 30 times a second), as typed
// arrays ready to be transferred to the UI thread. Throughput is measured over each batch's wall-clock window.
// Per-layer gradient norms, sampled by the session between chunks, travel in the same batch.

import type { GradNormSeries, LayerGradNorm, MetricsBatch } from './types';

export class MetricsBuffer {
  private step: number[] = [];
  private loss: number[] = [];
  private accuracy: number[] = [];
  private lr: number[] = [];
  private hasAccuracy = false;
  private gradLayers: { keys: string[]; labels: string[] } | null = null;
  private gradStep: number[] = [];
  private gradNorms: number[] = [];
  private lastFlush: number;
  private windowStart: number;
  private epoch = 0;
  /** Rows per step, for samples per second. */
  batchSize: number;

  constructor(
    batchSize: number,
    private readonly now: () => number,
    readonly intervalMs = 33,
  ) {
    this.batchSize = batchSize;
    this.lastFlush = now();
    this.windowStart = this.lastFlush;
  }

  get pending(): number {
    return this.step.length;
  }

  /** Adds one chunk's results: steps firstStep, firstStep + 1, ... */
  push(
    firstStep: number,
    losses: readonly number[],
    accuracies: readonly number[] | null,
    lrs: readonly number[],
    epoch: number,
  ): void {
    if (this.step.length === 0) this.windowStart = Math.min(this.windowStart, this.now());
    for (let i = 0; i < losses.length; i++) {
      this.step.push(firstStep + i);
      this.loss.push(losses[i]);
      this.accuracy.push(accuracies ? accuracies[i] : Number.NaN);
      this.lr.push(lrs[i] ?? Number.NaN);
    }
    if (accuracies) this.hasAccuracy = true;
    this.epoch = epoch;
  }

  /** Adds one gradient-norm sample: the per-layer norms after `step` ran. */
  pushGradNorms(step: number, layers: readonly LayerGradNorm[]): void {
    const keys = layers.map((l) => l.layer);
    if (this.gradLayers === null || this.gradLayers.keys.join('|') !== keys.join('|')) {
      // A different layer set (recompiled): the samples taken so far belong to the old one.
      this.gradLayers = { keys, labels: layers.map((l) => l.label) };
      this.gradStep = [];
      this.gradNorms = [];
    }
    this.gradStep.push(step);
    for (const l of layers) this.gradNorms.push(l.gradNorm);
  }

  /** Whether a flush is due (something pending and the interval has passed). */
  due(): boolean {
    return this.step.length > 0 && this.now() - this.lastFlush >= this.intervalMs;
  }

  /** Takes everything pending as one batch (null when empty). */
  take(): MetricsBatch | null {
    const n = this.step.length;
    if (n === 0) return null;
    const t = this.now();
    const seconds = Math.max((t - this.windowStart) / 1000, 1e-6);
    const batch: MetricsBatch = {
      step: Float64Array.from(this.step),
      loss: Float32Array.from(this.loss),
      accuracy: this.hasAccuracy ? Float32Array.from(this.accuracy) : null,
      lr: Float32Array.from(this.lr),
      stepsPerSecond: n / seconds,
      samplesPerSecond: (n * this.batchSize) / seconds,
      epoch: this.epoch,
      gradNorms: this.takeGradNorms(),
    };
    this.step = [];
    this.loss = [];
    this.accuracy = [];
    this.lr = [];
    this.hasAccuracy = false;
    this.lastFlush = t;
    this.windowStart = t;
    return batch;
  }

  private takeGradNorms(): GradNormSeries | null {
    if (this.gradLayers === null || this.gradStep.length === 0) return null;
    const out: GradNormSeries = {
      keys: this.gradLayers.keys,
      labels: this.gradLayers.labels,
      step: Float64Array.from(this.gradStep),
      norms: Float32Array.from(this.gradNorms),
    };
    this.gradStep = [];
    this.gradNorms = [];
    return out;
  }

  /** Restart the throughput window (after a pause: idle time is not training time). */
  resetWindow(): void {
    if (this.step.length === 0) this.windowStart = this.now();
  }
}

/** The transferable buffers of a batch. */
export function metricsTransfer(m: MetricsBatch): Transferable[] {
  const out: Transferable[] = [m.step.buffer, m.loss.buffer, m.lr.buffer];
  if (m.accuracy) out.push(m.accuracy.buffer);
  if (m.gradNorms) out.push(m.gradNorms.step.buffer, m.gradNorms.norms.buffer);
  return out as Transferable[];
}

/** Concatenates batches (the client coalesces several batches that arrive within one animation frame). */
export function mergeMetrics(batches: readonly MetricsBatch[]): MetricsBatch {
  if (batches.length === 1) return batches[0];
  const total = batches.reduce((s, b) => s + b.step.length, 0);
  const step = new Float64Array(total);
  const loss = new Float32Array(total);
  const lr = new Float32Array(total);
  const anyAcc = batches.some((b) => b.accuracy !== null);
  const accuracy = anyAcc ? new Float32Array(total).fill(Number.NaN) : null;
  let at = 0;
  for (const b of batches) {
    step.set(b.step, at);
    loss.set(b.loss, at);
    lr.set(b.lr, at);
    if (accuracy && b.accuracy) accuracy.set(b.accuracy, at);
    at += b.step.length;
  }
  const last = batches[batches.length - 1];
  return {
    step,
    loss,
    accuracy,
    lr,
    samplesPerSecond: last.samplesPerSecond,
    stepsPerSecond: last.stepsPerSecond,
    epoch: last.epoch,
    gradNorms: mergeGradNorms(batches),
  };
}

/** Concatenates the batches' gradient-norm samples (those over the last batch's layer set: a recompile in between
 * changes the layers, and the older samples no longer line up). */
function mergeGradNorms(batches: readonly MetricsBatch[]): GradNormSeries | null {
  const parts = batches.flatMap((b) => (b.gradNorms ? [b.gradNorms] : []));
  if (parts.length === 0) return null;
  const last = parts[parts.length - 1];
  const sig = last.keys.join('|');
  const same = parts.filter((g) => g.keys.join('|') === sig);
  if (same.length === 1) return last;
  const rows = same.reduce((s, g) => s + g.step.length, 0);
  const step = new Float64Array(rows);
  const norms = new Float32Array(rows * last.keys.length);
  let at = 0;
  for (const g of same) {
    step.set(g.step, at);
    norms.set(g.norms, at * last.keys.length);
    at += g.step.length;
  }
  return { keys: last.keys, labels: last.labels, step, norms };
}
