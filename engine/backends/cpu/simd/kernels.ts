// The CPU kernels that run in WebAssembly SIMD (assembly/kernels.ts) when the executor's arenas live in wasm memory:
// matmul in all its transposes, conv2d with both gradients as im2col + GEMM per image, and the ops profiling of the
// benchmark nets showed next (Adam, relu and its gradient, max pooling, bias sums). Every other op kind
// keeps its plain JS kernel (kernels/table.ts), which works on the same memory. A kernel here returns null to decline
// (the JS kernel runs instead).
//
// Precision: the SIMD GEMM accumulates in float32 (as PyTorch's CPU kernels do), where the JS kernels accumulate in
// float64; the golden fixtures hold both within their tolerance.

import type { Op, OpOf } from '../../../graph/ops';
import type { CpuMemory, Thunk } from '../memory';
import { type SimdArena, scratchOf } from './arena';
import type { SimdExports } from './module';
import { adaptiveGemm, worthSplitting } from './threads/pool';

/** Byte offset of a tensor in wasm memory (views are made over the memory's buffer, see memory.ts). */
function ptr(mem: CpuMemory, id: number): number {
  return mem.view(id).byteOffset;
}

/** The arena's GEMM for an m x n x k product: for one big enough, split by rows across its threads or not,
 * whichever runs faster here (timed at run time), else the kernel itself on this thread. The same signature and,
 * element for element, the same result. */
function gemmOf(s: SimdArena, m: number, n: number, k: number): SimdExports['gemm'] {
  return s.team !== null && worthSplitting(m, n, k) ? adaptiveGemm(s.team.gemm, s.ex.gemm) : s.ex.gemm;
}

function matmul(op: OpOf<'matmul'>, mem: CpuMemory): Thunk {
  const ex = mem.simd?.ex;
  if (ex === undefined || mem.simd === null) throw new Error('no SIMD arena');
  const { m, n, k } = op;
  const a = ptr(mem, op.a);
  const b = ptr(mem, op.b);
  const c = ptr(mem, op.out);
  const bias = op.bias === null ? 0 : ptr(mem, op.bias);
  const ta = op.transA ? 1 : 0;
  const tb = op.transB ? 1 : 0;
  const mode = op.bias === null ? 0 : 1;
  const pack = mem.simd.packByte;
  const gemm = gemmOf(mem.simd, m, n, k);
  return () => gemm(m, n, k, a, ta, b, tb, c, bias, mode, 0, pack);
}

function conv2d(op: OpOf<'conv2d'>, mem: CpuMemory): Thunk {
  const s = mem.simd;
  if (s === null) throw new Error('no SIMD arena');
  const { ex, packByte: pack, colByte: col } = s;
  const { n, c, h, w, f, kh, kw, stride, pad, oh, ow } = op;
  const x = ptr(mem, op.x);
  const wt = ptr(mem, op.weight);
  const out = ptr(mem, op.out);
  const bias = op.bias === null ? 0 : ptr(mem, op.bias);
  const mode = op.bias === null ? 0 : 2;
  const kk = c * kh * kw;
  const np = oh * ow;
  const inImg = 4 * c * h * w;
  const outImg = 4 * f * np;
  const gemm = gemmOf(s, f, np, kk);
  // out_b[f, np] = W[f, kk] col_b[kk, np] + bias per row (output channel).
  return () => {
    for (let b = 0; b < n; b++) {
      ex.im2col(x + b * inImg, c, h, w, kh, kw, stride, pad, oh, ow, col);
      gemm(f, np, kk, wt, 0, col, 0, out + b * outImg, bias, mode, 0, pack);
    }
  };
}

function conv2dGradInput(op: OpOf<'conv2d_grad_input'>, mem: CpuMemory): Thunk {
  const s = mem.simd;
  if (s === null) throw new Error('no SIMD arena');
  const { ex, packByte: pack, colByte: col } = s;
  const { n, c, h, w, f, kh, kw, stride, pad, oh, ow } = op;
  const dy = ptr(mem, op.dy);
  const wt = ptr(mem, op.weight);
  const dx = ptr(mem, op.dx);
  const kk = c * kh * kw;
  const np = oh * ow;
  const inImg = 4 * c * h * w;
  const outImg = 4 * f * np;
  const gemm = gemmOf(s, kk, np, f);
  // dcol_b[kk, np] = W^T dy_b (W stored [f, kk]), then scattered back to the image.
  return () => {
    for (let b = 0; b < n; b++) {
      gemm(kk, np, f, wt, 1, dy + b * outImg, 0, col, 0, 0, 0, pack);
      ex.col2im(col, c, h, w, kh, kw, stride, pad, oh, ow, dx + b * inImg);
    }
  };
}

function conv2dGradWeight(op: OpOf<'conv2d_grad_weight'>, mem: CpuMemory): Thunk {
  const s = mem.simd;
  if (s === null) throw new Error('no SIMD arena');
  const { ex, packByte: pack, colByte: col } = s;
  const { n, c, h, w, f, kh, kw, stride, pad, oh, ow } = op;
  const x = ptr(mem, op.x);
  const dy = ptr(mem, op.dy);
  const dw = mem.view(op.dweight);
  const kk = c * kh * kw;
  const np = oh * ow;
  const inImg = 4 * c * h * w;
  const outImg = 4 * f * np;
  const tByte = col + 4 * kk * np;
  const t = new Float32Array(s.memory.buffer, tByte, kk * f);
  // Transposed, dW^T[kk, f] = sum_b col_b[kk, np] dy_b^T: the long side (kk) fills the 4-row blocks and only the
  // small dy_b is packed. Then dW[o, q] = dW^T[q, o].
  const gemm = gemmOf(s, kk, f, np);
  return () => {
    for (let b = 0; b < n; b++) {
      ex.im2col(x + b * inImg, c, h, w, kh, kw, stride, pad, oh, ow, col);
      gemm(kk, f, np, col, 0, dy + b * outImg, 1, tByte, 0, 0, b > 0 ? 1 : 0, pack);
    }
    for (let o = 0; o < f; o++) for (let q = 0; q < kk; q++) dw[o * kk + q] = t[q * f + o];
  };
}

function unary(op: OpOf<'unary'>, mem: CpuMemory): Thunk | null {
  const ex = mem.simd?.ex;
  if (ex === undefined || op.fn !== 'relu') return null;
  const x = ptr(mem, op.x);
  const out = ptr(mem, op.out);
  const size = op.size;
  return () => ex.relu(x, out, size);
}

function unaryGrad(op: OpOf<'unary_grad'>, mem: CpuMemory): Thunk | null {
  const ex = mem.simd?.ex;
  if (ex === undefined || op.fn !== 'relu') return null;
  const x = ptr(mem, op.x);
  const dy = ptr(mem, op.dy);
  const dx = ptr(mem, op.dx);
  const size = op.size;
  return () => ex.reluGrad(x, dy, dx, size);
}

function channelSum(op: OpOf<'channel_sum'>, mem: CpuMemory): Thunk | null {
  const ex = mem.simd?.ex;
  if (ex === undefined) return null;
  const x = ptr(mem, op.x);
  const out = ptr(mem, op.out);
  const { outer, channels, inner } = op;
  return () => ex.channelSum(x, out, outer, channels, inner);
}

function maxpool(op: OpOf<'maxpool2d'>, mem: CpuMemory): Thunk | null {
  const ex = mem.simd?.ex;
  if (ex === undefined || op.pad !== 0) return null;
  const x = ptr(mem, op.x);
  const out = ptr(mem, op.out);
  const { n, c, h, w, kh, kw, stride, oh, ow } = op;
  return () => ex.maxpool(x, out, n * c, h, w, kh, kw, stride, oh, ow);
}

function maxpoolGrad(op: OpOf<'maxpool2d_grad'>, mem: CpuMemory): Thunk | null {
  const ex = mem.simd?.ex;
  if (ex === undefined || op.pad !== 0) return null;
  const x = ptr(mem, op.x);
  const dy = ptr(mem, op.dy);
  const dx = ptr(mem, op.dx);
  const { n, c, h, w, kh, kw, stride, oh, ow } = op;
  return () => ex.maxpoolGrad(x, dy, dx, n * c, h, w, kh, kw, stride, oh, ow);
}

function adam(op: OpOf<'adam_update'>, mem: CpuMemory): Thunk | null {
  const ex = mem.simd?.ex;
  if (ex === undefined) return null;
  const p = ptr(mem, op.param);
  const g = ptr(mem, op.grad);
  const m1 = ptr(mem, op.expAvg);
  const m2 = ptr(mem, op.expAvgSq);
  const { size, decoupled } = op;
  // The per-step scalars in float64, as the JS kernel; the per-element math in float32 lanes.
  return () => {
    const lr = mem.lr;
    const b1 = Number.isNaN(mem.momentum) ? mem.f32(op.beta1) : mem.momentum;
    const b2 = mem.f32(op.beta2);
    const wd = mem.f32(op.weightDecay);
    const t = mem.step + 1;
    const stepSize = lr / (1 - b1 ** t);
    const bc2 = Math.sqrt(1 - b2 ** t);
    const decay = decoupled ? 1 - lr * wd : 1;
    ex.adam(p, g, m1, m2, size, b1, b2, mem.f32(op.eps), wd, decoupled ? 1 : 0, stepSize, bc2, decay);
  };
}

type SimdKernel<K extends Op['kind']> = (op: OpOf<K>, mem: CpuMemory) => Thunk | null;

/** The op kinds with a SIMD kernel (a partial table: the JS table stays the complete one). */
const SIMD_KERNELS: { [K in Op['kind']]?: SimdKernel<K> } = {
  matmul,
  conv2d,
  conv2d_grad_input: conv2dGradInput,
  conv2d_grad_weight: conv2dGradWeight,
  unary,
  unary_grad: unaryGrad,
  channel_sum: channelSum,
  maxpool2d: maxpool,
  maxpool2d_grad: maxpoolGrad,
  adam_update: adam,
};

/** The SIMD thunk of an op, or null when it has none, or when the arena planned too little scratch for it (an op
 * that was not in the program the arena was laid out for). Requires mem.simd. */
export function prepareSimd(op: Op, mem: CpuMemory): Thunk | null {
  const k = SIMD_KERNELS[op.kind] as SimdKernel<Op['kind']> | undefined;
  const s = mem.simd;
  if (k === undefined || s === null) return null;
  const need = scratchOf(op, s.ex);
  if (need.pack > s.packFloats || need.col > s.colFloats) return null;
  return k(op as never, mem);
}
