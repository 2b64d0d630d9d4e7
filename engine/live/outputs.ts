// What a model's raw outputs mean to a learner: class probabilities for classification losses (softmax over the
// outputs for cross_entropy, a sigmoid per output for bce_logits), raw values for regression losses, and the class
// each row predicts. One table keyed by loss, shared by the decision-boundary grid and the predictions request, so
// both say the same thing as the loss the run trains on.

import type { LossType } from '../spec/types';

export type OutputKind = 'probabilities' | 'values';

interface OutputRule {
  kind: OutputKind;
  /** Rewrites one row of raw outputs in place (values: leave as is). */
  transform: ((row: Float32Array) => void) | null;
  /** Predicted class per row (cross_entropy) or per output (bce_logits), from the raw outputs; null: regression. */
  predict: ((raw: Float32Array, rows: number, cols: number) => Int32Array) | null;
}

function softmaxInPlace(row: Float32Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of row) if (v > max) max = v;
  let sum = 0;
  for (let j = 0; j < row.length; j++) {
    const e = Math.exp(row[j] - max);
    row[j] = e;
    sum += e;
  }
  for (let j = 0; j < row.length; j++) row[j] /= sum;
}

function sigmoidInPlace(row: Float32Array): void {
  for (let j = 0; j < row.length; j++) row[j] = 1 / (1 + Math.exp(-row[j]));
}

/** Argmax per row, first maximum on ties (as accuracyValue in graph/losses.ts). */
function argmaxRows(raw: Float32Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < cols; j++) if (raw[r * cols + j] > raw[r * cols + best]) best = j;
    out[r] = best;
  }
  return out;
}

/** 1 where the logit is positive (p > 0.5), per output (as accuracyValue's threshold mode). */
function thresholdOutputs(raw: Float32Array): Int32Array {
  return Int32Array.from(raw, (v) => (v > 0 ? 1 : 0));
}

const VALUES: OutputRule = { kind: 'values', transform: null, predict: null };

const OUTPUT_RULES: { [L in LossType]: OutputRule } = {
  cross_entropy: { kind: 'probabilities', transform: softmaxInPlace, predict: argmaxRows },
  bce_logits: { kind: 'probabilities', transform: sigmoidInPlace, predict: thresholdOutputs },
  mse: VALUES,
  mae: VALUES,
  huber: VALUES,
};

export function outputKind(loss: LossType): OutputKind {
  return OUTPUT_RULES[loss].kind;
}

/** Raw outputs (rows x cols) as the learner reads them; returns a new array. */
export function readableOutputs(loss: LossType, raw: Float32Array, rows: number, cols: number): Float32Array {
  const out = raw.slice(0, rows * cols);
  const t = OUTPUT_RULES[loss].transform;
  if (t) for (let r = 0; r < rows; r++) t(out.subarray(r * cols, (r + 1) * cols));
  return out;
}

/** Predicted classes: one per row for cross_entropy, one per output (0/1) for bce_logits, null for regression. */
export function predictedClasses(loss: LossType, raw: Float32Array, rows: number, cols: number): Int32Array | null {
  const p = OUTPUT_RULES[loss].predict;
  return p ? p(raw.subarray(0, rows * cols), rows, cols) : null;
}
