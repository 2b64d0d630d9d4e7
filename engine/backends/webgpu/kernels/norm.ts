// BatchNorm (train, eval, backward) and LayerNorm (forward, backward). Statistics are computed by one workgroup per
// channel (BatchNorm) or per row (LayerNorm) with a fixed reduction tree: deterministic, no atomics.
import type { OpOf } from '../../../graph/ops';
import { type Binding, type BufferView, f32, grid1d, type KernelLaunch } from '../shader';
import type { KernelContext } from './context';
import { mapLaunch } from './elementwise';
import { GROUP_REDUCE_WGSL, WG } from './groupReduce';
import { reduceLaunch } from './reduce';

const rd = (name: string, view: BufferView): Binding => ({ name, access: 'read', type: 'array<f32>', view });
const rw = (name: string, view: BufferView): Binding => ({ name, access: 'read_write', type: 'array<f32>', view });

/** Groups of at most this many elements are reduced by ONE invocation (no barriers: on CPU rasterisers a workgroup
 * barrier costs more than summing a few thousand values; on GPUs small groups gain nothing from cooperating). */
const SOLO_MAX = 2048;

/**
 * Kernel head for one group (BatchNorm channel, LayerNorm row) per workgroup of 64 cooperating invocations, or per
 * single invocation when groups are small. Bodies stride by STRIDE from `t` and combine with `groupSum2(t, v)`;
 * both are defined for either mode, so one body serves both. `g` is the group.
 */
function groupHead(
  groups: number,
  elements: number,
): { prelude: string; head: string; workgroups: [number, number, number] } {
  if (elements <= SOLO_MAX)
    return {
      prelude: 'const STRIDE = 1u;\nfn groupSum2(t: u32, v: vec2f) -> vec2f { return v; }',
      head: /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let g = gid.x + gid.y * nwg.x * 64u;
  let t = 0u;
  if (g >= ${groups}u) { return; }`,
      workgroups: grid1d(groups, 64),
    };
  return {
    prelude: `const STRIDE = ${WG}u;\n${GROUP_REDUCE_WGSL}`,
    head: /* wgsl */ `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let g = wg.x + wg.y * nwg.x;
  if (g >= ${groups}u) { return; }`,
    workgroups: grid1d(groups, 1),
  };
}

function bnIndex(op: { channels: number; inner: number }): string {
  return `fn idx(c: u32, l: u32) -> u32 { return ((l / ${op.inner}u) * ${op.channels}u + c) * ${op.inner}u + l % ${op.inner}u; }`;
}

export function batchnorm(op: OpOf<'batchnorm'>, ctx: KernelContext): KernelLaunch[] {
  const n = op.outer * op.inner;
  const { prelude, head, workgroups } = groupHead(op.channels, n);
  const m = op.momentum;
  const body = /* wgsl */ `
${prelude}
${bnIndex(op)}
const NN = ${n}u;
${head}
  let c = g;
  var s = 0.0f;
  for (var l = t; l < NN; l += STRIDE) { s += x[idx(c, l)]; }
  let mean = groupSum2(t, vec2f(s, 0.0)).x / f32(NN);
  var q = 0.0f;
  for (var l = t; l < NN; l += STRIDE) { let d = x[idx(c, l)] - mean; q += d * d; }
  let varb = groupSum2(t, vec2f(q, 0.0)).x / f32(NN);
  let inv = 1.0f / sqrt(varb + ${f32(op.eps)});
  let ga = gamma[c];
  let be = beta[c];
  for (var l = t; l < NN; l += STRIDE) { let i = idx(c, l); y[i] = (x[i] - mean) * inv * ga + be; }
  if (t == 0u) {
    saveMean[c] = mean;
    saveInvStd[c] = inv;
    runMean[c] = ${f32(1 - m)} * runMean[c] + ${f32(m)} * mean;
    runVar[c] = ${f32(1 - m)} * runVar[c] + ${f32(m)} * (varb * ${f32(n / Math.max(1, n - 1))});
  }
}`;
  const v = (id: number) => ctx.view(id);
  return [
    {
      label: `batchnorm ${op.outer}x${op.channels}x${op.inner}`,
      body,
      bindings: [
        rd('x', v(op.x)),
        rd('gamma', v(op.gamma)),
        rd('beta', v(op.beta)),
        rw('y', v(op.out)),
        rw('saveMean', v(op.saveMean)),
        rw('saveInvStd', v(op.saveInvStd)),
        rw('runMean', v(op.runningMean)),
        rw('runVar', v(op.runningVar)),
      ],
      workgroups,
    },
  ];
}

export function batchnormEval(op: OpOf<'batchnorm_eval'>, ctx: KernelContext): KernelLaunch[] {
  const c = `(i / ${op.inner}u) % ${op.channels}u`;
  return [
    mapLaunch({
      label: `batchnorm-eval ${op.outer}x${op.channels}x${op.inner}`,
      n: op.outer * op.channels * op.inner,
      inputs: [
        { view: ctx.view(op.x) },
        { view: ctx.view(op.runningMean), index: c },
        { view: ctx.view(op.runningVar), index: c },
        { view: ctx.view(op.gamma), index: c },
        { view: ctx.view(op.beta), index: c },
      ],
      out: ctx.view(op.out),
      expr: `(x0 - x1) / sqrt(x2 + ${f32(op.eps)}) * x3 + x4`,
    }),
  ];
}

export function batchnormGrad(op: OpOf<'batchnorm_grad'>, ctx: KernelContext): KernelLaunch[] {
  const n = op.outer * op.inner;
  const { prelude, head, workgroups } = groupHead(op.channels, n);
  const body = /* wgsl */ `
${prelude}
${bnIndex(op)}
const NN = ${n}u;
${head}
  let c = g;
  let mean = saveMean[c];
  let inv = saveInvStd[c];
  var s = vec2f(0.0);
  for (var l = t; l < NN; l += STRIDE) {
    let i = idx(c, l);
    let d = dy[i];
    s += vec2f(d, d * (x[i] - mean) * inv);
  }
  let tot = groupSum2(t, s);
  let k1 = tot.x / f32(NN);
  let k2 = tot.y / f32(NN);
  let gi = gamma[c] * inv;
  for (var l = t; l < NN; l += STRIDE) {
    let i = idx(c, l);
    let xh = (x[i] - mean) * inv;
    dx[i] = (dy[i] - k1 - xh * k2) * gi;
  }
  if (t == 0u) { dbeta[c] = tot.x; dgamma[c] = tot.y; }
}`;
  const v = (id: number) => ctx.view(id);
  return [
    {
      label: `batchnorm-grad ${op.outer}x${op.channels}x${op.inner}`,
      body,
      bindings: [
        rd('x', v(op.x)),
        rd('gamma', v(op.gamma)),
        rd('saveMean', v(op.saveMean)),
        rd('saveInvStd', v(op.saveInvStd)),
        rd('dy', v(op.dy)),
        rw('dx', v(op.dx)),
        rw('dgamma', v(op.dgamma)),
        rw('dbeta', v(op.dbeta)),
      ],
      workgroups,
    },
  ];
}

export function layernorm(op: OpOf<'layernorm'>, ctx: KernelContext): KernelLaunch[] {
  const { prelude, head, workgroups } = groupHead(op.rows, op.cols);
  const C = op.cols;
  const body = /* wgsl */ `
${prelude}
${head}
  let base = g * ${C}u;
  var s = 0.0f;
  for (var l = t; l < ${C}u; l += STRIDE) { s += x[base + l]; }
  let mean = groupSum2(t, vec2f(s, 0.0)).x / ${f32(C)};
  var q = 0.0f;
  for (var l = t; l < ${C}u; l += STRIDE) { let d = x[base + l] - mean; q += d * d; }
  let varb = groupSum2(t, vec2f(q, 0.0)).x / ${f32(C)};
  let inv = 1.0f / sqrt(varb + ${f32(op.eps)});
  for (var l = t; l < ${C}u; l += STRIDE) { y[base + l] = (x[base + l] - mean) * inv * gamma[l] + beta[l]; }
  if (t == 0u) { saveMean[g] = mean; saveInvStd[g] = inv; }
}`;
  const v = (id: number) => ctx.view(id);
  return [
    {
      label: `layernorm ${op.rows}x${C}`,
      body,
      bindings: [
        rd('x', v(op.x)),
        rd('gamma', v(op.gamma)),
        rd('beta', v(op.beta)),
        rw('y', v(op.out)),
        rw('saveMean', v(op.saveMean)),
        rw('saveInvStd', v(op.saveInvStd)),
      ],
      workgroups,
    },
  ];
}

export function layernormGrad(op: OpOf<'layernorm_grad'>, ctx: KernelContext): KernelLaunch[] {
  const { prelude, head, workgroups } = groupHead(op.rows, op.cols);
  const C = op.cols;
  const body = /* wgsl */ `
${prelude}
${head}
  let base = g * ${C}u;
  let mean = saveMean[g];
  let inv = saveInvStd[g];
  var s = vec2f(0.0);
  for (var l = t; l < ${C}u; l += STRIDE) {
    let dxh = dy[base + l] * gamma[l];
    s += vec2f(dxh, dxh * (x[base + l] - mean) * inv);
  }
  let tot = groupSum2(t, s) / ${f32(C)};
  for (var l = t; l < ${C}u; l += STRIDE) {
    let xh = (x[base + l] - mean) * inv;
    dx[base + l] = (dy[base + l] * gamma[l] - tot.x - xh * tot.y) * inv;
  }
}`;
  const v = (id: number) => ctx.view(id);
  const xhat = `(in0[l * ${C}u + j] - in2[l]) * in3[l]`;
  return [
    {
      label: `layernorm-grad ${op.rows}x${C}`,
      body,
      bindings: [
        rd('x', v(op.x)),
        rd('gamma', v(op.gamma)),
        rd('saveMean', v(op.saveMean)),
        rd('saveInvStd', v(op.saveInvStd)),
        rd('dy', v(op.dy)),
        rw('dx', v(op.dx)),
      ],
      workgroups,
    },
    reduceLaunch({
      label: `layernorm-grad-gamma ${op.rows}x${C}`,
      outputs: C,
      length: op.rows,
      inputs: [{ view: v(op.x) }, { view: v(op.dy) }, { view: v(op.saveMean) }, { view: v(op.saveInvStd) }],
      out: v(op.dgamma),
      term: `in1[l * ${C}u + j] * ${xhat}`,
    }),
    reduceLaunch({
      label: `layernorm-grad-beta ${op.rows}x${C}`,
      outputs: C,
      length: op.rows,
      inputs: [{ view: v(op.dy) }],
      out: v(op.dbeta),
      term: `in0[l * ${C}u + j]`,
    }),
  ];
}
