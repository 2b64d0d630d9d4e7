// Matmul (dense layers and their gradients), bias/channel sums and elementwise add/mul. Sums accumulate in float64
// (the JS number), then round once to float32: at least as accurate as PyTorch's float32 kernels.

import type { OpOf } from '../../../graph/ops';
import type { CpuMemory, Thunk } from '../memory';

export function matmul(op: OpOf<'matmul'>, mem: CpuMemory): Thunk {
  const a = mem.view(op.a);
  const b = mem.view(op.b);
  const out = mem.view(op.out);
  const bias = op.bias === null ? null : mem.view(op.bias);
  const { m, n, k, transA, transB } = op;
  // a(i,p) is a[i*k+p], or a[p*m+i] when transposed.
  const sa = transA ? 1 : k;
  const pa = transA ? m : 1;
  if (transB) {
    // b stored [n, k]: each output is a dot product of a row of op(a) with a contiguous row of b.
    return () => {
      for (let i = 0; i < m; i++) {
        const ai = i * sa;
        for (let j = 0; j < n; j++) {
          const bj = j * k;
          let s = bias === null ? 0 : bias[j];
          for (let p = 0; p < k; p++) s += a[ai + p * pa] * b[bj + p];
          out[i * n + j] = s;
        }
      }
    };
  }
  // b stored [k, n]: i-k-j order, accumulating one output row in float64 scratch.
  mem.reserveScratch(n);
  return () => {
    const acc = mem.scratch;
    for (let i = 0; i < m; i++) {
      if (bias === null) acc.fill(0, 0, n);
      else for (let j = 0; j < n; j++) acc[j] = bias[j];
      const ai = i * sa;
      for (let p = 0; p < k; p++) {
        const av = a[ai + p * pa];
        if (av === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) acc[j] += av * b[bp + j];
      }
      const oi = i * n;
      for (let j = 0; j < n; j++) out[oi + j] = acc[j];
    }
  };
}

export function channelSum(op: OpOf<'channel_sum'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { outer, channels, inner } = op;
  return () => {
    for (let c = 0; c < channels; c++) {
      let s = 0;
      for (let o = 0; o < outer; o++) {
        const base = (o * channels + c) * inner;
        for (let i = 0; i < inner; i++) s += x[base + i];
      }
      out[c] = s;
    }
  };
}

export function add(op: OpOf<'add'>, mem: CpuMemory): Thunk {
  const a = mem.view(op.a);
  const b = mem.view(op.b);
  const out = mem.view(op.out);
  const size = op.size;
  return () => {
    for (let i = 0; i < size; i++) out[i] = a[i] + b[i];
  };
}

export function mul(op: OpOf<'mul'>, mem: CpuMemory): Thunk {
  const a = mem.view(op.a);
  const b = mem.view(op.b);
  const out = mem.view(op.out);
  const size = op.size;
  return () => {
    for (let i = 0; i < size; i++) out[i] = a[i] * b[i];
  };
}
