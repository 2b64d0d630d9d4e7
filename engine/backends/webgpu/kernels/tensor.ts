// Tensor ops of the graph core (engine/graph/ops.ts "tensor ops") and their backward kernels: one invocation per
// output element (or per row where a row reduces), summing in a fixed order, so results are deterministic and
// need no atomics. Gathers and scatters that a map expression cannot say get their own small bodies.
import { WGSL_RNG } from '../../../rng/rng';
import { type Binding, type BufferView, f32, grid1d, type KernelLaunch } from '../shader';
import type { WebGpuKernel } from './context';
import { type KernelContext, STEP_WGSL, stepU } from './context';
import { conv2dGradInputGemm } from './convGemm';
import { mapLaunch } from './elementwise';

const bind = (name: string, view: BufferView): Binding => ({ name, access: 'read_write', type: 'array<f32>', view });

/** A launch of n invocations, `i` the invocation index; `body` is the per-invocation code. */
function perIndex(label: string, n: number, bindings: Binding[], body: string, prelude = ''): KernelLaunch {
  return {
    label,
    bindings,
    workgroups: grid1d(n, 64),
    body: /* wgsl */ `
${prelude}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= ${n}u) { return; }
  ${body}
}`,
  };
}

export const addBcast: WebGpuKernel<'add_bcast'> = (op, ctx) => [
  mapLaunch({
    label: `add-bcast ${op.outer}x${op.inner}`,
    n: op.outer * op.inner,
    inputs: [{ view: ctx.view(op.a) }, { view: ctx.view(op.b), index: `i % ${op.inner}u` }],
    out: ctx.view(op.out),
    expr: 'x0 + x1',
  }),
];

export const slice: WebGpuKernel<'slice'> = (op, ctx) => [
  mapLaunch({
    label: `slice ${op.outer}x${op.len}`,
    n: op.outer * op.len,
    inputs: [{ view: ctx.view(op.x), index: `(i / ${op.len}u) * ${op.inSize}u + ${op.start}u + i % ${op.len}u` }],
    out: ctx.view(op.out),
    expr: 'x0',
  }),
];

export const sliceGrad: WebGpuKernel<'slice_grad'> = (op, ctx) => {
  const { inSize, start, len } = op;
  return [
    perIndex(
      `slice-grad ${op.outer}x${inSize}`,
      op.outer * inSize,
      [bind('dy', ctx.view(op.dy)), bind('dx', ctx.view(op.dx))],
      `let j = i % ${inSize}u;
  let inside = j >= ${start}u && j < ${start + len}u;
  let src = (i / ${inSize}u) * ${len}u + select(0u, j - ${start}u, inside);
  dx[i] = select(0.0, dy[src], inside);`,
    ),
  ];
};

export const sliceAcc: WebGpuKernel<'slice_acc'> = (op, ctx) => {
  const { inSize, start, len } = op;
  return [
    perIndex(
      `slice-acc ${op.outer}x${len}`,
      op.outer * len,
      [bind('dy', ctx.view(op.dy)), bind('dx', ctx.view(op.dx))],
      `let d = (i / ${len}u) * ${inSize}u + ${start}u + i % ${len}u;
  dx[d] = dx[d] + dy[i];`,
    ),
  ];
};

/** One launch per input, each writing its block of every output row. */
export const concat: WebGpuKernel<'concat'> = (op, ctx) => {
  const total = op.sizes.reduce((a, b) => a + b, 0);
  let start = 0;
  return op.inputs.map((x, k) => {
    const len = op.sizes[k];
    const at = start;
    start += len;
    return perIndex(
      `concat ${k}/${op.inputs.length}`,
      op.outer * len,
      [bind('x', ctx.view(x)), bind('y', ctx.view(op.out))],
      `y[(i / ${len}u) * ${total}u + ${at}u + i % ${len}u] = x[i];`,
    );
  });
};

export const transpose: WebGpuKernel<'transpose'> = (op, ctx) => {
  const { a, b, inner } = op;
  // Output index (o, j, i, e) of [outer, b, a, inner] reads input (o, i, j, e).
  const index = `(i / ${a * b * inner}u) * ${a * b * inner}u + ((i / ${inner}u) % ${a}u) * ${b * inner}u + ((i / ${a * inner}u) % ${b}u) * ${inner}u + i % ${inner}u`;
  return [
    mapLaunch({
      label: `transpose ${op.outer}x${a}x${b}x${inner}`,
      n: op.outer * a * b * inner,
      inputs: [{ view: ctx.view(op.x), index }],
      out: ctx.view(op.out),
      expr: 'x0',
    }),
  ];
};

export const bmm: WebGpuKernel<'bmm'> = (op, ctx) => {
  const { batch, m, n, k, transA, transB, alpha } = op;
  const aIdx = transA ? `p * ${m}u + r` : `r * ${k}u + p`;
  const bIdx = transB ? `c * ${k}u + p` : `p * ${n}u + c`;
  return [
    perIndex(
      `bmm ${batch}x${m}x${n}x${k}`,
      batch * m * n,
      [bind('A', ctx.view(op.a)), bind('B', ctx.view(op.b)), bind('C', ctx.view(op.out))],
      `let q = i / ${m * n}u; let r = (i / ${n}u) % ${m}u; let c = i % ${n}u;
  let a0 = q * ${m * k}u; let b0 = q * ${k * n}u;
  var s = 0.0;
  for (var p = 0u; p < ${k}u; p++) { s += A[a0 + ${aIdx}] * B[b0 + ${bIdx}]; }
  C[i] = ${f32(alpha)} * s;`,
    ),
  ];
};

export const softmax: WebGpuKernel<'softmax'> = (op, ctx) => {
  const { rows, cols, causal } = op;
  const valid = causal > 0 ? `min(${cols}u, i % ${causal}u + 1u)` : `${cols}u`;
  return [
    perIndex(
      `softmax ${rows}x${cols}${causal > 0 ? ' causal' : ''}`,
      rows,
      [bind('x', ctx.view(op.x)), bind('y', ctx.view(op.out))],
      `let base = i * ${cols}u; let valid = ${valid};
  var mx = x[base];
  for (var j = 1u; j < valid; j++) { mx = max(mx, x[base + j]); }
  var z = 0.0;
  for (var j = 0u; j < valid; j++) { z += exp(x[base + j] - mx); }
  for (var j = 0u; j < ${cols}u; j++) { y[base + j] = select(0.0, exp(x[base + j] - mx) / z, j < valid); }`,
    ),
  ];
};

export const softmaxGrad: WebGpuKernel<'softmax_grad'> = (op, ctx) => {
  const { rows, cols } = op;
  return [
    perIndex(
      `softmax-grad ${rows}x${cols}`,
      rows,
      [bind('y', ctx.view(op.y)), bind('dy', ctx.view(op.dy)), bind('dx', ctx.view(op.dx))],
      `let base = i * ${cols}u;
  var dot = 0.0;
  for (var j = 0u; j < ${cols}u; j++) { dot += dy[base + j] * y[base + j]; }
  for (var j = 0u; j < ${cols}u; j++) { dx[base + j] = y[base + j] * (dy[base + j] - dot); }`,
    ),
  ];
};

/** The row of a token index stored as f32, or -1 when it is not an integer in [0, vocab). */
const ROW_OF = (vocab: number) => `fn rowOf(v: f32) -> i32 {
  if (v >= 0.0 && v < ${vocab}.0 && floor(v) == v) { return i32(v); }
  return -1i;
}`;

export const gather: WebGpuKernel<'gather'> = (op, ctx) => {
  const { rows, dim, vocab } = op;
  return [
    perIndex(
      `gather ${rows}x${dim}`,
      rows * dim,
      [bind('table', ctx.view(op.table)), bind('idx', ctx.view(op.index)), bind('y', ctx.view(op.out))],
      `let v = rowOf(idx[i / ${dim}u]);
  y[i] = select(0.0, table[u32(max(v, 0i)) * ${dim}u + i % ${dim}u], v >= 0i);`,
      ROW_OF(vocab),
    ),
  ];
};

/** One invocation per table element, scanning the rows in order (vocabularies and batches here are small). */
export const gatherGrad: WebGpuKernel<'gather_grad'> = (op, ctx) => {
  const { rows, dim, vocab } = op;
  return [
    perIndex(
      `gather-grad ${vocab}x${dim}`,
      vocab * dim,
      [bind('idx', ctx.view(op.index)), bind('dy', ctx.view(op.dy)), bind('dt', ctx.view(op.dtable))],
      `let v = i32(i / ${dim}u); let e = i % ${dim}u;
  var s = 0.0;
  for (var r = 0u; r < ${rows}u; r++) { if (rowOf(idx[r]) == v) { s += dy[r * ${dim}u + e]; } }
  dt[i] = s;`,
      ROW_OF(vocab),
    ),
  ];
};

export const meanAxis: WebGpuKernel<'mean_axis'> = (op, ctx) => {
  const { outer, n, inner } = op;
  return [
    perIndex(
      `mean-axis ${outer}x${n}x${inner}`,
      outer * inner,
      [bind('x', ctx.view(op.x)), bind('y', ctx.view(op.out))],
      `let base = (i / ${inner}u) * ${n * inner}u + i % ${inner}u;
  var s = 0.0;
  for (var j = 0u; j < ${n}u; j++) { s += x[base + j * ${inner}u]; }
  y[i] = s / ${f32(n)};`,
    ),
  ];
};

export const meanAxisGrad: WebGpuKernel<'mean_axis_grad'> = (op, ctx) => {
  const { outer, n, inner } = op;
  return [
    mapLaunch({
      label: `mean-axis-grad ${outer}x${n}x${inner}`,
      n: outer * n * inner,
      inputs: [{ view: ctx.view(op.dy), index: `(i / ${n * inner}u) * ${inner}u + i % ${inner}u` }],
      out: ctx.view(op.dx),
      expr: `x0 / ${f32(n)}`,
    }),
  ];
};

export const upsample: WebGpuKernel<'upsample'> = (op, ctx) => {
  const { planes, h, w, scale } = op;
  const H = h * scale;
  const W = w * scale;
  const index = `(i / ${H * W}u) * ${h * w}u + ((i / ${W}u) % ${H}u / ${scale}u) * ${w}u + (i % ${W}u) / ${scale}u`;
  return [
    mapLaunch({
      label: `upsample ${planes}x${h}x${w} x${scale}`,
      n: planes * H * W,
      inputs: [{ view: ctx.view(op.x), index }],
      out: ctx.view(op.out),
      expr: 'x0',
    }),
  ];
};

export const upsampleGrad: WebGpuKernel<'upsample_grad'> = (op, ctx) => {
  const { planes, h, w, scale } = op;
  const H = h * scale;
  const W = w * scale;
  return [
    perIndex(
      `upsample-grad ${planes}x${h}x${w} x${scale}`,
      planes * h * w,
      [bind('dy', ctx.view(op.dy)), bind('dx', ctx.view(op.dx))],
      `let p = i / ${h * w}u; let r = (i / ${w}u) % ${h}u; let c = i % ${w}u;
  var s = 0.0;
  for (var a = 0u; a < ${scale}u; a++) {
    for (var b = 0u; b < ${scale}u; b++) { s += dy[(p * ${H}u + r * ${scale}u + a) * ${W}u + c * ${scale}u + b]; }
  }
  dx[i] = s;`,
    ),
  ];
};

export const convTranspose2d: WebGpuKernel<'conv_transpose2d'> = (op, ctx) => {
  const shape = {
    N: op.n,
    Cin: op.c,
    H: op.h,
    W: op.w,
    Cout: op.f,
    KH: op.kh,
    KW: op.kw,
    stride: op.stride,
    padding: op.pad,
  };
  const launches = [
    conv2dGradInputGemm('conv-transpose', shape, ctx.view(op.x), ctx.view(op.weight), ctx.view(op.out)),
  ];
  if (op.bias !== null)
    launches.push(
      mapLaunch({
        label: 'conv-transpose bias',
        n: op.n * op.c * op.h * op.w,
        inputs: [{ view: ctx.view(op.bias), index: `(i / ${op.h * op.w}u) % ${op.c}u` }],
        out: ctx.view(op.out),
        readsOut: true,
        expr: 'cur + x0',
      }),
    );
  return launches;
};

export const scale: WebGpuKernel<'scale'> = (op, ctx) => [
  mapLaunch({
    label: `scale ${op.size}`,
    n: op.size,
    inputs: [{ view: ctx.view(op.x) }],
    out: ctx.view(op.out),
    expr: `${f32(op.factor)} * x0`,
  }),
];

export const exp: WebGpuKernel<'exp'> = (op, ctx) => [
  mapLaunch({
    label: `exp ${op.size}`,
    n: op.size,
    inputs: [{ view: ctx.view(op.x) }],
    out: ctx.view(op.out),
    fns: EXP_WGSL,
    expr: `expAccurate(${f32(op.factor)} * x0)`,
  }),
];

export const stopGrad: WebGpuKernel<'stop_grad'> = (op, ctx) => [
  mapLaunch({
    label: `copy ${op.size}`,
    n: op.size,
    inputs: [{ view: ctx.view(op.x) }],
    out: ctx.view(op.out),
    expr: 'x0',
  }),
];

/** ln(x) and cos(t) to f32 precision from arithmetic alone (x = f * 2^e, ln f = 2 atanh((f-1)/(f+1)) by its
 * series): SwiftShader's builtins are off by ~1e-4 relative, too far from the host's Math.log and Math.cos for the
 * two backends to draw the same noise. */
const LOG_WGSL = /* wgsl */ `
fn logAccurate(x: f32) -> f32 {
  let fe = frexp(x);
  let s = (fe.fract - 1.0) / (fe.fract + 1.0);
  let s2 = s * s;
  var term = s;
  var acc = 0.0;
  for (var k = 1u; k < 20u; k += 2u) { acc += term / f32(k); term *= s2; }
  return 2.0 * acc + f32(fe.exp) * 0.6931471805599453;
}
// cos(t) for |t| <= pi by its Taylor series (Horner in t^2; the t^22 term is below 1e-10).
fn cosAccurate(t: f32) -> f32 {
  let t2 = t * t;
  var acc = 1.0;
  for (var k = 22u; k >= 2u; k -= 2u) { acc = 1.0 - acc * t2 / f32(k * (k - 1u)); }
  return acc;
}`;

/** exp(x) = 2^n exp(r), |r| <= ln2/2, by Taylor to r^11 (SwiftShader's exp is not accurate enough, see above). */
const EXP_WGSL = /* wgsl */ `
fn expAccurate(x: f32) -> f32 {
  let n = round(clamp(x, -87.0, 88.0) * 1.4426950408889634);
  let r = (x - n * 0.693145751953125) - n * 1.4286067653e-6;
  var acc = 1.0;
  for (var k = 11u; k >= 1u; k--) { acc = 1.0 + acc * r / f32(k); }
  return ldexp(acc, i32(n));
}`;

/** Box-Muller on two counter draws, as rngNormal on the host (u1 in (0, 1], u2 in [0, 1)). */
export const randn: WebGpuKernel<'randn'> = (op, ctx: KernelContext) => {
  const seed = ctx.program.seed >>> 0;
  return [
    perIndex(
      `randn ${op.size}`,
      op.size,
      [bind('y', ctx.view(op.out)), ...ctx.hyperBindings()],
      `let step = ${stepU('step')};
  let u1 = f32((ga_rng_u32(${seed}u, ${op.stream >>> 0}u, step, 2u * i) >> 8u) + 1u) * 5.9604644775390625e-8;
  let u2 = ga_rng_uniform(${seed}u, ${op.stream >>> 0}u, step, 2u * i + 1u);
  // cos(2 pi u2) = -cos(2 pi (u2 - 1/2)), whose argument lies in [-pi, pi].
  y[i] = -sqrt(-2.0 * logAccurate(u1)) * cosAccurate(6.283185307179586 * (u2 - 0.5));`,
      `${STEP_WGSL}\n${WGSL_RNG}\n${LOG_WGSL}`,
    ),
  ];
};

export const sum: WebGpuKernel<'sum'> = (op, ctx) => [
  perIndex(
    `sum ${op.size}`,
    1,
    [bind('x', ctx.view(op.x)), bind('y', ctx.view(op.out))],
    `var s = 0.0;
  for (var j = 0u; j < ${op.size}u; j++) { s += x[j]; }
  y[0] = s;`,
  ),
];

export const fillGrad: WebGpuKernel<'fill_grad'> = (op, ctx) => [
  mapLaunch({
    label: `fill ${op.size}`,
    n: op.size,
    inputs: [{ view: ctx.view(op.dy), index: '0u' }],
    out: ctx.view(op.dx),
    expr: 'x0',
  }),
];
