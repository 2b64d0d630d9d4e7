// Losses (mean reduction, as PyTorch), their gradients and the accuracy metric. The scalar reductions run in one
// workgroup with a fixed tree, so a loss is bit-identical from run to run.

import { WGSL_PRELUDE } from '../../../graph/activations';
import type { LossKind, OpOf } from '../../../graph/ops';
import { type Binding, f32, type KernelLaunch } from '../shader';
import { hypF, type KernelContext, STEP_WGSL } from './context';
import { GROUP_REDUCE_WGSL, WG } from './groupReduce';

interface LossAttrs {
  loss: LossKind;
  rows: number;
  cols: number;
  delta: number;
  smoothing: number;
}

/** WGSL `fn term(i) -> f32`: the loss of element i (or of row i for cross_entropy). */
function termFn(a: LossAttrs): string {
  const d = f32(a.delta);
  switch (a.loss) {
    case 'mse':
      return 'fn term(i: u32) -> f32 { let d = pred[i] - tgt[i]; return d * d; }';
    case 'mae':
      return 'fn term(i: u32) -> f32 { return abs(pred[i] - tgt[i]); }';
    case 'huber':
      return `fn term(i: u32) -> f32 {
  let d = pred[i] - tgt[i];
  let ad = abs(d);
  return select(${d} * (ad - 0.5 * ${d}), 0.5 * d * d, ad < ${d});
}`;
    case 'bce_logits':
      return `fn term(i: u32) -> f32 {
  let x = pred[i];
  return max(x, 0.0) - x * tgt[i] + ga_log1p(exp(-abs(x)));
}`;
    case 'cross_entropy':
      return `fn term(r: u32) -> f32 {
  let eps = ${hypF(a.smoothing)};
  let base = r * ${a.cols}u;
  var m = pred[base];
  for (var c = 1u; c < ${a.cols}u; c++) { m = max(m, pred[base + c]); }
  var se = 0.0f;
  var sp = 0.0f;
  for (var c = 0u; c < ${a.cols}u; c++) { se += exp(pred[base + c] - m); sp += pred[base + c]; }
  let lse = m + log(se);
  let k = u32(tgt[r]);
  return lse - (1.0 - eps) * pred[base + k] - eps / ${f32(a.cols)} * sp;
}`;
  }
}

/** WGSL expression of d(mean loss)/d pred[i]. */
function gradExpr(a: LossAttrs): string {
  const n = f32(a.rows * a.cols);
  const d = f32(a.delta);
  switch (a.loss) {
    case 'mse':
      return `2.0 * (pred[i] - tgt[i]) / ${n}`;
    case 'mae':
      return `sign(pred[i] - tgt[i]) / ${n}`;
    case 'huber':
      return `select(${d} * sign(pred[i] - tgt[i]), pred[i] - tgt[i], abs(pred[i] - tgt[i]) < ${d}) / ${n}`;
    case 'bce_logits':
      return `(ga_sigmoid(pred[i]) - tgt[i]) / ${n}`;
    case 'cross_entropy':
      return `ceGrad(i) / ${f32(a.rows)}`;
  }
}

const CE_GRAD = (a: LossAttrs) => /* wgsl */ `
fn ceGrad(i: u32) -> f32 {
  let eps = ${hypF(a.smoothing)};
  let r = i / ${a.cols}u;
  let c = i % ${a.cols}u;
  let base = r * ${a.cols}u;
  var m = pred[base];
  for (var j = 1u; j < ${a.cols}u; j++) { m = max(m, pred[base + j]); }
  var se = 0.0f;
  for (var j = 0u; j < ${a.cols}u; j++) { se += exp(pred[base + j] - m); }
  let p = exp(pred[i] - m) / se;
  let q = select(0.0, 1.0 - eps, c == u32(tgt[r])) + eps / ${f32(a.cols)};
  return p - q;
}`;

function lossBindings(ctx: KernelContext, pred: number, target: number, out: number): Binding[] {
  return [
    { name: 'pred', access: 'read', type: 'array<f32>', view: ctx.view(pred) },
    { name: 'tgt', access: 'read', type: 'array<f32>', view: ctx.view(target) },
    { name: 'out', access: 'read_write', type: 'array<f32>', view: ctx.view(out) },
    ...ctx.hyperBindings(),
  ];
}

export function loss(op: OpOf<'loss'>, ctx: KernelContext): KernelLaunch[] {
  const count = op.loss === 'cross_entropy' ? op.rows : op.rows * op.cols;
  const body = /* wgsl */ `
${STEP_WGSL}
${WGSL_PRELUDE}
${GROUP_REDUCE_WGSL}
${termFn(op)}
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) t: u32) {
  var s = 0.0f;
  for (var i = t; i < ${count}u; i += ${WG}u) { s += term(i); }
  let tot = groupSum2(t, vec2f(s, 0.0)).x;
  if (t == 0u) { out[0] = tot / ${f32(count)}; }
}`;
  return [
    {
      label: `loss ${op.loss} ${op.rows}x${op.cols}`,
      body,
      bindings: lossBindings(ctx, op.pred, op.target, op.out),
      workgroups: [1, 1, 1],
    },
  ];
}

export function lossGrad(op: OpOf<'loss_grad'>, ctx: KernelContext): KernelLaunch[] {
  const n = op.rows * op.cols;
  const body = /* wgsl */ `
${STEP_WGSL}
${WGSL_PRELUDE}
${op.loss === 'cross_entropy' ? CE_GRAD(op) : ''}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= ${n}u) { return; }
  out[i] = ${gradExpr(op)};
}`;
  const wg = Math.ceil(n / 64);
  return [
    {
      label: `loss-grad ${op.loss} ${op.rows}x${op.cols}`,
      body,
      bindings: lossBindings(ctx, op.pred, op.target, op.dpred),
      workgroups: wg <= 65535 ? [wg, 1, 1] : [65535, Math.ceil(wg / 65535), 1],
    },
  ];
}

export function accuracy(op: OpOf<'accuracy'>, ctx: KernelContext): KernelLaunch[] {
  const argmax = op.mode === 'argmax';
  const count = argmax ? op.rows : op.rows * op.cols;
  const term = argmax
    ? `fn term(r: u32) -> f32 {
  let base = r * ${op.cols}u;
  var best = 0u;
  for (var c = 1u; c < ${op.cols}u; c++) { if (pred[base + c] > pred[base + best]) { best = c; } }
  return select(0.0, 1.0, best == u32(tgt[r]));
}`
    : 'fn term(i: u32) -> f32 { return select(0.0, 1.0, (pred[i] > 0.0) == (tgt[i] > 0.5)); }';
  const body = /* wgsl */ `
${GROUP_REDUCE_WGSL}
${term}
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) t: u32) {
  var s = 0.0f;
  for (var i = t; i < ${count}u; i += ${WG}u) { s += term(i); }
  let tot = groupSum2(t, vec2f(s, 0.0)).x;
  if (t == 0u) { out[0] = tot / ${f32(count)}; }
}`;
  return [
    {
      label: `accuracy ${op.mode} ${op.rows}x${op.cols}`,
      body,
      bindings: lossBindings(ctx, op.pred, op.target, op.out).slice(0, 3),
      workgroups: [1, 1, 1],
    },
  ];
}
