// Optimizer updates (torch.optim single-tensor semantics, torch 1.13), gradient clipping and the L1/L2 penalty
// gradient. Each runs once over whole contiguous regions of the state arena (params, grads, each optimizer state),
// so one dispatch updates every parameter. lr and the bias corrections come from the per-step table.
import type { OpOf } from '../../../graph/ops';
import type { Binding, BufferView, KernelLaunch } from '../shader';
import { grid1d } from '../shader';
import { hypF, type KernelContext, STEP_WGSL, stepF, stepU } from './context';
import { treeSumLaunch } from './reduce';

interface Buf {
  name: string;
  view: BufferView;
  write: boolean;
  /** A one-element tensor (bound as one vec4f; read `.x`). */
  scalar?: boolean;
}

/** One invocation per 4 elements over parallel regions, as vec4f (`V` in `code` is the vector type); `code`
 * updates them in place. Regions start 256-byte aligned and are followed by alignment padding that no other
 * tensor uses, so rounding the element count up to a multiple of 4 stays inside them (padding holds zeros, which
 * every update maps to zeros). */
function regionLaunch(label: string, n: number, bufs: Buf[], code: string, ctx: KernelContext): KernelLaunch {
  const n4 = Math.ceil(n / 4);
  const bindings: Binding[] = bufs.map((b) => ({
    name: b.name,
    access: b.write ? 'read_write' : 'read',
    type: 'array<vec4f>',
    view: { ...b.view, size: b.scalar ? 16 : n4 * 16 },
  }));
  bindings.push(...ctx.hyperBindings());
  const body = /* wgsl */ `
${STEP_WGSL}
alias V = vec4f;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= ${n4}u) { return; }
  ${code}
}`;
  return { label, body, bindings, workgroups: grid1d(n4, 64) };
}

export function sgdUpdate(op: OpOf<'sgd_update'>, ctx: KernelContext): KernelLaunch[] {
  const code = /* wgsl */ `
  let lr = ${stepF('lr')};
  let mom = ${stepF('momentum')};
  var g = grad[i] + ${hypF(op.weightDecay)} * param[i];
  if (mom != 0.0) {
    var b = g;
    if (${stepU('step')} != 0u) { b = mom * buf[i] + (1.0 - ${hypF(op.dampening)}) * g; }
    buf[i] = b;
    ${op.nesterov ? 'g = g + mom * b;' : 'g = b;'}
  }
  param[i] = param[i] - lr * g;`;
  const v = (id: number) => ctx.view(id);
  return [
    regionLaunch(
      'sgd-update',
      op.size,
      [
        { name: 'param', view: v(op.param), write: true },
        { name: 'grad', view: v(op.grad), write: false },
        { name: 'buf', view: v(op.momentumBuf), write: true },
      ],
      code,
      ctx,
    ),
  ];
}

export function rmspropUpdate(op: OpOf<'rmsprop_update'>, ctx: KernelContext): KernelLaunch[] {
  const code = /* wgsl */ `
  let lr = ${stepF('lr')};
  let alpha = ${hypF(op.alpha)};
  let mom = ${stepF('momentum')};
  let g = grad[i] + ${hypF(op.weightDecay)} * param[i];
  let sa = alpha * sq[i] + (1.0 - alpha) * g * g;
  sq[i] = sa;
  var avg: V;
  ${
    op.centered
      ? `let ga = alpha * gavg[i] + (1.0 - alpha) * g;
  gavg[i] = ga;
  avg = sqrt(sa - ga * ga) + ${hypF(op.eps)};`
      : `avg = sqrt(sa) + ${hypF(op.eps)};`
  }
  if (mom > 0.0) {
    let b = mom * buf[i] + g / avg;
    buf[i] = b;
    param[i] = param[i] - lr * b;
  } else {
    param[i] = param[i] - lr * (g / avg);
  }`;
  const v = (id: number) => ctx.view(id);
  return [
    regionLaunch(
      'rmsprop-update',
      op.size,
      [
        { name: 'param', view: v(op.param), write: true },
        { name: 'grad', view: v(op.grad), write: false },
        { name: 'sq', view: v(op.squareAvg), write: true },
        { name: 'gavg', view: v(op.gradAvg), write: true },
        { name: 'buf', view: v(op.momentumBuf), write: true },
      ],
      code,
      ctx,
    ),
  ];
}

export function adagradUpdate(op: OpOf<'adagrad_update'>, ctx: KernelContext): KernelLaunch[] {
  const code = /* wgsl */ `
  let clr = ${stepF('adagradClr')};
  let g = grad[i] + ${hypF(op.weightDecay)} * param[i];
  let s = sum[i] + g * g;
  sum[i] = s;
  param[i] = param[i] - clr * (g / (sqrt(s) + ${hypF(op.eps)}));`;
  const v = (id: number) => ctx.view(id);
  return [
    regionLaunch(
      'adagrad-update',
      op.size,
      [
        { name: 'param', view: v(op.param), write: true },
        { name: 'grad', view: v(op.grad), write: false },
        { name: 'sum', view: v(op.sum), write: true },
      ],
      code,
      ctx,
    ),
  ];
}

export function adamUpdate(op: OpOf<'adam_update'>, ctx: KernelContext): KernelLaunch[] {
  const wd = hypF(op.weightDecay);
  const code = /* wgsl */ `
  let lr = ${stepF('lr')};
  let b1 = ${stepF('momentum')};
  let b2 = ${hypF(op.beta2)};
  var p = param[i];
  ${op.decoupled ? `p = p * (1.0 - lr * ${wd});\n  let g = grad[i];` : `let g = grad[i] + ${wd} * p;`}
  let m = b1 * m1[i] + (1.0 - b1) * g;
  let v = b2 * m2[i] + (1.0 - b2) * g * g;
  m1[i] = m;
  m2[i] = v;
  let denom = sqrt(v) / ${stepF('adamBc2Sqrt')} + ${hypF(op.eps)};
  param[i] = p - ${stepF('adamStepSize')} * (m / denom);`;
  const v = (id: number) => ctx.view(id);
  return [
    regionLaunch(
      op.decoupled ? 'adamw-update' : 'adam-update',
      op.size,
      [
        { name: 'param', view: v(op.param), write: true },
        { name: 'grad', view: v(op.grad), write: false },
        { name: 'm1', view: v(op.expAvg), write: true },
        { name: 'm2', view: v(op.expAvgSq), write: true },
      ],
      code,
      ctx,
    ),
  ];
}

export function penaltyGrad(op: OpOf<'penalty_grad'>, ctx: KernelContext): KernelLaunch[] {
  const code = `dw[i] = dw[i] + ${hypF(op.l1)} * sign(w[i]) + 2.0 * ${hypF(op.l2)} * w[i];`;
  return [
    regionLaunch(
      'penalty-grad',
      op.size,
      [
        { name: 'w', view: ctx.view(op.w), write: false },
        { name: 'dw', view: ctx.view(op.dw), write: true },
      ],
      code,
      ctx,
    ),
  ];
}

export function sumSquares(op: OpOf<'sum_squares'>, ctx: KernelContext): KernelLaunch[] {
  return [
    treeSumLaunch({ label: 'grad-norm-sq', n: op.size, input: ctx.view(op.x), out: ctx.view(op.out), term: 'v * v' }),
  ];
}

export function clipNorm(op: OpOf<'clip_norm'>, ctx: KernelContext): KernelLaunch[] {
  const code = `let coef = ${hypF(op.maxNorm)} / (sqrt(nsq[0].x) + 1e-6);
  x[i] = x[i] * min(coef, 1.0);`;
  return [
    regionLaunch(
      'clip-norm',
      op.size,
      [
        { name: 'x', view: ctx.view(op.x), write: true },
        { name: 'nsq', view: ctx.view(op.normSq), write: false, scalar: true },
      ],
      code,
      ctx,
    ),
  ];
}

export function clipValue(op: OpOf<'clip_value'>, ctx: KernelContext): KernelLaunch[] {
  const code = `let v = ${hypF(op.value)};\n  x[i] = clamp(x[i], V(-v), V(v));`;
  return [regionLaunch('clip-value', op.size, [{ name: 'x', view: ctx.view(op.x), write: true }], code, ctx)];
}
