// The CPU kernel table: one prepared kernel per op kind, typed exhaustively so a new op kind without a CPU kernel
// is a compile error.

import type { Op, OpKind, OpOf } from '../../../graph/ops';
import type { CpuMemory, Thunk } from '../memory';
import { prepareSimd } from '../simd/kernels';
import { avgpool2d, avgpool2dGrad, conv2d, conv2dGradInput, conv2dGradWeight, maxpool2d, maxpool2dGrad } from './conv';
import { dropout, unary, unaryGrad } from './elementwise';
import { add, channelSum, matmul, mul } from './linear';
import { accuracy, loss, lossGradKernel, penaltyGrad } from './loss';
import { batchnorm, batchnormEval, batchnormGrad, layernorm, layernormGrad } from './norm';
import { adagradUpdate, adamUpdate, clipNorm, clipValue, rmspropUpdate, sgdUpdate, sumSquares } from './optim';
import {
  addBcast,
  bmm,
  concat,
  convTranspose2d,
  exp,
  fillGrad,
  gather,
  gatherGrad,
  meanAxis,
  meanAxisGrad,
  randn,
  scale,
  slice,
  sliceAcc,
  sliceGrad,
  softmax,
  softmaxGrad,
  stopGrad,
  sum,
  transpose,
  upsample,
  upsampleGrad,
} from './tensor';

export type CpuKernel<K extends OpKind> = (op: OpOf<K>, mem: CpuMemory) => Thunk;

export const CPU_KERNELS: { [K in OpKind]: CpuKernel<K> } = {
  matmul,
  conv2d,
  maxpool2d,
  avgpool2d,
  batchnorm,
  layernorm,
  dropout,
  unary,
  add,
  loss,
  unary_grad: unaryGrad,
  mul,
  channel_sum: channelSum,
  conv2d_grad_input: conv2dGradInput,
  conv2d_grad_weight: conv2dGradWeight,
  maxpool2d_grad: maxpool2dGrad,
  avgpool2d_grad: avgpool2dGrad,
  batchnorm_grad: batchnormGrad,
  layernorm_grad: layernormGrad,
  loss_grad: lossGradKernel,
  penalty_grad: penaltyGrad,
  sum_squares: sumSquares,
  clip_norm: clipNorm,
  clip_value: clipValue,
  sgd_update: sgdUpdate,
  rmsprop_update: rmspropUpdate,
  adagrad_update: adagradUpdate,
  adam_update: adamUpdate,
  accuracy,
  batchnorm_eval: batchnormEval,
  add_bcast: addBcast,
  slice,
  slice_grad: sliceGrad,
  slice_acc: sliceAcc,
  concat,
  transpose,
  bmm,
  softmax,
  softmax_grad: softmaxGrad,
  gather,
  gather_grad: gatherGrad,
  mean_axis: meanAxis,
  mean_axis_grad: meanAxisGrad,
  upsample,
  upsample_grad: upsampleGrad,
  conv_transpose2d: convTranspose2d,
  scale,
  exp,
  stop_grad: stopGrad,
  randn,
  sum,
  fill_grad: fillGrad,
};

export function prepare(op: Op, mem: CpuMemory): Thunk {
  // With the arenas in WebAssembly memory, the SIMD variant of a kernel runs where one exists (simd/kernels.ts).
  const fast = mem.simd === null ? null : prepareSimd(op, mem);
  if (fast !== null) return fast;
  // The table is exhaustive by type; the cast only recovers the kind-to-op correlation TypeScript cannot track.
  return (CPU_KERNELS[op.kind] as CpuKernel<OpKind>)(op as never, mem);
}
