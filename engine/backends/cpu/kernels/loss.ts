// Loss, its gradient, the accuracy metric and the L1/L2 penalty gradient, over the shared double-precision
// loss functions (engine/graph/losses.ts).

import { accuracyValue, type LossArgs, lossGrad, lossValue } from '../../../graph/losses';
import type { OpOf } from '../../../graph/ops';
import type { CpuMemory, Thunk } from '../memory';

/** The loss arguments, made once per op; only the hot label smoothing is refreshed per step (no allocation). */
function argsOf(op: OpOf<'loss'> | OpOf<'loss_grad'>, mem: CpuMemory): () => LossArgs {
  const a: LossArgs = { kind: op.loss, rows: op.rows, cols: op.cols, delta: op.delta, smoothing: 0 };
  return () => {
    a.smoothing = op.smoothing < 0 ? 0 : mem.f32(op.smoothing);
    return a;
  };
}

export function loss(op: OpOf<'loss'>, mem: CpuMemory): Thunk {
  const pred = mem.view(op.pred);
  const target = mem.view(op.target);
  const out = mem.view(op.out);
  const args = argsOf(op, mem);
  return () => {
    out[0] = lossValue(args(), pred, target);
  };
}

export function lossGradKernel(op: OpOf<'loss_grad'>, mem: CpuMemory): Thunk {
  const pred = mem.view(op.pred);
  const target = mem.view(op.target);
  const dpred = mem.view(op.dpred);
  const args = argsOf(op, mem);
  return () => lossGrad(args(), pred, target, dpred);
}

export function accuracy(op: OpOf<'accuracy'>, mem: CpuMemory): Thunk {
  const pred = mem.view(op.pred);
  const target = mem.view(op.target);
  const out = mem.view(op.out);
  return () => {
    out[0] = accuracyValue(op.mode, op.rows, op.cols, pred, target);
  };
}

export function penaltyGrad(op: OpOf<'penalty_grad'>, mem: CpuMemory): Thunk {
  const w = mem.view(op.w);
  const dw = mem.view(op.dw);
  const size = op.size;
  return () => {
    const l1 = mem.f32(op.l1);
    const l2x2 = 2 * mem.f32(op.l2);
    for (let i = 0; i < size; i++) dw[i] += l1 * Math.sign(w[i]) + l2x2 * w[i];
  };
}
