// Dispatch fusion over a step's op list (a backend-side peephole; the Program stays as compiled):
// - matmul followed by the activation of its output -> one matmul whose epilogue writes both tensors;
// - loss, accuracy and loss gradient on the same pred/target -> one single-workgroup dispatch (which also writes
//   the per-step loss ring).
// Everything else goes through the kernel table one op at a time. Fewer dispatches matter most for small networks,
// where a step is dozens of tiny kernels and dispatch overhead dominates.
import { ACTIVATIONS, WGSL_PRELUDE } from '../../../graph/activations';
import { type Op, type OpOf, opIO } from '../../../graph/ops';
import { f32, type KernelLaunch } from '../shader';
import type { KernelContext } from './context';
import { conv2dForwardGemm } from './convGemm';
import { lossFamily } from './loss';
import { matmulLaunch } from './matmul';
import { convShape, opLaunches } from './table';

export function planLaunches(ops: readonly Op[], ctx: KernelContext): KernelLaunch[] {
  const out: KernelLaunch[] = [];
  const skip = new Set<number>();
  for (let i = 0; i < ops.length; i++) {
    if (skip.has(i)) continue;
    const op = ops[i];
    const next = ops[i + 1];
    if (op.kind === 'matmul' && next?.kind === 'unary' && next.x === op.out && next.out !== op.out) {
      out.push(fusedMatmulAct(op, next, ctx));
      skip.add(i + 1);
      continue;
    }
    if (op.kind === 'conv2d' && next?.kind === 'unary' && next.x === op.out && next.out !== op.out) {
      out.push(fusedConvAct(op, next, ctx));
      skip.add(i + 1);
      continue;
    }
    if (op.kind === 'loss') {
      const { acc, grad } = lossPartners(ops, i);
      if (acc !== null) skip.add(acc);
      if (grad !== null) skip.add(grad);
      out.push(
        lossFamily(
          op,
          acc === null ? null : (ops[acc] as OpOf<'accuracy'>),
          grad === null ? null : (ops[grad] as OpOf<'loss_grad'>),
          ctx,
        ),
      );
      continue;
    }
    out.push(...opLaunches(op, ctx));
  }
  return out;
}

function fusedMatmulAct(mm: OpOf<'matmul'>, act: OpOf<'unary'>, ctx: KernelContext): KernelLaunch {
  return matmulLaunch({
    label: `matmul+${act.fn}`,
    M: mm.m,
    N: mm.n,
    K: mm.k,
    transA: mm.transA,
    transB: mm.transB,
    a: ctx.view(mm.a),
    b: ctx.view(mm.b),
    bias: mm.bias === null ? undefined : ctx.view(mm.bias),
    out: ctx.view(mm.out),
    act: { f: ACTIVATIONS[act.fn].wgsl.f, param: f32(act.param), fns: WGSL_PRELUDE, out: ctx.view(act.out) },
  });
}

function fusedConvAct(conv: OpOf<'conv2d'>, act: OpOf<'unary'>, ctx: KernelContext): KernelLaunch {
  return conv2dForwardGemm(
    'conv',
    convShape(conv),
    ctx.view(conv.x),
    ctx.view(conv.weight),
    conv.bias === null ? undefined : ctx.view(conv.bias),
    ctx.view(conv.out),
    { f: ACTIVATIONS[act.fn].wgsl.f, param: f32(act.param), fns: WGSL_PRELUDE, out: ctx.view(act.out) },
  );
}

/** The accuracy and loss-gradient ops that can run together with the loss at index i: same pred and target, and
 * nothing in between writes pred/target or touches the gradient's output. */
function lossPartners(ops: readonly Op[], i: number): { acc: number | null; grad: number | null } {
  const L = ops[i] as OpOf<'loss'>;
  let acc: number | null = null;
  let grad: number | null = null;
  const guarded = new Set([L.pred, L.target]);
  for (let j = i + 1; j < ops.length; j++) {
    const op = ops[j];
    if (op.kind === 'accuracy' && acc === null && op.pred === L.pred && op.target === L.target) {
      acc = j;
      continue;
    }
    if (op.kind === 'loss_grad' && op.pred === L.pred && op.target === L.target && op.loss === L.loss) {
      grad = j;
      break;
    }
    const io = opIO(op);
    if (io.writes.some((t) => guarded.has(t))) break;
  }
  // The gradient moves earlier (to i): ops between must not read or write its output.
  if (grad !== null) {
    const g = ops[grad] as OpOf<'loss_grad'>;
    for (let j = i + 1; j < grad; j++) {
      const io = opIO(ops[j]);
      if (io.reads.includes(g.dpred) || io.writes.includes(g.dpred)) {
        grad = null;
        break;
      }
    }
  }
  return { acc, grad };
}
