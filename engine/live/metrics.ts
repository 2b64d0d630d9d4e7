// Batches per-step training metrics and releases them at most every `intervalMs` (about 30 times a second), as typed
// arrays ready to be transferred to the UI thread. Throughput is measured over each batch's wall-clock window.

import type { MetricsBatch } from './types';

export class MetricsBuffer {
  private step: number[] = [];
  private loss: number[] = [];
  private accuracy: number[] = [];
  private lr: number[] = [];
  private hasAccuracy = false;
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

  /** Restart the throughput window (after a pause: idle time is not training time). */
  resetWindow(): void {
    if (this.step.length === 0) this.windowStart = this.now();
  }
}

/** The transferable buffers of a batch. */
export function metricsTransfer(m: MetricsBatch): Transferable[] {
  const out: Transferable[] = [m.step.buffer, m.loss.buffer, m.lr.buffer];
  if (m.accuracy) out.push(m.accuracy.buffer);
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
  };
}
