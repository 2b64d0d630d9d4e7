// Direct 2-D convolution, pooling and their gradients (NCHW, weight [f, c, kh, kw]). Gradients that scatter
// (input gradients, max pooling) accumulate in float64 scratch and are written once.

import type { OpOf } from '../../../graph/ops';
import type { CpuMemory, Thunk } from '../memory';

/** For each kernel offset k, the output positions o whose input o*stride - pad + k lies inside [0, size):
 * lo[k] <= o <= hi[k] (empty when lo > hi). Hoisting these ranges leaves branch-free inner loops. */
function validRanges(kernel: number, size: number, outSize: number, stride: number, pad: number) {
  const lo = new Int32Array(kernel);
  const hi = new Int32Array(kernel);
  for (let k = 0; k < kernel; k++) {
    lo[k] = Math.max(0, Math.ceil((pad - k) / stride));
    hi[k] = Math.min(outSize - 1, Math.floor((size - 1 + pad - k) / stride));
  }
  return { lo, hi };
}

export function conv2d(op: OpOf<'conv2d'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const wt = mem.view(op.weight);
  const out = mem.view(op.out);
  const bias = op.bias === null ? null : mem.view(op.bias);
  const { n, c, h, w, f, kh, kw, stride, pad, oh, ow } = op;
  const ry = validRanges(kh, h, oh, stride, pad);
  const rx = validRanges(kw, w, ow, stride, pad);
  const plane = oh * ow;
  mem.reserveScratch(plane);
  // Weight-stationary order: one weight times a run of contiguous inputs per inner loop.
  return () => {
    const acc = mem.scratch;
    for (let b = 0; b < n; b++)
      for (let o = 0; o < f; o++) {
        acc.fill(bias === null ? 0 : bias[o], 0, plane);
        for (let ci = 0; ci < c; ci++) {
          const xb = (b * c + ci) * h;
          const wb = (o * c + ci) * kh;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const wv = wt[(wb + ky) * kw + kx];
              const x0 = rx.lo[kx];
              const x1 = rx.hi[kx];
              for (let oy = ry.lo[ky]; oy <= ry.hi[ky]; oy++) {
                const xr = (xb + oy * stride - pad + ky) * w - pad + kx;
                const ar = oy * ow;
                for (let ox = x0; ox <= x1; ox++) acc[ar + ox] += wv * x[xr + ox * stride];
              }
            }
        }
        const ob = (b * f + o) * plane;
        for (let i = 0; i < plane; i++) out[ob + i] = acc[i];
      }
  };
}

export function conv2dGradInput(op: OpOf<'conv2d_grad_input'>, mem: CpuMemory): Thunk {
  const dy = mem.view(op.dy);
  const wt = mem.view(op.weight);
  const dx = mem.view(op.dx);
  const { n, c, h, w, f, kh, kw, stride, pad, oh, ow } = op;
  const ry = validRanges(kh, h, oh, stride, pad);
  const rx = validRanges(kw, w, ow, stride, pad);
  const plane = h * w;
  mem.reserveScratch(plane);
  return () => {
    const acc = mem.scratch;
    for (let b = 0; b < n; b++)
      for (let ci = 0; ci < c; ci++) {
        acc.fill(0, 0, plane);
        for (let o = 0; o < f; o++) {
          const yb = (b * f + o) * oh;
          const wb = (o * c + ci) * kh;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const wv = wt[(wb + ky) * kw + kx];
              const x0 = rx.lo[kx];
              const x1 = rx.hi[kx];
              for (let oy = ry.lo[ky]; oy <= ry.hi[ky]; oy++) {
                const ar = (oy * stride - pad + ky) * w - pad + kx;
                const yr = (yb + oy) * ow;
                for (let ox = x0; ox <= x1; ox++) acc[ar + ox * stride] += wv * dy[yr + ox];
              }
            }
        }
        const xb = (b * c + ci) * plane;
        for (let i = 0; i < plane; i++) dx[xb + i] = acc[i];
      }
  };
}

export function conv2dGradWeight(op: OpOf<'conv2d_grad_weight'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const dy = mem.view(op.dy);
  const dw = mem.view(op.dweight);
  const { n, c, h, w, f, kh, kw, stride, pad, oh, ow } = op;
  const ry = validRanges(kh, h, oh, stride, pad);
  const rx = validRanges(kw, w, ow, stride, pad);
  return () => {
    for (let o = 0; o < f; o++)
      for (let ci = 0; ci < c; ci++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            let s = 0;
            const x0 = rx.lo[kx];
            const x1 = rx.hi[kx];
            for (let b = 0; b < n; b++) {
              const yb = (b * f + o) * oh;
              const xb = (b * c + ci) * h;
              for (let oy = ry.lo[ky]; oy <= ry.hi[ky]; oy++) {
                const yr = (yb + oy) * ow;
                const xr = (xb + oy * stride - pad + ky) * w - pad + kx;
                for (let ox = x0; ox <= x1; ox++) s += dy[yr + ox] * x[xr + ox * stride];
              }
            }
            dw[((o * c + ci) * kh + ky) * kw + kx] = s;
          }
  };
}

/** Index (within x) of the first maximum of a pooling window, as PyTorch picks it (NaN wins). */
function windowArgmax(
  x: Float32Array,
  base: number,
  w: number,
  y0: number,
  x0: number,
  kh: number,
  kw: number,
): number {
  let best = base + y0 * w + x0;
  let bv = Number.NEGATIVE_INFINITY;
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++) {
      const idx = base + (y0 + ky) * w + x0 + kx;
      const v = x[idx];
      if (v > bv || Number.isNaN(v)) {
        bv = v;
        best = idx;
        if (Number.isNaN(v)) return best;
      }
    }
  return best;
}

export function maxpool2d(op: OpOf<'maxpool2d'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { n, c, h, w, kh, kw, stride, oh, ow } = op;
  return () => {
    for (let p = 0; p < n * c; p++) {
      const base = p * h * w;
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++)
          out[(p * oh + oy) * ow + ox] = x[windowArgmax(x, base, w, oy * stride, ox * stride, kh, kw)];
    }
  };
}

export function maxpool2dGrad(op: OpOf<'maxpool2d_grad'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const { n, c, h, w, kh, kw, stride, oh, ow } = op;
  mem.reserveScratch(dx.length);
  return () => {
    const acc = mem.scratch;
    acc.fill(0, 0, dx.length);
    for (let p = 0; p < n * c; p++) {
      const base = p * h * w;
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++)
          acc[windowArgmax(x, base, w, oy * stride, ox * stride, kh, kw)] += dy[(p * oh + oy) * ow + ox];
    }
    for (let i = 0; i < dx.length; i++) dx[i] = acc[i];
  };
}

export function avgpool2d(op: OpOf<'avgpool2d'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { n, c, h, w, kh, kw, stride, oh, ow } = op;
  const inv = 1 / (kh * kw);
  return () => {
    for (let p = 0; p < n * c; p++) {
      const base = p * h * w;
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++) {
          let s = 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) s += x[base + (oy * stride + ky) * w + ox * stride + kx];
          out[(p * oh + oy) * ow + ox] = s * inv;
        }
    }
  };
}

export function avgpool2dGrad(op: OpOf<'avgpool2d_grad'>, mem: CpuMemory): Thunk {
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const { n, c, h, w, kh, kw, stride, oh, ow } = op;
  const inv = 1 / (kh * kw);
  mem.reserveScratch(dx.length);
  return () => {
    const acc = mem.scratch;
    acc.fill(0, 0, dx.length);
    for (let p = 0; p < n * c; p++) {
      const base = p * h * w;
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++) {
          const g = dy[(p * oh + oy) * ow + ox] * inv;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) acc[base + (oy * stride + ky) * w + ox * stride + kx] += g;
        }
    }
    for (let i = 0; i < dx.length; i++) dx[i] = acc[i];
  };
}
