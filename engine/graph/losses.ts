// The losses in double precision over flat arrays (PyTorch semantics, reduction 'mean'): the CPU kernels and the
// host-side evaluation both use these, so "the loss" means one thing everywhere.
// pred is [rows, cols]; target is [rows, cols], or [rows] class indices for cross_entropy.

import type { LossKind } from './ops';

export interface LossArgs {
  kind: LossKind;
  rows: number;
  cols: number;
  delta: number;
  smoothing: number;
}

type Arr = ArrayLike<number>;

export function lossValue(a: LossArgs, pred: Arr, target: Arr): number {
  const { rows, cols } = a;
  const total = rows * cols;
  let s = 0;
  switch (a.kind) {
    case 'mse':
      for (let i = 0; i < total; i++) {
        const d = pred[i] - target[i];
        s += d * d;
      }
      return s / total;
    case 'mae':
      for (let i = 0; i < total; i++) s += Math.abs(pred[i] - target[i]);
      return s / total;
    case 'huber':
      for (let i = 0; i < total; i++) {
        const d = Math.abs(pred[i] - target[i]);
        s += d < a.delta ? 0.5 * d * d : a.delta * (d - 0.5 * a.delta);
      }
      return s / total;
    case 'bce_logits':
      for (let i = 0; i < total; i++) {
        const x = pred[i];
        s += Math.max(x, 0) - x * target[i] + Math.log1p(Math.exp(-Math.abs(x)));
      }
      return s / total;
    case 'cross_entropy': {
      const eps = a.smoothing;
      for (let r = 0; r < rows; r++) {
        const base = r * cols;
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < cols; j++) max = Math.max(max, pred[base + j]);
        let z = 0;
        for (let j = 0; j < cols; j++) z += Math.exp(pred[base + j] - max);
        const lse = max + Math.log(z);
        const y = target[r];
        let sumLogp = 0;
        for (let j = 0; j < cols; j++) sumLogp += pred[base + j] - lse;
        s += -(1 - eps) * (pred[base + y] - lse) - (eps / cols) * sumLogp;
      }
      return s / rows;
    }
  }
}

/** Writes d(mean loss)/d(pred) into dpred. */
export function lossGrad(a: LossArgs, pred: Arr, target: Arr, dpred: { [i: number]: number }): void {
  const { rows, cols } = a;
  const total = rows * cols;
  switch (a.kind) {
    case 'mse':
      for (let i = 0; i < total; i++) dpred[i] = (2 * (pred[i] - target[i])) / total;
      return;
    case 'mae':
      for (let i = 0; i < total; i++) dpred[i] = Math.sign(pred[i] - target[i]) / total;
      return;
    case 'huber':
      for (let i = 0; i < total; i++) {
        const d = pred[i] - target[i];
        dpred[i] = (d <= -a.delta ? -a.delta : d >= a.delta ? a.delta : d) / total;
      }
      return;
    case 'bce_logits':
      for (let i = 0; i < total; i++) {
        const x = pred[i];
        const sig = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        dpred[i] = (sig - target[i]) / total;
      }
      return;
    case 'cross_entropy': {
      const eps = a.smoothing;
      for (let r = 0; r < rows; r++) {
        const base = r * cols;
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < cols; j++) max = Math.max(max, pred[base + j]);
        let z = 0;
        for (let j = 0; j < cols; j++) z += Math.exp(pred[base + j] - max);
        const y = target[r];
        for (let j = 0; j < cols; j++) {
          const p = Math.exp(pred[base + j] - max) / z;
          const t = (j === y ? 1 - eps : 0) + eps / cols;
          dpred[base + j] = (p - t) / rows;
        }
      }
      return;
    }
  }
}

/** Fraction right: argmax == class index, or (pred > 0) == (target > 0.5) per element. */
export function accuracyValue(
  mode: 'argmax' | 'threshold',
  rows: number,
  cols: number,
  pred: Arr,
  target: Arr,
): number {
  let right = 0;
  if (mode === 'argmax') {
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let j = 1; j < cols; j++) if (pred[r * cols + j] > pred[r * cols + best]) best = j;
      if (best === target[r]) right++;
    }
    return right / rows;
  }
  const total = rows * cols;
  for (let i = 0; i < total; i++) if (pred[i] > 0 === target[i] > 0.5) right++;
  return right / total;
}
