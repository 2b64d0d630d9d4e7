// AssemblyScript source of the CPU backend's WebAssembly SIMD kernels (compiled by scripts/build-wasm.ts with
// `asc`, twice: plain SIMD, and relaxed SIMD where `madd` becomes a fused multiply-add). Not TypeScript: it is
// excluded from tsconfig and built to engine/backends/cpu/simd/wasmBinaries.js (git-ignored). Each is also built
// over a shared imported memory (for the GEMM threads of simd/threads): the same code, a different memory import.
//
// Every pointer is a byte offset into the one imported memory, which holds the executor's arenas, so kernels read
// and write the tensors in place. Nothing here allocates: scratch space is planned by the host (simd/plan.ts).

// GEMM blocking: a 4x8 register block (8 accumulators of 4 lanes), B packed into panels of 8 columns for KC rows
// of k at a time (KC x 8 x 4 bytes = 8 KiB per panel: stays in L1 while 4 rows of A stream past it).
const MR = 4;
const NR = 8;
const KC = 256;

function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

export function heapBase(): usize {
  return __heap_base;
}

/** Floats of scratch gemm needs to pack B (k x n). */
export function packFloats(n: i32, k: i32): i32 {
  return ((n + NR - 1) / NR) * NR * min(k, KC);
}

/** Relaxed SIMD build? (1 when madd is relaxed_madd.) */
export function relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

/** Packs rows [p0, p0 + kc) of op(B) (k x n) into panels of NR columns: panel q holds kc rows of 8 floats,
 * zero-padded past column n. B is [k, n] row-major, or [n, k] when transB. */
function packB(b: usize, transB: i32, n: i32, k: i32, p0: i32, kc: i32, out: usize): void {
  const panels = (n + NR - 1) / NR;
  for (let q = 0; q < panels; q++) {
    const j0 = q * NR;
    const cols = min(NR, n - j0);
    let dst = out + <usize>(q * kc * NR) * 4;
    if (!transB) {
      let src = b + (<usize>p0 * n + j0) * 4;
      if (cols === NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += <usize>n * 4;
          dst += NR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let jj = 0; jj < NR; jj++) store<f32>(dst + jj * 4, jj < cols ? load<f32>(src + jj * 4) : 0);
          src += <usize>n * 4;
          dst += NR * 4;
        }
      }
    } else {
      for (let jj = 0; jj < NR; jj++) {
        if (jj < cols) {
          let src = b + (<usize>(j0 + jj) * k + p0) * 4;
          let d = dst + jj * 4;
          for (let p = 0; p < kc; p++) {
            store<f32>(d, load<f32>(src));
            src += 4;
            d += NR * 4;
          }
        } else {
          let d = dst + jj * 4;
          for (let p = 0; p < kc; p++) {
            store<f32>(d, 0);
            d += NR * 4;
          }
        }
      }
    }
  }
}

/** Initial accumulator of row i, columns j..j+3: the bias, or C itself when accumulating. */
function init(c: usize, mode: i32, bias: usize, i: i32, j: i32, n: i32, lanes: i32): v128 {
  if (mode === 0) return f32x4.splat(0);
  if (mode === 1) return lanes >= 4 ? v128.load(bias + <usize>j * 4) : loadPartial(bias + <usize>j * 4, lanes);
  if (mode === 2) return f32x4.splat(load<f32>(bias + <usize>i * 4));
  return lanes >= 4 ? v128.load(c + (<usize>i * n + j) * 4) : loadPartial(c + (<usize>i * n + j) * 4, lanes);
}

function loadPartial(p: usize, lanes: i32): v128 {
  let v = f32x4.splat(0);
  if (lanes > 0) v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (lanes > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (lanes > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

function storePartial(p: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) {
    v128.store(p, v);
    return;
  }
  if (lanes > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (lanes > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** C[m, n] = op(A)[m, k] op(B)[k, n] (+ bias), or += when accumulate. op(A) = A^T when transA (A stored [k, m]),
 * op(B) = B^T when transB (B stored [n, k]). biasMode: 0 none, 1 per column (bias[n]), 2 per row (bias[m]).
 * pack: scratch of KC * ceil(n / 8) * 8 floats. */
export function gemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  transA: i32,
  b: usize,
  transB: i32,
  c: usize,
  bias: usize,
  biasMode: i32,
  accumulate: i32,
  pack: usize,
): void {
  gemmRows(m, n, k, a, transA, b, transB, c, bias, biasMode, accumulate, pack, 0, m);
}

/** Rows [rowStart, rowEnd) of gemm's C, rowStart a multiple of the 4-row block and rowEnd one too or m. Every
 * element goes through the same blocks, depth order and accumulators as in gemm, so a GEMM split by rows across
 * threads (each with its own pack scratch, see simd/threads) equals the one-thread result bit for bit. */
export function gemmRows(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  transA: i32,
  b: usize,
  transB: i32,
  c: usize,
  bias: usize,
  biasMode: i32,
  accumulate: i32,
  pack: usize,
  rowStart: i32,
  rowEnd: i32,
): void {
  // Row and depth strides of A in bytes: a(i, p) is at a + i * sr + p * sp.
  const sr: usize = transA ? 4 : <usize>k * 4;
  const sp: usize = transA ? <usize>m * 4 : 4;
  const panels = (n + NR - 1) / NR;
  if (k === 0) {
    // No depth: the result is the bias (or C unchanged).
    if (accumulate) return;
    for (let i = rowStart; i < rowEnd; i++)
      for (let j = 0; j < n; j++)
        store<f32>(
          c + (<usize>i * n + j) * 4,
          biasMode === 1 ? load<f32>(bias + <usize>j * 4) : biasMode === 2 ? load<f32>(bias + <usize>i * 4) : 0,
        );
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB(b, transB, n, k, p0, kc, pack);
    // The first depth block starts from the bias (or C when accumulating), later ones from C.
    const mode = p0 > 0 || accumulate ? 3 : biasMode;
    for (let i = rowStart; i < rowEnd; i += MR) {
      // A last block of fewer than 4 rows repeats its last row in the missing ones and does not store them.
      const rows = min(MR, rowEnd - i);
      const r1: usize = rows > 1 ? sr : 0;
      const r2: usize = rows > 2 ? 2 * sr : r1;
      const r3: usize = rows > 3 ? 3 * sr : r2;
      const i1 = rows > 1 ? i + 1 : i;
      const i2 = rows > 2 ? i + 2 : i1;
      const i3 = rows > 3 ? i + 3 : i2;
      const a0 = a + <usize>i * sr + <usize>p0 * sp;
      for (let q = 0; q < panels; q++) {
        const j = q * NR;
        const cols = min(NR, n - j);
        const l0 = min(4, cols);
        const l1 = cols - 4;
        let c00 = init(c, mode, bias, i, j, n, l0);
        let c01 = init(c, mode, bias, i, j + 4, n, l1);
        let c10 = init(c, mode, bias, i1, j, n, l0);
        let c11 = init(c, mode, bias, i1, j + 4, n, l1);
        let c20 = init(c, mode, bias, i2, j, n, l0);
        let c21 = init(c, mode, bias, i2, j + 4, n, l1);
        let c30 = init(c, mode, bias, i3, j, n, l0);
        let c31 = init(c, mode, bias, i3, j + 4, n, l1);
        let pb = pack + <usize>(q * kc * NR) * 4;
        let pa = a0;
        for (let p = 0; p < kc; p++) {
          const b0 = v128.load(pb);
          const b1 = v128.load(pb, 16);
          const x0 = f32x4.splat(load<f32>(pa));
          const x1 = f32x4.splat(load<f32>(pa + r1));
          const x2 = f32x4.splat(load<f32>(pa + r2));
          const x3 = f32x4.splat(load<f32>(pa + r3));
          c00 = madd(x0, b0, c00);
          c01 = madd(x0, b1, c01);
          c10 = madd(x1, b0, c10);
          c11 = madd(x1, b1, c11);
          c20 = madd(x2, b0, c20);
          c21 = madd(x2, b1, c21);
          c30 = madd(x3, b0, c30);
          c31 = madd(x3, b1, c31);
          pb += NR * 4;
          pa += sp;
        }
        const o = c + (<usize>i * n + j) * 4;
        const rs = <usize>n * 4;
        if (cols === NR && rows === MR) {
          v128.store(o, c00);
          v128.store(o, c01, 16);
          v128.store(o + rs, c10);
          v128.store(o + rs, c11, 16);
          v128.store(o + 2 * rs, c20);
          v128.store(o + 2 * rs, c21, 16);
          v128.store(o + 3 * rs, c30);
          v128.store(o + 3 * rs, c31, 16);
        } else {
          storePartial(o, c00, l0);
          storePartial(o + 16, c01, l1);
          if (rows > 1) {
            storePartial(o + rs, c10, l0);
            storePartial(o + rs + 16, c11, l1);
          }
          if (rows > 2) {
            storePartial(o + 2 * rs, c20, l0);
            storePartial(o + 2 * rs + 16, c21, l1);
          }
          if (rows > 3) {
            storePartial(o + 3 * rs, c30, l0);
            storePartial(o + 3 * rs + 16, c31, l1);
          }
        }
      }
    }
  }
}

/** im2col of one image: col[(ci * kh + ky) * kw + kx, oy * ow + ox] = x[ci, oy * s - pad + ky, ox * s - pad + kx]
 * (0 outside the image). x is the image's [c, h, w] planes. */
export function im2col(
  x: usize,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  stride: i32,
  pad: i32,
  oh: i32,
  ow: i32,
  col: usize,
): void {
  let dst = col;
  for (let ci = 0; ci < c; ci++) {
    const plane = x + <usize>(ci * h * w) * 4;
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++)
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * stride - pad + ky;
          if (iy < 0 || iy >= h) {
            memory.fill(dst, 0, <usize>ow * 4);
            dst += <usize>ow * 4;
            continue;
          }
          const row = plane + <usize>(iy * w) * 4;
          if (stride === 1) {
            // Contiguous run of valid columns, zeros at the padded ends.
            const ix0 = kx - pad;
            for (let ox = 0; ox < ow; ox++) {
              const ix = ix0 + ox;
              store<f32>(dst, ix >= 0 && ix < w ? load<f32>(row + <usize>ix * 4) : 0);
              dst += 4;
            }
          } else {
            for (let ox = 0; ox < ow; ox++) {
              const ix = ox * stride - pad + kx;
              store<f32>(dst, ix >= 0 && ix < w ? load<f32>(row + <usize>ix * 4) : 0);
              dst += 4;
            }
          }
        }
  }
}

/** The adjoint of im2col: dx[ci, iy, ix] = sum of the col entries that read it. Overwrites dx ([c, h, w]). */
export function col2im(
  col: usize,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  stride: i32,
  pad: i32,
  oh: i32,
  ow: i32,
  dx: usize,
): void {
  memory.fill(dx, 0, <usize>(c * h * w) * 4);
  let src = col;
  for (let ci = 0; ci < c; ci++) {
    const plane = dx + <usize>(ci * h * w) * 4;
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++)
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * stride - pad + ky;
          if (iy < 0 || iy >= h) {
            src += <usize>ow * 4;
            continue;
          }
          const row = plane + <usize>(iy * w) * 4;
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * stride - pad + kx;
            if (ix >= 0 && ix < w) {
              const d = row + <usize>ix * 4;
              store<f32>(d, load<f32>(d) + load<f32>(src));
            }
            src += 4;
          }
        }
  }
}

/** relu forward: x > 0 ? x : 0 (NaN and -0 give +0, as the JS kernel). */
export function relu(x: usize, out: usize, size: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= size; i += 4) {
    const o = <usize>i * 4;
    const v = v128.load(x + o);
    v128.store(out + o, v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < size; i++) {
    const v = load<f32>(x + <usize>i * 4);
    store<f32>(out + <usize>i * 4, v > 0 ? v : 0);
  }
}

/** relu gradient: x > 0 ? dy : 0. */
export function reluGrad(x: usize, dy: usize, dx: usize, size: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= size; i += 4) {
    const o = <usize>i * 4;
    v128.store(dx + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < size; i++) {
    const o = <usize>i * 4;
    store<f32>(dx + o, load<f32>(x + o) > 0 ? load<f32>(dy + o) : 0);
  }
}

/** out[c] = sum over (o, i) of x[(o * channels + c) * inner + i], accumulated in float64 as the JS kernel. */
export function channelSum(x: usize, out: usize, outer: i32, channels: i32, inner: i32): void {
  for (let c = 0; c < channels; c++) {
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let tail: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const base = x + <usize>((o * channels + c) * inner) * 4;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const v = v128.load(base + <usize>i * 4);
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
        s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
      }
      for (; i < inner; i++) tail += <f64>load<f32>(base + <usize>i * 4);
    }
    const s = f64x2.add(s0, s1);
    store<f32>(out + <usize>c * 4, <f32>(f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + tail));
  }
}

/** Index (in floats, within x) of the first maximum of a pooling window; NaN wins, as PyTorch picks it. */
function windowArgmax(x: usize, base: i32, w: i32, y0: i32, x0: i32, kh: i32, kw: i32): i32 {
  let best = base + y0 * w + x0;
  let bv: f32 = -Infinity;
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++) {
      const idx = base + (y0 + ky) * w + x0 + kx;
      const v = load<f32>(x + <usize>idx * 4);
      // biome-ignore lint/suspicious/noGlobalIsNan: AssemblyScript's isNaN<f32> is a typed builtin, no coercion.
      if (isNaN<f32>(v)) return idx;
      if (v > bv) {
        bv = v;
        best = idx;
      }
    }
  return best;
}

/** Max pooling (no padding) over planes [planes, h, w] into [planes, oh, ow]. */
export function maxpool(
  x: usize,
  out: usize,
  planes: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  stride: i32,
  oh: i32,
  ow: i32,
): void {
  let o = out;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        store<f32>(o, load<f32>(x + <usize>windowArgmax(x, base, w, oy * stride, ox * stride, kh, kw) * 4));
        o += 4;
      }
  }
}

/** Max pooling's gradient: each dy goes to its window's first maximum (summed where windows overlap). */
export function maxpoolGrad(
  x: usize,
  dy: usize,
  dx: usize,
  planes: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  stride: i32,
  oh: i32,
  ow: i32,
): void {
  memory.fill(dx, 0, <usize>(planes * h * w) * 4);
  let g = dy;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        const d = dx + <usize>windowArgmax(x, base, w, oy * stride, ox * stride, kh, kw) * 4;
        store<f32>(d, load<f32>(d) + load<f32>(g));
        g += 4;
      }
  }
}

/** Adam / AdamW over a whole parameter region in float32 lanes. stepSize = lr / (1 - beta1^t), bc2 =
 * sqrt(1 - beta2^t) and decay = 1 - lr * wd (AdamW) come from the host, which computes them in float64. */
export function adam(
  p: usize,
  g: usize,
  m1: usize,
  m2: usize,
  size: i32,
  b1: f32,
  b2: f32,
  eps: f32,
  wd: f32,
  decoupled: i32,
  stepSize: f32,
  bc2: f32,
  decay: f32,
): void {
  const vb1 = f32x4.splat(b1);
  const vc1 = f32x4.splat(1 - b1);
  const vb2 = f32x4.splat(b2);
  const vc2 = f32x4.splat(1 - b2);
  const veps = f32x4.splat(eps);
  const vwd = f32x4.splat(wd);
  const vstep = f32x4.splat(stepSize);
  const vbc2 = f32x4.splat(bc2);
  const vdecay = f32x4.splat(decay);
  const l2 = !decoupled && wd !== 0;
  let i = 0;
  for (; i + 4 <= size; i += 4) {
    const o = <usize>i * 4;
    let w = v128.load(p + o);
    if (decoupled) w = f32x4.mul(w, vdecay);
    let d = v128.load(g + o);
    if (l2) d = f32x4.add(d, f32x4.mul(vwd, w));
    const a = f32x4.add(f32x4.mul(vb1, v128.load(m1 + o)), f32x4.mul(vc1, d));
    const b = f32x4.add(f32x4.mul(vb2, v128.load(m2 + o)), f32x4.mul(f32x4.mul(vc2, d), d));
    v128.store(m1 + o, a);
    v128.store(m2 + o, b);
    const den = f32x4.add(f32x4.div(f32x4.sqrt(b), vbc2), veps);
    v128.store(p + o, f32x4.sub(w, f32x4.div(f32x4.mul(vstep, a), den)));
  }
  for (; i < size; i++) {
    const o = <usize>i * 4;
    let w = load<f32>(p + o);
    if (decoupled) w *= decay;
    let d = load<f32>(g + o);
    if (l2) d += wd * w;
    const a = b1 * load<f32>(m1 + o) + (1 - b1) * d;
    const b = b2 * load<f32>(m2 + o) + (1 - b2) * d * d;
    store<f32>(m1 + o, a);
    store<f32>(m2 + o, b);
    store<f32>(p + o, w - (stepSize * a) / (Mathf.sqrt(b) / bc2 + eps));
  }
}
