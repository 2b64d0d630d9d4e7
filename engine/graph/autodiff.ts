// Reverse-mode autodiff over the forward op list, by ONE exhaustive table of gradient rules:
// `{ [K in ForwardOpKind]: GradRule<K> }`. A new forward op without a rule is a type error.
//
// A rule reads the gradient of its op's output (ctx.dy) and asks ctx.dx(input) for a tensor to write each input's
// gradient into; ctx returns the parameter's gradient tensor for parameters, null for inputs that need no gradient
// (the batch input, targets), and otherwise a fresh tensor that ctx sums into any gradient the input already has
// (a residual input receives two; a weight shared by the steps of a recurrent layer receives one per step).
// Pass-through gradients (add) are shared, not copied.

import type { GraphBuilder } from './builder';
import type { ForwardOp, ForwardOpKind, Op, OpOf, TensorId } from './ops';

export interface GradContext {
  /** Gradient of a forward output; null when nothing downstream needs it. */
  dy(t: TensorId): TensorId | null;
  /** Where to write the gradient of input x, or null if x needs none. */
  dx(x: TensorId): TensorId | null;
  /** Gradient of x is exactly g (no op): shares g's storage. */
  passThrough(x: TensorId, g: TensorId): void;
  /** Adds dy into block [start, start + len) of each of the `outer` rows of x's gradient (the backward of a slice):
   * the first slice of x zero-fills a gradient of its own, later ones add their block in place. */
  sliceGrad(x: TensorId, dy: TensorId, outer: number, inSize: number, start: number, len: number): void;
  /** A scratch output the rule must write but nobody reads (e.g. dx of a norm layer on the raw input). */
  scratch(like: TensorId): TensorId;
  emit(op: Op): void;
}

export type GradRule<K extends ForwardOpKind> = (op: OpOf<K>, ctx: GradContext) => void;

export const GRAD_RULES: { [K in ForwardOpKind]: GradRule<K> } = {
  matmul(op, ctx) {
    const dC = ctx.dy(op.out);
    if (dC === null) return;
    const { m, n, k, transA, transB } = op;
    const dA = ctx.dx(op.a);
    if (dA !== null) {
      // dA(logical m x k) = dC . op(B)^T
      if (!transA)
        ctx.emit({
          kind: 'matmul',
          a: dC,
          b: op.b,
          bias: null,
          out: dA,
          m,
          n: k,
          k: n,
          transA: false,
          transB: !transB,
        });
      else
        ctx.emit({
          kind: 'matmul',
          a: op.b,
          b: dC,
          bias: null,
          out: dA,
          m: k,
          n: m,
          k: n,
          transA: transB,
          transB: true,
        });
    }
    const dB = ctx.dx(op.b);
    if (dB !== null) {
      // dB(logical k x n) = op(A)^T . dC
      if (!transB)
        ctx.emit({
          kind: 'matmul',
          a: op.a,
          b: dC,
          bias: null,
          out: dB,
          m: k,
          n,
          k: m,
          transA: !transA,
          transB: false,
        });
      else
        ctx.emit({
          kind: 'matmul',
          a: dC,
          b: op.a,
          bias: null,
          out: dB,
          m: n,
          n: k,
          k: m,
          transA: true,
          transB: transA,
        });
    }
    if (op.bias !== null) {
      const db = ctx.dx(op.bias);
      if (db !== null) ctx.emit({ kind: 'channel_sum', x: dC, out: db, outer: m, channels: n, inner: 1 });
    }
  },
  conv2d(op, ctx) {
    const dy = ctx.dy(op.out);
    if (dy === null) return;
    const { kind: _k, x, weight, bias, out: _o, ...dims } = op;
    const dx = ctx.dx(x);
    if (dx !== null) ctx.emit({ kind: 'conv2d_grad_input', dy, weight, dx, ...dims });
    const dweight = ctx.dx(weight);
    if (dweight !== null) ctx.emit({ kind: 'conv2d_grad_weight', x, dy, dweight, ...dims });
    if (bias !== null) {
      const db = ctx.dx(bias);
      if (db !== null)
        ctx.emit({ kind: 'channel_sum', x: dy, out: db, outer: dims.n, channels: dims.f, inner: dims.oh * dims.ow });
    }
  },
  maxpool2d(op, ctx) {
    const dy = ctx.dy(op.out);
    const { kind: _k, x, out: _o, ...dims } = op;
    const dx = dy === null ? null : ctx.dx(x);
    if (dy !== null && dx !== null) ctx.emit({ kind: 'maxpool2d_grad', x, dy, dx, ...dims });
  },
  avgpool2d(op, ctx) {
    const dy = ctx.dy(op.out);
    const { kind: _k, x, out: _o, ...dims } = op;
    const dx = dy === null ? null : ctx.dx(x);
    if (dy !== null && dx !== null) ctx.emit({ kind: 'avgpool2d_grad', dy, dx, ...dims });
  },
  batchnorm(op, ctx) {
    const dy = ctx.dy(op.out);
    if (dy === null) return;
    const dgamma = ctx.dx(op.gamma) ?? ctx.scratch(op.gamma);
    const dbeta = ctx.dx(op.beta) ?? ctx.scratch(op.beta);
    const dx = ctx.dx(op.x) ?? ctx.scratch(op.x);
    const { x, gamma, saveMean, saveInvStd, outer, channels, inner } = op;
    ctx.emit({ kind: 'batchnorm_grad', x, gamma, saveMean, saveInvStd, dy, dx, dgamma, dbeta, outer, channels, inner });
  },
  layernorm(op, ctx) {
    const dy = ctx.dy(op.out);
    if (dy === null) return;
    const dgamma = ctx.dx(op.gamma) ?? ctx.scratch(op.gamma);
    const dbeta = ctx.dx(op.beta) ?? ctx.scratch(op.beta);
    const dx = ctx.dx(op.x) ?? ctx.scratch(op.x);
    const { x, gamma, saveMean, saveInvStd, rows, cols } = op;
    ctx.emit({ kind: 'layernorm_grad', x, gamma, saveMean, saveInvStd, dy, dx, dgamma, dbeta, rows, cols });
  },
  dropout(op, ctx) {
    const dy = ctx.dy(op.out);
    const dx = dy === null ? null : ctx.dx(op.x);
    if (dy !== null && dx !== null) ctx.emit({ kind: 'mul', a: dy, b: op.mask, out: dx, size: op.size });
  },
  unary(op, ctx) {
    const dy = ctx.dy(op.out);
    const dx = dy === null ? null : ctx.dx(op.x);
    if (dy !== null && dx !== null)
      ctx.emit({ kind: 'unary_grad', fn: op.fn, param: op.param, x: op.x, y: op.out, dy, dx, size: op.size });
  },
  add(op, ctx) {
    const dy = ctx.dy(op.out);
    if (dy === null) return;
    ctx.passThrough(op.a, dy);
    ctx.passThrough(op.b, dy);
  },
  mul(op, ctx) {
    const dy = ctx.dy(op.out);
    if (dy === null) return;
    const da = ctx.dx(op.a);
    if (da !== null) ctx.emit({ kind: 'mul', a: dy, b: op.b, out: da, size: op.size });
    const db = ctx.dx(op.b);
    if (db !== null) ctx.emit({ kind: 'mul', a: dy, b: op.a, out: db, size: op.size });
  },
  add_bcast(op, ctx) {
    const dy = ctx.dy(op.out);
    if (dy === null) return;
    ctx.passThrough(op.a, dy);
    const db = ctx.dx(op.b);
    if (db !== null) ctx.emit({ kind: 'channel_sum', x: dy, out: db, outer: op.outer, channels: op.inner, inner: 1 });
  },
  slice(op, ctx) {
    const dy = ctx.dy(op.out);
    if (dy !== null) ctx.sliceGrad(op.x, dy, op.outer, op.inSize, op.start, op.len);
  },
  concat(op, ctx) {
    const dy = ctx.dy(op.out);
    if (dy === null) return;
    const total = op.sizes.reduce((a, b) => a + b, 0);
    let start = 0;
    op.inputs.forEach((x, i) => {
      const len = op.sizes[i];
      const dx = ctx.dx(x);
      if (dx !== null) ctx.emit({ kind: 'slice', x: dy, out: dx, outer: op.outer, inSize: total, start, len });
      start += len;
    });
  },
  transpose(op, ctx) {
    const dy = ctx.dy(op.out);
    const dx = dy === null ? null : ctx.dx(op.x);
    if (dy !== null && dx !== null)
      ctx.emit({ kind: 'transpose', x: dy, out: dx, outer: op.outer, a: op.b, b: op.a, inner: op.inner });
  },
  bmm(op, ctx) {
    const dC = ctx.dy(op.out);
    if (dC === null) return;
    const { batch, m, n, k, transA, transB, alpha } = op;
    const dA = ctx.dx(op.a);
    if (dA !== null) {
      // As matmul: dA = alpha dC . op(B)^T, written in A's stored layout.
      if (!transA)
        ctx.emit({ kind: 'bmm', a: dC, b: op.b, out: dA, batch, m, n: k, k: n, transA: false, transB: !transB, alpha });
      else
        ctx.emit({
          kind: 'bmm',
          a: op.b,
          b: dC,
          out: dA,
          batch,
          m: k,
          n: m,
          k: n,
          transA: transB,
          transB: true,
          alpha,
        });
    }
    const dB = ctx.dx(op.b);
    if (dB !== null) {
      if (!transB)
        ctx.emit({ kind: 'bmm', a: op.a, b: dC, out: dB, batch, m: k, n, k: m, transA: !transA, transB: false, alpha });
      else
        ctx.emit({
          kind: 'bmm',
          a: dC,
          b: op.a,
          out: dB,
          batch,
          m: n,
          n: k,
          k: m,
          transA: true,
          transB: transA,
          alpha,
        });
    }
  },
  softmax(op, ctx) {
    const dy = ctx.dy(op.out);
    const dx = dy === null ? null : ctx.dx(op.x);
    if (dy !== null && dx !== null) ctx.emit({ kind: 'softmax_grad', y: op.out, dy, dx, rows: op.rows, cols: op.cols });
  },
  gather(op, ctx) {
    const dy = ctx.dy(op.out);
    const dt = dy === null ? null : ctx.dx(op.table);
    if (dy !== null && dt !== null)
      ctx.emit({ kind: 'gather_grad', index: op.index, dy, dtable: dt, rows: op.rows, dim: op.dim, vocab: op.vocab });
  },
  mean_axis(op, ctx) {
    const dy = ctx.dy(op.out);
    const dx = dy === null ? null : ctx.dx(op.x);
    if (dy !== null && dx !== null)
      ctx.emit({ kind: 'mean_axis_grad', dy, dx, outer: op.outer, n: op.n, inner: op.inner });
  },
  upsample(op, ctx) {
    const dy = ctx.dy(op.out);
    const dx = dy === null ? null : ctx.dx(op.x);
    if (dy !== null && dx !== null)
      ctx.emit({ kind: 'upsample_grad', dy, dx, planes: op.planes, h: op.h, w: op.w, scale: op.scale });
  },
  conv_transpose2d(op, ctx) {
    // The forward is conv2d's input gradient, so its gradients are the convolution itself and its weight gradient
    // with the roles of x and dy exchanged.
    const dy = ctx.dy(op.out);
    if (dy === null) return;
    const { kind: _k, x, weight, bias, out: _o, ...dims } = op;
    const dx = ctx.dx(x);
    if (dx !== null) ctx.emit({ kind: 'conv2d', x: dy, weight, bias: null, out: dx, ...dims });
    const dweight = ctx.dx(weight);
    if (dweight !== null) ctx.emit({ kind: 'conv2d_grad_weight', x: dy, dy: x, dweight, ...dims });
    if (bias !== null) {
      const db = ctx.dx(bias);
      if (db !== null)
        ctx.emit({ kind: 'channel_sum', x: dy, out: db, outer: dims.n, channels: dims.c, inner: dims.h * dims.w });
    }
  },
  scale(op, ctx) {
    const dy = ctx.dy(op.out);
    const dx = dy === null ? null : ctx.dx(op.x);
    if (dy !== null && dx !== null) ctx.emit({ kind: 'scale', x: dy, out: dx, size: op.size, factor: op.factor });
  },
  exp(op, ctx) {
    // d exp(f x) = f * exp(f x) dx: the output times dy, scaled.
    const dy = ctx.dy(op.out);
    const dx = dy === null ? null : ctx.dx(op.x);
    if (dy === null || dx === null) return;
    const info = ctx.scratch(op.out);
    ctx.emit({ kind: 'mul', a: dy, b: op.out, out: info, size: op.size });
    ctx.emit({ kind: 'scale', x: info, out: dx, size: op.size, factor: op.factor });
  },
  stop_grad() {},
  randn() {},
  sum(op, ctx) {
    const dy = ctx.dy(op.out);
    const dx = dy === null ? null : ctx.dx(op.x);
    if (dy !== null && dx !== null) ctx.emit({ kind: 'fill_grad', dy, dx, size: op.size });
  },
  loss(op, ctx) {
    const dpred = ctx.dx(op.pred);
    if (dpred === null) return;
    const { kind: _k, out: _o, ...rest } = op;
    ctx.emit({ kind: 'loss_grad', ...rest, dpred });
  },
};

function applyRule(op: ForwardOp, ctx: GradContext): void {
  // The table is exhaustive by type; this cast only recovers the kind-to-op correlation TypeScript cannot track.
  (GRAD_RULES[op.kind] as GradRule<ForwardOpKind>)(op as never, ctx);
}

/** Emits the backward ops of `forward` (whose last op is the loss). `paramGrads` maps a parameter tensor to its
 * gradient tensor; `noGrad` lists tensors that need none (batch input and targets); `terms` are further scalar
 * loss terms (e.g. a KL term) with the constant tensor holding their weight.
 *
 * The forward list is a DAG in topological order, so walking it backwards visits every use of a value before the
 * op that produced it: when a rule asks for dy, every contribution to it has been summed. Contributions from several
 * uses are summed: an activation's into a fresh sum tensor, a parameter's in place into its gradient (the first use
 * writes the gradient tensor directly, later uses write scratch that is then added in). */
export function differentiate(
  b: GraphBuilder,
  forward: ForwardOp[],
  paramGrads: Map<TensorId, TensorId>,
  noGrad: Set<TensorId>,
  terms: readonly { t: TensorId; seed: TensorId }[] = [],
): Op[] {
  const ops: Op[] = [];
  // Loss terms without targets start with their weight as gradient; the data loss seeds itself (loss_grad).
  const grads = new Map<TensorId, TensorId>(terms.map((term) => [term.t, term.seed]));
  // Parameters whose gradient tensor already holds a contribution.
  const written = new Set<TensorId>();
  // Activation gradients that only slice backward wrote (so nobody else shares their storage: safe to add into).
  const sliceOwned = new Set<TensorId>();
  const lossOp = forward[forward.length - 1];
  if (lossOp?.kind !== 'loss') throw new Error('the last forward op must be the loss');
  const pending: { x: TensorId; tmp: TensorId }[] = [];

  const accumulate = (x: TensorId, g: TensorId): void => {
    const pg = paramGrads.get(x);
    if (pg !== undefined) {
      const size = b.info(x).size;
      // A pass-through gradient (shared storage) is copied in; later ones are added in place.
      if (written.has(x)) ops.push({ kind: 'add', a: pg, b: g, out: pg, size });
      else ops.push({ kind: 'scale', x: g, out: pg, size, factor: 1 });
      written.add(x);
      return;
    }
    const prev = grads.get(x);
    if (prev === undefined) {
      grads.set(x, g);
      return;
    }
    const info = b.info(x);
    const sum = b.act(`grad.${info.name}.sum${ops.length}`, info.shape, 'grad_activation');
    ops.push({ kind: 'add', a: prev, b: g, out: sum, size: info.size });
    grads.set(x, sum);
  };

  const ctx: GradContext = {
    dy: (t) => grads.get(t) ?? null,
    dx: (x) => {
      if (noGrad.has(x)) return null;
      const pg = paramGrads.get(x);
      const info = b.info(x);
      if (pg !== undefined) {
        if (!written.has(x) && !pending.some((q) => q.x === x)) {
          written.add(x);
          return pg;
        }
        const tmp = b.act(`grad.${info.name}.use${ops.length}`, info.shape, 'grad_activation');
        pending.push({ x, tmp });
        return tmp;
      }
      if (info.arena === 'state') return null; // buffers
      const tmp = b.act(`grad.${info.name}${grads.has(x) ? `.${ops.length}` : ''}`, info.shape, 'grad_activation');
      pending.push({ x, tmp });
      return tmp;
    },
    sliceGrad: (x, dy, outer, inSize, start, len) => {
      if (noGrad.has(x)) return;
      const prev = grads.get(x);
      if (prev !== undefined && sliceOwned.has(prev)) {
        ops.push({ kind: 'slice_acc', dy, dx: prev, outer, inSize, start, len });
        return;
      }
      const dx = ctx.dx(x);
      if (dx === null) return;
      ops.push({ kind: 'slice_grad', dy, dx, outer, inSize, start, len });
      // A fresh activation gradient with no earlier contribution becomes this value's accumulator.
      if (prev === undefined && !paramGrads.has(x)) {
        const i = pending.findIndex((q) => q.tmp === dx);
        if (i >= 0) pending.splice(i, 1);
        grads.set(x, dx);
        sliceOwned.add(dx);
      }
    },
    passThrough: (x, g) => {
      // Shared now: later slices must not add into it in place (that would change the other holders' gradient).
      sliceOwned.delete(g);
      if (noGrad.has(x)) return;
      if (!paramGrads.has(x) && b.info(x).arena === 'state') return;
      accumulate(x, g);
    },
    scratch: (like) => {
      const info = b.info(like);
      return b.act(`scratch.${info.name}.${ops.length}`, info.shape, 'grad_activation');
    },
    emit: (op) => ops.push(op),
  };

  for (let i = forward.length - 1; i >= 0; i--) {
    applyRule(forward[i], ctx);
    // Fresh gradient tensors the rule wrote are summed in only after its ops, so a rule never reads a partial sum.
    for (const { x, tmp } of pending.splice(0)) accumulate(x, tmp);
  }
  return ops;
}
