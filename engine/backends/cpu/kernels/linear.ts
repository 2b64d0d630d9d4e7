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
    // b stored [n, k]: dot products of rows of op(a) with contiguous rows of b, four rows of a at a time so each
    // row of b is streamed from memory once per four outputs (the MNIST-sized layers are memory-bound otherwise).
    return () => {
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const a0 = i * sa;
        const a1 = a0 + sa;
        const a2 = a1 + sa;
        const a3 = a2 + sa;
        for (let j = 0; j < n; j++) {
          const bj = j * k;
          const b0 = bias === null ? 0 : bias[j];
          let s0 = b0;
          let s1 = b0;
          let s2 = b0;
          let s3 = b0;
          for (let p = 0; p < k; p++) {
            const bv = b[bj + p];
            const q = p * pa;
            s0 += a[a0 + q] * bv;
            s1 += a[a1 + q] * bv;
            s2 += a[a2 + q] * bv;
            s3 += a[a3 + q] * bv;
          }
          out[i * n + j] = s0;
          out[(i + 1) * n + j] = s1;
          out[(i + 2) * n + j] = s2;
          out[(i + 3) * n + j] = s3;
        }
      }
      for (; i < m; i++) {
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
  // b stored [k, n]: i-k-j order, four output rows at a time accumulating in float64 scratch, so each row of b is
  // read once per four output rows.
  mem.reserveScratch(4 * n);
  return () => {
    const acc = mem.scratch;
    let i = 0;
    for (; i < m; i += 4) {
      const rows = Math.min(4, m - i);
      for (let r = 0; r < 4; r++) {
        const o = r * n;
        if (bias === null || r >= rows) acc.fill(0, o, o + n);
        else for (let j = 0; j < n; j++) acc[o + j] = bias[j];
      }
      const a0 = i * sa;
      for (let p = 0; p < k; p++) {
        const q = a0 + p * pa;
        const v0 = a[q];
        const v1 = rows > 1 ? a[q + sa] : 0;
        const v2 = rows > 2 ? a[q + 2 * sa] : 0;
        const v3 = rows > 3 ? a[q + 3 * sa] : 0;
        if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          const bv = b[bp + j];
          acc[j] += v0 * bv;
          acc[n + j] += v1 * bv;
          acc[2 * n + j] += v2 * bv;
          acc[3 * n + j] += v3 * bv;
        }
      }
      for (let r = 0; r < rows; r++) {
        const oi = (i + r) * n;
        const o = r * n;
        for (let j = 0; j < n; j++) out[oi + j] = acc[o + j];
      }
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
