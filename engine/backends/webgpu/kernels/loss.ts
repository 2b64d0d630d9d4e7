// Losses (mean reduction, as PyTorch), their gradients and the accuracy metric. The scalar reductions run in one
// workgroup with a fixed tree, so a loss is bit-identical from run to run.

import { WGSL_PRELUDE } from '../../../graph/activations';
import type { LossKind, OpOf } from '../../../graph/ops';
import { isStepScalar } from '../../../graph/program';
import { type Binding, type BufferView, f32, grid1d, type KernelLaunch } from '../shader';
import { hypF, type KernelContext, STEP_FIELD, STEP_WGSL } from './context';
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

function accTermFn(op: OpOf<'accuracy'>): string {
  return op.mode === 'argmax'
    ? `fn accTerm(r: u32) -> f32 {
  let base = r * ${op.cols}u;
  var best = 0u;
  for (var c = 1u; c < ${op.cols}u; c++) { if (pred[base + c] > pred[base + best]) { best = c; } }
  return select(0.0, 1.0, best == u32(tgt[r]));
}`
    : 'fn accTerm(i: u32) -> f32 { return select(0.0, 1.0, (pred[i] > 0.0) == (tgt[i] > 0.5)); }';
}

const accCount = (op: OpOf<'accuracy'>): number => (op.mode === 'argmax' ? op.rows : op.rows * op.cols);
const lossCount = (op: LossAttrs): number => (op.loss === 'cross_entropy' ? op.rows : op.rows * op.cols);

const f32b = (name: string, view: BufferView): Binding => ({ name, access: 'read_write', type: 'array<f32>', view });

/**
 * The loss family of one step in ONE single-workgroup dispatch: the mean loss (and, when given, the accuracy
 * metric and the loss gradient, which read the same pred/target). Each scalar the Program reports per step is also
 * written to this step's slot of the loss ring. Any of the three may be alone (the standalone kernels use this).
 */
export function lossFamily(
  lossOp: OpOf<'loss'> | null,
  acc: OpOf<'accuracy'> | null,
  grad: OpOf<'loss_grad'> | null,
  ctx: KernelContext,
): KernelLaunch {
  const src = lossOp ?? grad ?? acc;
  if (!src) throw new Error('lossFamily needs at least one op');
  const bindings: Binding[] = [f32b('pred', ctx.view(src.pred)), f32b('tgt', ctx.view(src.target))];
  const parts: string[] = [];
  const fns: string[] = [];
  const ring = ctx.lossRing?.();
  const ringWrite = (id: number, slot: 0 | 1, v: string) =>
    ring && isStepScalar(ctx.program, id, slot) ? `ring[stepWord(${STEP_FIELD.slot}u) * 2u + ${slot}u] = ${v};` : '';
  if (lossOp) {
    bindings.push(f32b('lossOut', ctx.view(lossOp.out)));
    fns.push(termFn(lossOp));
    const n = lossCount(lossOp);
    parts.push(`{
    var s = 0.0f;
    for (var i = t; i < ${n}u; i += STRIDE) { s += term(i); }
    let tot = groupSum2(t, vec2f(s, 0.0)).x / ${f32(n)};
    if (t == 0u) { lossOut[0] = tot; ${ringWrite(lossOp.out, 0, 'tot')} }
  }`);
  }
  if (acc) {
    bindings.push(f32b('accOut', ctx.view(acc.out)));
    fns.push(accTermFn(acc));
    const n = accCount(acc);
    parts.push(`{
    var s = 0.0f;
    for (var i = t; i < ${n}u; i += STRIDE) { s += accTerm(i); }
    let tot = groupSum2(t, vec2f(s, 0.0)).x / ${f32(n)};
    if (t == 0u) { accOut[0] = tot; ${ringWrite(acc.out, 1, 'tot')} }
  }`);
  }
  if (grad) {
    bindings.push(f32b('dpred', ctx.view(grad.dpred)));
    if (grad.loss === 'cross_entropy') fns.push(CE_GRAD(grad));
    parts.push(`for (var i = t; i < ${grad.rows * grad.cols}u; i += STRIDE) { dpred[i] = ${gradExpr(grad)}; }`);
  }
  bindings.push(...ctx.hyperBindings());
  if (ring) bindings.push({ name: 'ring', access: 'read_write', type: 'array<f32>', view: ring.view });
  // Small batches: one invocation, no barriers (they cost more than the work on CPU rasterisers).
  const work = Math.max(lossOp ? lossCount(lossOp) : 0, acc ? accCount(acc) : 0, grad ? grad.rows * grad.cols : 0);
  const solo = work <= 2048;
  const reduce = solo
    ? 'const STRIDE = 1u;\nfn groupSum2(t: u32, v: vec2f) -> vec2f { return v; }'
    : `const STRIDE = ${WG}u;\n${GROUP_REDUCE_WGSL}`;
  const entry = solo
    ? '@compute @workgroup_size(1)\nfn main() {\n  let t = 0u;'
    : `@compute @workgroup_size(${WG})\nfn main(@builtin(local_invocation_index) t: u32) {`;
  const body = /* wgsl */ `
${STEP_WGSL}
${WGSL_PRELUDE}
${reduce}
${fns.join('\n')}
${entry}
  ${parts.join('\n  ')}
}`;
  const what = [lossOp && 'loss', acc && 'accuracy', grad && 'grad'].filter(Boolean).join('+');
  const l = lossOp ?? grad;
  const tag = l ? `${l.loss} ${l.rows}x${l.cols}` : `${acc?.mode} ${acc?.rows}x${acc?.cols}`;
  return { label: `${what} ${tag}`, body, bindings, workgroups: [1, 1, 1] };
}

export function loss(op: OpOf<'loss'>, ctx: KernelContext): KernelLaunch[] {
  return [lossFamily(op, null, null, ctx)];
}

export function accuracy(op: OpOf<'accuracy'>, ctx: KernelContext): KernelLaunch[] {
  return [lossFamily(null, op, null, ctx)];
}

/** The standalone loss gradient: elementwise over all invocations (the fused path runs it in one workgroup). */
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
  dpred[i] = ${gradExpr(op)};
}`;
  return [
    {
      label: `loss-grad ${op.loss} ${op.rows}x${op.cols}`,
      body,
      bindings: [
        f32b('pred', ctx.view(op.pred)),
        f32b('tgt', ctx.view(op.target)),
        f32b('dpred', ctx.view(op.dpred)),
        ...ctx.hyperBindings(),
      ],
      workgroups: grid1d(n, 64),
    },
  ];
}
