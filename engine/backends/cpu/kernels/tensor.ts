// Tensor ops of the graph core (engine/graph/ops.ts "tensor ops"): broadcasting add, slices, concatenation,
// transposes, batched matmul, softmax, embedding lookup, axis means, upsampling, transposed convolution, scaling,
// sums and normal samples, with their backward kernels. Sums accumulate in float64 and round once.

import type { OpOf } from '../../../graph/ops';
import { rngNormal } from '../../../rng/rng';
import type { CpuMemory, Thunk } from '../memory';
import { conv2dGradInput } from './conv';

export function addBcast(op: OpOf<'add_bcast'>, mem: CpuMemory): Thunk {
  const a = mem.view(op.a);
  const b = mem.view(op.b);
  const out = mem.view(op.out);
  const { outer, inner } = op;
  return () => {
    for (let o = 0; o < outer; o++) {
      const base = o * inner;
      for (let i = 0; i < inner; i++) out[base + i] = a[base + i] + b[i];
    }
  };
}

export function slice(op: OpOf<'slice'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { outer, inSize, start, len } = op;
  return () => {
    for (let o = 0; o < outer; o++) out.set(x.subarray(o * inSize + start, o * inSize + start + len), o * len);
  };
}

export function sliceGrad(op: OpOf<'slice_grad'>, mem: CpuMemory): Thunk {
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const { outer, inSize, start, len } = op;
  return () => {
    dx.fill(0);
    for (let o = 0; o < outer; o++) dx.set(dy.subarray(o * len, (o + 1) * len), o * inSize + start);
  };
}

export function sliceAcc(op: OpOf<'slice_acc'>, mem: CpuMemory): Thunk {
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const { outer, inSize, start, len } = op;
  return () => {
    for (let o = 0; o < outer; o++) {
      const d = o * inSize + start;
      const s = o * len;
      for (let j = 0; j < len; j++) dx[d + j] += dy[s + j];
    }
  };
}

export function concat(op: OpOf<'concat'>, mem: CpuMemory): Thunk {
  const xs = op.inputs.map((t) => mem.view(t));
  const out = mem.view(op.out);
  const { outer, sizes } = op;
  const total = sizes.reduce((a, b) => a + b, 0);
  return () => {
    let start = 0;
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k];
      const len = sizes[k];
      for (let o = 0; o < outer; o++) out.set(x.subarray(o * len, (o + 1) * len), o * total + start);
      start += len;
    }
  };
}

export function transpose(op: OpOf<'transpose'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { outer, a, b, inner } = op;
  return () => {
    for (let o = 0; o < outer; o++) {
      const base = o * a * b * inner;
      for (let i = 0; i < a; i++)
        for (let j = 0; j < b; j++) {
          const src = base + (i * b + j) * inner;
          const dst = base + (j * a + i) * inner;
          for (let e = 0; e < inner; e++) out[dst + e] = x[src + e];
        }
    }
  };
}

export function bmm(op: OpOf<'bmm'>, mem: CpuMemory): Thunk {
  const A = mem.view(op.a);
  const B = mem.view(op.b);
  const out = mem.view(op.out);
  const { batch, m, n, k, transA, transB, alpha } = op;
  // Element strides of op(a)(i, p) and op(b)(p, j) within one batch entry.
  const ai = transA ? 1 : k;
  const ap = transA ? m : 1;
  const bp = transB ? 1 : n;
  const bj = transB ? k : 1;
  return () => {
    for (let q = 0; q < batch; q++) {
      const a0 = q * m * k;
      const b0 = q * k * n;
      const o0 = q * m * n;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += A[a0 + i * ai + p * ap] * B[b0 + p * bp + j * bj];
          out[o0 + i * n + j] = alpha * s;
        }
    }
  };
}

export function softmax(op: OpOf<'softmax'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { rows, cols, causal } = op;
  return () => {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const valid = causal > 0 ? Math.min(cols, (r % causal) + 1) : cols;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < valid; j++) max = Math.max(max, x[base + j]);
      let z = 0;
      for (let j = 0; j < valid; j++) z += Math.exp(x[base + j] - max);
      for (let j = 0; j < cols; j++) out[base + j] = j < valid ? Math.exp(x[base + j] - max) / z : 0;
    }
  };
}

export function softmaxGrad(op: OpOf<'softmax_grad'>, mem: CpuMemory): Thunk {
  const y = mem.view(op.y);
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const { rows, cols } = op;
  return () => {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += dy[base + j] * y[base + j];
      for (let j = 0; j < cols; j++) dx[base + j] = y[base + j] * (dy[base + j] - dot);
    }
  };
}

export function gather(op: OpOf<'gather'>, mem: CpuMemory): Thunk {
  const table = mem.view(op.table);
  const index = mem.view(op.index);
  const out = mem.view(op.out);
  const { rows, dim, vocab } = op;
  return () => {
    for (let r = 0; r < rows; r++) {
      const v = index[r];
      if (v >= 0 && v < vocab && Number.isInteger(v)) out.set(table.subarray(v * dim, (v + 1) * dim), r * dim);
      else out.fill(0, r * dim, (r + 1) * dim);
    }
  };
}

export function gatherGrad(op: OpOf<'gather_grad'>, mem: CpuMemory): Thunk {
  const index = mem.view(op.index);
  const dy = mem.view(op.dy);
  const dt = mem.view(op.dtable);
  const { rows, dim, vocab } = op;
  mem.reserveScratch(vocab * dim);
  return () => {
    const acc = mem.scratch;
    acc.fill(0, 0, vocab * dim);
    for (let r = 0; r < rows; r++) {
      const v = index[r];
      if (!(v >= 0 && v < vocab && Number.isInteger(v))) continue;
      for (let e = 0; e < dim; e++) acc[v * dim + e] += dy[r * dim + e];
    }
    for (let i = 0; i < vocab * dim; i++) dt[i] = acc[i];
  };
}

export function meanAxis(op: OpOf<'mean_axis'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { outer, n, inner } = op;
  return () => {
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += x[(o * n + j) * inner + i];
        out[o * inner + i] = s / n;
      }
  };
}

export function meanAxisGrad(op: OpOf<'mean_axis_grad'>, mem: CpuMemory): Thunk {
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const { outer, n, inner } = op;
  return () => {
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < n; j++) for (let i = 0; i < inner; i++) dx[(o * n + j) * inner + i] = dy[o * inner + i] / n;
  };
}

export function upsample(op: OpOf<'upsample'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { planes, h, w, scale } = op;
  const H = h * scale;
  const W = w * scale;
  return () => {
    for (let p = 0; p < planes; p++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++)
          out[(p * H + i) * W + j] = x[(p * h + Math.floor(i / scale)) * w + Math.floor(j / scale)];
  };
}

export function upsampleGrad(op: OpOf<'upsample_grad'>, mem: CpuMemory): Thunk {
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const { planes, h, w, scale } = op;
  const H = h * scale;
  const W = w * scale;
  return () => {
    for (let p = 0; p < planes; p++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) {
          let s = 0;
          for (let a = 0; a < scale; a++)
            for (let b = 0; b < scale; b++) s += dy[(p * H + i * scale + a) * W + j * scale + b];
          dx[(p * h + i) * w + j] = s;
        }
  };
}

export function convTranspose2d(op: OpOf<'conv_transpose2d'>, mem: CpuMemory): Thunk {
  const { kind: _k, x, weight, bias, out, ...dims } = op;
  const gradInput = conv2dGradInput({ kind: 'conv2d_grad_input', dy: x, weight, dx: out, ...dims }, mem);
  const o = mem.view(out);
  const b = bias === null ? null : mem.view(bias);
  const plane = dims.h * dims.w;
  return () => {
    gradInput();
    if (b === null) return;
    for (let q = 0; q < dims.n; q++)
      for (let c = 0; c < dims.c; c++) {
        const base = (q * dims.c + c) * plane;
        for (let i = 0; i < plane; i++) o[base + i] += b[c];
      }
  };
}

export function scale(op: OpOf<'scale'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { size, factor } = op;
  return () => {
    for (let i = 0; i < size; i++) out[i] = factor * x[i];
  };
}

export function exp(op: OpOf<'exp'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { size, factor } = op;
  return () => {
    for (let i = 0; i < size; i++) out[i] = Math.exp(factor * x[i]);
  };
}

export function stopGrad(op: OpOf<'stop_grad'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  return () => out.set(x.subarray(0, op.size));
}

export function randn(op: OpOf<'randn'>, mem: CpuMemory): Thunk {
  const out = mem.view(op.out);
  const { size, stream } = op;
  const seed = mem.program.seed;
  return () => {
    const step = mem.step;
    for (let i = 0; i < size; i++) out[i] = rngNormal(seed, stream, step, i);
  };
}

export function sum(op: OpOf<'sum'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  return () => {
    let s = 0;
    for (let i = 0; i < op.size; i++) s += x[i];
    out[0] = s;
  };
}

export function fillGrad(op: OpOf<'fill_grad'>, mem: CpuMemory): Thunk {
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  return () => dx.fill(dy[0], 0, op.size);
}
