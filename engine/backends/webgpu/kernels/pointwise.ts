// Pointwise ops: activations and their gradients generated from the shared activation table (engine/graph), add,
// mul, and inverted dropout whose mask comes from the counter RNG shared with the CPU backend (engine/rng).
import { ACTIVATIONS, WGSL_PRELUDE } from '../../../graph/activations';
import type { OpOf } from '../../../graph/ops';
import { WGSL_RNG } from '../../../rng/rng';
import { f32, grid1d, type KernelLaunch } from '../shader';
import { hypF, hypU, type KernelContext, STEP_WGSL, stepU } from './context';
import { mapLaunch } from './elementwise';

export function unary(op: OpOf<'unary'>, ctx: KernelContext): KernelLaunch[] {
  const def = ACTIVATIONS[op.fn];
  return [
    mapLaunch({
      label: `${op.fn} ${op.size}`,
      n: op.size,
      inputs: [{ view: ctx.view(op.x) }],
      out: ctx.view(op.out),
      fns: `${WGSL_PRELUDE}\nfn act(x: f32, p: f32) -> f32 { return ${def.wgsl.f}; }`,
      expr: `act(x0, ${f32(op.param)})`,
    }),
  ];
}

export function unaryGrad(op: OpOf<'unary_grad'>, ctx: KernelContext): KernelLaunch[] {
  const def = ACTIVATIONS[op.fn];
  return [
    mapLaunch({
      label: `${op.fn}-grad ${op.size}`,
      n: op.size,
      inputs: [{ view: ctx.view(op.x) }, { view: ctx.view(op.y) }, { view: ctx.view(op.dy) }],
      out: ctx.view(op.dx),
      fns: `${WGSL_PRELUDE}\nfn dact(x: f32, y: f32, p: f32) -> f32 { return ${def.wgsl.df}; }`,
      expr: `x2 * dact(x0, x1, ${f32(op.param)})`,
    }),
  ];
}

/** a + b or a * b; in place when out is a or b (the output is then read as `cur`). */
function binary(label: string, sym: '+' | '*', a: number, b: number, out: number, n: number, ctx: KernelContext) {
  if (out === a && out === b) {
    return mapLaunch({ label, n, inputs: [], out: ctx.view(out), readsOut: true, expr: `cur ${sym} cur` });
  }
  if (a === b) {
    // x * x (a KL term's mu^2): one binding, since two bindings of one range would alias.
    return mapLaunch({ label, n, inputs: [{ view: ctx.view(a) }], out: ctx.view(out), expr: `x0 ${sym} x0` });
  }
  if (out === a || out === b) {
    const other = out === a ? b : a;
    const expr = out === a ? `cur ${sym} x0` : `x0 ${sym} cur`;
    return mapLaunch({ label, n, inputs: [{ view: ctx.view(other) }], out: ctx.view(out), readsOut: true, expr });
  }
  return mapLaunch({
    label,
    n,
    inputs: [{ view: ctx.view(a) }, { view: ctx.view(b) }],
    out: ctx.view(out),
    expr: `x0 ${sym} x1`,
  });
}

export function add(op: OpOf<'add'>, ctx: KernelContext): KernelLaunch[] {
  return [binary(`add ${op.size}`, '+', op.a, op.b, op.out, op.size, ctx)];
}

export function mul(op: OpOf<'mul'>, ctx: KernelContext): KernelLaunch[] {
  return [binary(`mul ${op.size}`, '*', op.a, op.b, op.out, op.size, ctx)];
}

export function dropout(op: OpOf<'dropout'>, ctx: KernelContext): KernelLaunch[] {
  const seed = ctx.program.seed >>> 0;
  const body = /* wgsl */ `
${STEP_WGSL}
${WGSL_RNG}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= ${op.size}u) { return; }
  let drop = ga_is_dropped(${seed}u, ${op.stream >>> 0}u, ${stepU('step')}, i, ${hypU(op.threshold)});
  let m = select(${hypF(op.scale)}, 0.0, drop);
  mask[i] = m;
  y[i] = x[i] * m;
}`;
  return [
    {
      label: `dropout ${op.size}`,
      body,
      bindings: [
        { name: 'x', access: 'read', type: 'array<f32>', view: ctx.view(op.x) },
        { name: 'y', access: 'read_write', type: 'array<f32>', view: ctx.view(op.out) },
        { name: 'mask', access: 'read_write', type: 'array<f32>', view: ctx.view(op.mask) },
        ...ctx.hyperBindings(),
      ],
      workgroups: grid1d(op.size, 64),
    },
  ];
}
