// The WebGPU kernel table: one entry per op kind, typed so that a new op kind without a kernel is a compile error.
import type { OpOf } from '../../../graph/ops';
import type { KernelLaunch } from '../shader';
import type { KernelContext, WebGpuKernelTable } from './context';
import { type ConvShape, channelSum } from './conv';
import {
  conv2dForwardGemm,
  conv2dGradInputGemm,
  conv2dGradInputPadded,
  conv2dGradWeightGemm,
  gradInputPadFloats,
} from './convGemm';
import { accuracy, loss, lossGrad } from './loss';
import { matmulLaunch } from './matmul';
import { batchnorm, batchnormEval, batchnormGrad, layernorm, layernormGrad } from './norm';
import {
  adagradUpdate,
  adamUpdate,
  clipNorm,
  clipValue,
  penaltyGrad,
  rmspropUpdate,
  sgdUpdate,
  sumSquares,
} from './optim';
import { add, dropout, mul, unary, unaryGrad } from './pointwise';
import { type PoolShape, poolBackward, poolForward } from './pool';
import * as tensor from './tensor';

type ConvLike = OpOf<'conv2d' | 'conv2d_grad_input' | 'conv2d_grad_weight'>;
type PoolLike = OpOf<'maxpool2d' | 'avgpool2d' | 'maxpool2d_grad' | 'avgpool2d_grad'>;

export function convShape(op: ConvLike): ConvShape {
  return { N: op.n, Cin: op.c, H: op.h, W: op.w, Cout: op.f, KH: op.kh, KW: op.kw, stride: op.stride, padding: op.pad };
}
export function poolShape(op: PoolLike): PoolShape {
  if (op.kh !== op.kw) throw new Error(`pooling with a ${op.kh}x${op.kw} window: only square windows are supported`);
  return { N: op.n, C: op.c, H: op.h, W: op.w, kernel: op.kh, stride: op.stride };
}

const one = (l: KernelLaunch): KernelLaunch[] => [l];

export const KERNELS: WebGpuKernelTable = {
  matmul: (op, ctx) =>
    one(
      matmulLaunch({
        label: 'matmul',
        M: op.m,
        N: op.n,
        K: op.k,
        transA: op.transA,
        transB: op.transB,
        a: ctx.view(op.a),
        b: ctx.view(op.b),
        bias: op.bias === null ? undefined : ctx.view(op.bias),
        out: ctx.view(op.out),
        select: ctx.kernels,
      }),
    ),
  conv2d: (op, ctx) =>
    one(
      conv2dForwardGemm(
        'conv',
        convShape(op),
        ctx.view(op.x),
        ctx.view(op.weight),
        op.bias === null ? undefined : ctx.view(op.bias),
        ctx.view(op.out),
        undefined,
        ctx.kernels,
      ),
    ),
  conv2d_grad_input: (op, ctx) => {
    const s = convShape(op);
    // Stride 1: pad dy once into scratch, then a bounds-check-free GEMM; otherwise the select-guarded GEMM.
    if (ctx.scratch && s.stride === 1 && s.padding < s.KH && s.padding < s.KW)
      return conv2dGradInputPadded(
        'conv',
        s,
        ctx.view(op.dy),
        ctx.view(op.weight),
        ctx.view(op.dx),
        ctx.scratch(gradInputPadFloats(s), 'conv-grad-input-pad'),
      );
    return one(conv2dGradInputGemm('conv', s, ctx.view(op.dy), ctx.view(op.weight), ctx.view(op.dx)));
  },
  conv2d_grad_weight: (op, ctx) =>
    one(
      // Split-K (a workgroup per output tile) pays on GPUs; on CPU rasterisers its barriers cost more than it saves.
      conv2dGradWeightGemm(
        'conv',
        convShape(op),
        ctx.view(op.dy),
        ctx.view(op.x),
        ctx.view(op.dweight),
        ctx.software ? false : undefined,
      ),
    ),
  maxpool2d: (op, ctx) => one(poolForward('pool', 'max', poolShape(op), ctx.view(op.x), ctx.view(op.out))),
  avgpool2d: (op, ctx) => one(poolForward('pool', 'avg', poolShape(op), ctx.view(op.x), ctx.view(op.out))),
  maxpool2d_grad: (op, ctx) =>
    one(poolBackward('pool', 'max', poolShape(op), ctx.view(op.x), ctx.view(op.dy), ctx.view(op.dx))),
  avgpool2d_grad: (op, ctx) =>
    one(poolBackward('pool', 'avg', poolShape(op), undefined, ctx.view(op.dy), ctx.view(op.dx))),
  channel_sum: (op, ctx: KernelContext) =>
    one(channelSum('bias-grad', op.outer, op.channels, op.inner, ctx.view(op.x), ctx.view(op.out))),
  batchnorm,
  batchnorm_eval: batchnormEval,
  batchnorm_grad: batchnormGrad,
  layernorm,
  layernorm_grad: layernormGrad,
  dropout,
  unary,
  unary_grad: unaryGrad,
  add,
  mul,
  loss,
  loss_grad: lossGrad,
  accuracy,
  penalty_grad: penaltyGrad,
  sum_squares: sumSquares,
  clip_norm: clipNorm,
  clip_value: clipValue,
  sgd_update: sgdUpdate,
  rmsprop_update: rmspropUpdate,
  adagrad_update: adagradUpdate,
  adam_update: adamUpdate,
  add_bcast: tensor.addBcast,
  slice: tensor.slice,
  slice_grad: tensor.sliceGrad,
  slice_acc: tensor.sliceAcc,
  concat: tensor.concat,
  transpose: tensor.transpose,
  bmm: tensor.bmm,
  softmax: tensor.softmax,
  softmax_grad: tensor.softmaxGrad,
  gather: tensor.gather,
  gather_grad: tensor.gatherGrad,
  mean_axis: tensor.meanAxis,
  mean_axis_grad: tensor.meanAxisGrad,
  upsample: tensor.upsample,
  upsample_grad: tensor.upsampleGrad,
  conv_transpose2d: tensor.convTranspose2d,
  scale: tensor.scale,
  exp: tensor.exp,
  stop_grad: tensor.stopGrad,
  randn: tensor.randn,
  sum: tensor.sum,
  fill_grad: tensor.fillGrad,
};

/** The launches of one op, dispatched through the table. */
export function opLaunches<K extends keyof WebGpuKernelTable>(op: OpOf<K>, ctx: KernelContext): KernelLaunch[] {
  return (KERNELS[op.kind] as (o: OpOf<K>, c: KernelContext) => KernelLaunch[])(op, ctx);
}
