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
import { matmulLaunch, matmulVariant } from './matmul';
import { poolBackward } from './pool';
import { convShape, opLaunches, poolShape } from './table';

/** A fused epilogue writes the activation while the producer still reads its inputs: the activation's storage
 * must not overlap them (the planner may reuse a dead input's storage for it, e.g. when no weight gradient keeps
 * the input alive, as in a step that does not train that layer). */
function epilogueSafe(op: OpOf<'matmul'> | OpOf<'conv2d'>, act: OpOf<'unary'>, ctx: KernelContext): boolean {
  return act.out !== op.out && !opIO(op).reads.some((r) => overlaps(ctx, r, act.out));
}

export function planLaunches(ops: readonly Op[], ctx: KernelContext): KernelLaunch[] {
  const out: KernelLaunch[] = [];
  const skip = new Set<number>();
  /** Producers moved down to run fused with the activation gradient at this index. */
  const sunk = new Map<number, GradProducer>();
  for (let i = 0; i < ops.length; i++) {
    if (skip.has(i)) continue;
    const op = ops[i];
    const next = ops[i + 1];
    if (op.kind === 'matmul' && next?.kind === 'unary' && next.x === op.out && epilogueSafe(op, next, ctx)) {
      out.push(fusedMatmulAct(op, next, ctx));
      skip.add(i + 1);
      continue;
    }
    if (op.kind === 'conv2d' && next?.kind === 'unary' && next.x === op.out && epilogueSafe(op, next, ctx)) {
      out.push(fusedConvAct(op, next, ctx));
      skip.add(i + 1);
      continue;
    }
    if (op.kind === 'matmul' && op.transA && matmulVariant(op.m, op.n) === 'simple') {
      const j = biasGradAfter(ops, i, ctx);
      if (j !== null) {
        const cs = ops[j] as OpOf<'channel_sum'>;
        out.push(
          matmulLaunch({
            label: 'matmul+bias-grad',
            M: op.m,
            N: op.n,
            K: op.k,
            transA: true,
            transB: op.transB,
            a: ctx.view(op.a),
            b: ctx.view(op.b),
            bias: op.bias === null ? undefined : ctx.view(op.bias),
            out: ctx.view(op.out),
            colSumA: ctx.view(cs.out),
          }),
        );
        skip.add(j);
        continue;
      }
    }
    if (op.kind === 'matmul' || op.kind === 'maxpool2d_grad' || op.kind === 'avgpool2d_grad') {
      const found = activationGradAfter(ops, i, ctx);
      if (found?.how === 'hoist') {
        out.push(fusedGradAct(op, ops[found.j] as OpOf<'unary_grad'>, ctx));
        skip.add(found.j);
        continue;
      }
      if (found?.how === 'sink') {
        sunk.set(found.j, op);
        continue;
      }
    }
    if (op.kind === 'unary_grad' && sunk.has(i)) {
      out.push(fusedGradAct(sunk.get(i) as GradProducer, op, ctx));
      continue;
    }
    if (op.kind === 'loss') {
      const { acc, grad } = lossPartners(ops, i, ctx);
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
    select: ctx.kernels,
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
    ctx.kernels,
  );
}

type GradProducer = OpOf<'matmul' | 'maxpool2d_grad' | 'avgpool2d_grad'>;

function fusedGradAct(op: GradProducer, ug: OpOf<'unary_grad'>, ctx: KernelContext): KernelLaunch {
  const gradAct = {
    df: ACTIVATIONS[ug.fn].wgsl.df,
    param: f32(ug.param),
    fns: WGSL_PRELUDE,
    x: ctx.view(ug.x),
    y: ctx.view(ug.y),
    out: ctx.view(ug.dx),
  };
  if (op.kind === 'matmul')
    return matmulLaunch({
      label: `matmul+${ug.fn}-grad`,
      M: op.m,
      N: op.n,
      K: op.k,
      transA: op.transA,
      transB: op.transB,
      a: ctx.view(op.a),
      b: ctx.view(op.b),
      bias: op.bias === null ? undefined : ctx.view(op.bias),
      out: ctx.view(op.out),
      gradAct,
      select: ctx.kernels,
    });
  const mode = op.kind === 'maxpool2d_grad' ? 'max' : 'avg';
  const x = op.kind === 'maxpool2d_grad' ? ctx.view(op.x) : undefined;
  return poolBackward('pool', mode, poolShape(op), x, ctx.view(op.dy), ctx.view(op.dx), gradAct);
}

function outOf(op: GradProducer): number {
  return op.kind === 'matmul' ? op.out : op.dx;
}

/** Whether two tensors share memory (same arena, overlapping ranges): lifetime-based reuse makes distinct
 * tensors alias when their live ranges do not overlap in the ORIGINAL op order. */
function overlaps(ctx: KernelContext, a: number, b: number): boolean {
  const ta = ctx.program.tensors[a];
  const tb = ctx.program.tensors[b];
  return ta.arena === tb.arena && ta.offset < tb.offset + tb.size && tb.offset < ta.offset + ta.size;
}

/** Can op `j` run at position i (before the ops in between)? Nothing in between may touch (or share memory with)
 * what j writes, or write what j reads. */
function canHoist(ops: readonly Op[], i: number, j: number, ctx: KernelContext): boolean {
  const moved = opIO(ops[j]);
  for (let k = i + 1; k < j; k++) {
    const io = opIO(ops[k]);
    for (const t of [...io.reads, ...io.writes]) if (moved.writes.some((w) => overlaps(ctx, t, w))) return false;
    for (const t of io.writes) if (moved.reads.some((r) => overlaps(ctx, t, r))) return false;
  }
  return true;
}

/** Can op `i` run at position j - 1 (after the ops in between)? Nothing in between may write what i reads, or
 * touch what i writes. */
function canSink(ops: readonly Op[], i: number, j: number, ctx: KernelContext): boolean {
  const moved = opIO(ops[i]);
  for (let k = i + 1; k < j; k++) {
    const io = opIO(ops[k]);
    for (const t of [...io.reads, ...io.writes]) if (moved.writes.some((w) => overlaps(ctx, t, w))) return false;
    for (const t of io.writes) if (moved.reads.some((r) => overlaps(ctx, t, r))) return false;
  }
  return true;
}

/** The activation gradient consuming op i's output, and how to fuse them: run the gradient early (hoist) or the
 * producer late (sink), whichever the ops in between allow. */
function activationGradAfter(
  ops: readonly Op[],
  i: number,
  ctx: KernelContext,
): { j: number; how: 'hoist' | 'sink' } | null {
  const op = ops[i] as GradProducer;
  const produced = outOf(op);
  for (let j = i + 1; j < ops.length; j++) {
    const u = ops[j];
    if (u.kind !== 'unary_grad' || u.dy !== produced) continue;
    const mine = opIO(op);
    if (mine.reads.some((r) => overlaps(ctx, r, u.dx)) || overlaps(ctx, produced, u.dx)) return null;
    if (canHoist(ops, i, j, ctx)) return { j, how: 'hoist' };
    if (canSink(ops, i, j, ctx)) return { j, how: 'sink' };
    return null;
  }
  return null;
}

/** The bias gradient (channel sum over the batch of the same upstream gradient) of the weight-gradient matmul at i,
 * if it can run together with it. */
function biasGradAfter(ops: readonly Op[], i: number, ctx: KernelContext): number | null {
  const mm = ops[i] as OpOf<'matmul'>;
  for (let j = i + 1; j < ops.length; j++) {
    const c = ops[j];
    if (c.kind !== 'channel_sum' || c.x !== mm.a) continue;
    if (c.inner !== 1 || c.outer !== mm.k || c.channels !== mm.m) return null;
    if (overlaps(ctx, c.out, mm.out) || opIO(mm).reads.some((r) => overlaps(ctx, r, c.out))) return null;
    return canHoist(ops, i, j, ctx) ? j : null;
  }
  return null;
}

/** The accuracy and loss-gradient ops that can run together with the loss at index i: same pred and target, and
 * nothing in between writes pred/target or touches the gradient's output. */
function lossPartners(ops: readonly Op[], i: number, ctx: KernelContext): { acc: number | null; grad: number | null } {
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
  // The gradient moves earlier (to i): ops between (other than the accuracy) must not touch its output's memory.
  if (grad !== null) {
    const g = ops[grad] as OpOf<'loss_grad'>;
    for (let j = i + 1; j < grad; j++) {
      const io = opIO(ops[j]);
      if ([...io.reads, ...io.writes].some((t) => overlaps(ctx, t, g.dpred))) {
        grad = null;
        break;
      }
    }
  }
  return { acc, grad };
}
