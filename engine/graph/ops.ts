// The op vocabulary of a compiled Program: every op a backend must be able to run.
//
// Ops are plain data (JSON-serialisable, so a Program can cross a worker boundary or be printed for debugging).
// Each op names its tensors by TensorId and carries every dimension its kernel needs, so kernels never look at the
// spec or at shapes. Variants are folded into attributes to keep the kind list (and the per-backend kernel tables)
// small: one `unary` op whose `fn` names an activation-table entry, one `loss` op whose `loss` names the loss.
//
// Conventions every kernel relies on:
// - All tensors are f32, row-major; class-index targets are stored as f32 integers (exact below 2^24).
// - An op's outputs never alias its inputs, EXCEPT where an op says "in place" (add with out === a, and the clip and
//   optimizer ops, which update state-arena regions in place). The memory planner guarantees the rest.
// - Every output is fully overwritten (no op relies on a zeroed output), except `out` of an in-place op.
// - Hot scalars are read from the uniform block through a `SlotId` (see program.ts `HyperSlot`); the per-step
//   scalars (the 0-based `step` and the scheduled `lr`) come from the current `StepRecord` (backend.ts). Attributes
//   that are plain numbers are structural: changing them means recompiling.

import type { ActivationName } from '../spec/types';

/** Index into Program.tensors. */
export type TensorId = number;
/** Index into Program.hypers (a 32-bit slot in the uniform block). */
export type SlotId = number;

// ---------------------------------------------------------------- forward ops (each has a gradient rule)

/** out[m,n] = op(a)[m,k] · op(b)[k,n] (+ bias[n]); op(a) = a^T when transA (a stored [k,m]), likewise b ([n,k]).
 * Dense forward is matmul(x, W, transB) + bias; its backward is two more matmuls. */
export interface MatmulOp {
  kind: 'matmul';
  a: TensorId;
  b: TensorId;
  bias: TensorId | null;
  out: TensorId;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

/** Shared dimensions of 2-D convolution and pooling: input [n,c,h,w] -> output [n,f,oh,ow]. */
export interface Conv2dDims {
  n: number;
  c: number;
  h: number;
  w: number;
  /** Output channels (conv filters; equals c for pooling). */
  f: number;
  kh: number;
  kw: number;
  stride: number;
  /** Zero padding on each side (always 0 for pooling). */
  pad: number;
  oh: number;
  ow: number;
}

/** Cross-correlation as torch.nn.Conv2d; weight is [f, c, kh, kw]. (`w` is the input width, from Conv2dDims.) */
export interface Conv2dOp extends Conv2dDims {
  kind: 'conv2d';
  x: TensorId;
  weight: TensorId;
  bias: TensorId | null;
  out: TensorId;
}

export interface MaxPool2dOp extends Conv2dDims {
  kind: 'maxpool2d';
  x: TensorId;
  out: TensorId;
}

/** count_include_pad is moot: pooling has no padding here. */
export interface AvgPool2dOp extends Conv2dDims {
  kind: 'avgpool2d';
  x: TensorId;
  out: TensorId;
}

/** Training-mode batch normalisation over x viewed as [outer, channels, inner] (BN1d: inner = 1; BN2d: inner = h*w).
 * Normalises with the biased batch variance; saves mean and 1/sqrt(var+eps) for the backward pass; updates the
 * running stats in place with momentum and the UNBIASED variance (n/(n-1) with n = outer*inner), as PyTorch does. */
export interface BatchNormOp {
  kind: 'batchnorm';
  x: TensorId;
  gamma: TensorId;
  beta: TensorId;
  out: TensorId;
  runningMean: TensorId;
  runningVar: TensorId;
  saveMean: TensorId;
  saveInvStd: TensorId;
  outer: number;
  channels: number;
  inner: number;
  eps: number;
  momentum: number;
}

/** Layer normalisation of each of `rows` rows of `cols` values (all non-batch dims), affine gamma/beta of [cols]. */
export interface LayerNormOp {
  kind: 'layernorm';
  x: TensorId;
  gamma: TensorId;
  beta: TensorId;
  out: TensorId;
  saveMean: TensorId;
  saveInvStd: TensorId;
  rows: number;
  cols: number;
  eps: number;
}

/** Inverted dropout. Element i is dropped when (rngU32(seed, stream, step, i) >>> 8) < threshold, where the u32
 * slot `threshold` = round(rate * 2^24) and the f32 slot `scale` = 1/(1-rate); kept elements are scaled, and the
 * mask (0 or scale) is saved for the backward pass. The same counter RNG in WGSL (engine/rng) makes CPU and WebGPU
 * drop the same elements. */
export interface DropoutOp {
  kind: 'dropout';
  x: TensorId;
  out: TensorId;
  mask: TensorId;
  size: number;
  threshold: SlotId;
  scale: SlotId;
  /** RNG stream, unique per dropout layer, so layers draw independent masks. */
  stream: number;
}

/** Elementwise activation from engine/graph/activations.ts; `param` is its structural parameter (leaky slope,
 * elu alpha; 0 when unused). */
export interface UnaryOp {
  kind: 'unary';
  fn: ActivationName;
  param: number;
  x: TensorId;
  out: TensorId;
  size: number;
}

/** out = a + b, elementwise. May run in place (out === a): autodiff uses that to accumulate gradients. */
export interface AddOp {
  kind: 'add';
  a: TensorId;
  b: TensorId;
  out: TensorId;
  size: number;
}

export type LossKind = 'mse' | 'mae' | 'huber' | 'bce_logits' | 'cross_entropy';

/** Writes the mean data loss (PyTorch reduction='mean': over all elements for mse/mae/huber/bce_logits, over the
 * batch for cross_entropy) to out[0]. pred is [rows, cols]; target is [rows, cols], or [rows] class indices for
 * cross_entropy (cols = classes). */
export interface LossOp {
  kind: 'loss';
  loss: LossKind;
  pred: TensorId;
  target: TensorId;
  out: TensorId;
  rows: number;
  cols: number;
  /** Huber delta (structural); 0 for other losses. */
  delta: number;
  /** f32 slot holding cross_entropy label smoothing; -1 for other losses. */
  smoothing: SlotId;
}

// ---------------------------------------------------------------- tensor ops (sequences, attention, the DAG core)
// Each views its tensors as small row-major blocks given by structural sizes, so one op covers every axis: e.g.
// slicing axis 1 of [B, T, F] is `outer = B, inSize = T*F, start = t*F, len = F`.

/** out = a + b where b repeats over the outer dimension: a, out [outer, inner], b [inner] (bias and positional
 * adds, broadcasting as torch does for a trailing-shape operand). */
export interface AddBcastOp {
  kind: 'add_bcast';
  a: TensorId;
  b: TensorId;
  out: TensorId;
  outer: number;
  inner: number;
}

/** out[o, j] = x[o, start + j] for x viewed [outer, inSize], out [outer, len]. */
export interface SliceOp {
  kind: 'slice';
  x: TensorId;
  out: TensorId;
  outer: number;
  inSize: number;
  start: number;
  len: number;
}

/** out[o, :] = concat_k inputs[k][o, :], each input [outer, sizes[k]], out [outer, sum(sizes)]. */
export interface ConcatOp {
  kind: 'concat';
  inputs: TensorId[];
  out: TensorId;
  outer: number;
  sizes: number[];
}

/** Swaps two axes: x [outer, a, b, inner] -> out [outer, b, a, inner] (2-D transpose: outer = inner = 1; attention
 * heads: [B, T, H, dh] -> [B, H, T, dh]). */
export interface TransposeOp {
  kind: 'transpose';
  x: TensorId;
  out: TensorId;
  outer: number;
  a: number;
  b: number;
  inner: number;
}

/** Batched matmul: out[i] = alpha * op(a[i]) . op(b[i]) for i < batch, with matmul's layout conventions per batch
 * entry (a [m,k] or [k,m] when transA; b [k,n] or [n,k] when transB; out [m,n]). */
export interface BmmOp {
  kind: 'bmm';
  a: TensorId;
  b: TensorId;
  out: TensorId;
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
}

/** Row-wise softmax over the last dim of x [rows, cols]. With causal = T > 0, row r is query r % T and columns
 * j > r % T are masked out (probability exactly 0, as torch's -inf mask gives). */
export interface SoftmaxOp {
  kind: 'softmax';
  x: TensorId;
  out: TensorId;
  rows: number;
  cols: number;
  causal: number;
}

/** Embedding lookup: out[r, :] = table[index[r], :] for index [rows] (f32 integers in [0, vocab)), table
 * [vocab, dim]. An index out of range reads zeros. */
export interface GatherOp {
  kind: 'gather';
  table: TensorId;
  index: TensorId;
  out: TensorId;
  rows: number;
  dim: number;
  vocab: number;
}

/** Mean over the middle axis: x [outer, n, inner] -> out [outer, inner] (seqpool mean). */
export interface MeanAxisOp {
  kind: 'mean_axis';
  x: TensorId;
  out: TensorId;
  outer: number;
  n: number;
  inner: number;
}

/** Nearest upsampling by an integer scale: x [planes, h, w] -> out [planes, h*scale, w*scale] (nn.Upsample). */
export interface UpsampleOp {
  kind: 'upsample';
  x: TensorId;
  out: TensorId;
  planes: number;
  h: number;
  w: number;
  scale: number;
}

/** nn.ConvTranspose2d, weight [in, out, kh, kw]: the input-gradient of the equivalent convolution. The dims are
 * that convolution's: `c`, `h`, `w` are the transposed conv's OUTPUT channels and size, `f`, `oh`, `ow` its
 * input's (so the output size carries output_padding). */
export interface ConvTranspose2dOp extends Conv2dDims {
  kind: 'conv_transpose2d';
  x: TensorId;
  weight: TensorId;
  bias: TensorId | null;
  out: TensorId;
}

/** out = factor * x (loss-term weights, the 0.5 of a log-variance). */
export interface ScaleOp {
  kind: 'scale';
  x: TensorId;
  out: TensorId;
  size: number;
  factor: number;
}

/** out = exp(factor * x) (the standard deviation exp(logvar / 2) of a sampling layer, and its KL term). */
export interface ExpOp {
  kind: 'exp';
  x: TensorId;
  out: TensorId;
  size: number;
  factor: number;
}

/** out = x; the gradient stops here (detach). */
export interface StopGradOp {
  kind: 'stop_grad';
  x: TensorId;
  out: TensorId;
  size: number;
}

/** Standard normal samples from the counter RNG: out[i] = rngNormal(seed, stream, step, i) (Box-Muller over two
 * draws, engine/rng), so both backends draw the same noise each step. */
export interface RandnOp {
  kind: 'randn';
  out: TensorId;
  size: number;
  stream: number;
}

/** A scalar loss term of its own: out[0] = sum of x (KL terms: the lowering shapes x so the sum is the term). */
export interface SumOp {
  kind: 'sum';
  x: TensorId;
  out: TensorId;
  size: number;
}

// ---------------------------------------------------------------- backward ops (emitted by gradient rules)

/** dx = dy * f'(x) with f from the activation table (the derivative may use y = f(x) where that is cheaper). */
export interface UnaryGradOp {
  kind: 'unary_grad';
  fn: ActivationName;
  param: number;
  x: TensorId;
  y: TensorId;
  dy: TensorId;
  dx: TensorId;
  size: number;
}

/** out = a * b elementwise (gates of recurrent cells; dropout backward: dx = dy * mask). May run in place. */
export interface MulOp {
  kind: 'mul';
  a: TensorId;
  b: TensorId;
  out: TensorId;
  size: number;
}

/** out[c] = sum over outer and inner of x viewed as [outer, channels, inner] (bias gradients). */
export interface ChannelSumOp {
  kind: 'channel_sum';
  x: TensorId;
  out: TensorId;
  outer: number;
  channels: number;
  inner: number;
}

/** dx of conv2d (a transposed convolution of dy with w). */
export interface Conv2dGradInputOp extends Conv2dDims {
  kind: 'conv2d_grad_input';
  dy: TensorId;
  weight: TensorId;
  dx: TensorId;
}

/** dw of conv2d (correlation of x with dy over the batch). */
export interface Conv2dGradWeightOp extends Conv2dDims {
  kind: 'conv2d_grad_weight';
  x: TensorId;
  dy: TensorId;
  dweight: TensorId;
}

/** Routes dy to the first maximum of each window (PyTorch picks the first max in row-major window order);
 * overlapping windows add. Recomputes the argmax from x instead of saving indices. */
export interface MaxPool2dGradOp extends Conv2dDims {
  kind: 'maxpool2d_grad';
  x: TensorId;
  dy: TensorId;
  dx: TensorId;
}

export interface AvgPool2dGradOp extends Conv2dDims {
  kind: 'avgpool2d_grad';
  dy: TensorId;
  dx: TensorId;
}

/** Training-mode batchnorm backward from the saved batch statistics. */
export interface BatchNormGradOp {
  kind: 'batchnorm_grad';
  x: TensorId;
  gamma: TensorId;
  saveMean: TensorId;
  saveInvStd: TensorId;
  dy: TensorId;
  dx: TensorId;
  dgamma: TensorId;
  dbeta: TensorId;
  outer: number;
  channels: number;
  inner: number;
}

export interface LayerNormGradOp {
  kind: 'layernorm_grad';
  x: TensorId;
  gamma: TensorId;
  saveMean: TensorId;
  saveInvStd: TensorId;
  dy: TensorId;
  dx: TensorId;
  dgamma: TensorId;
  dbeta: TensorId;
  rows: number;
  cols: number;
}

/** dx of slice: dx[o, start + j] = dy[o, j], zero elsewhere (fully overwrites dx). */
export interface SliceGradOp {
  kind: 'slice_grad';
  dy: TensorId;
  dx: TensorId;
  outer: number;
  inSize: number;
  start: number;
  len: number;
}

/** dx[o, start + j] += dy[o, j], in place: later slices of one value add their block into the gradient the first
 * one (a slice_grad) zeroed, so T per-step slices of a sequence cost O(T) instead of O(T^2). */
export interface SliceAccOp {
  kind: 'slice_acc';
  dy: TensorId;
  dx: TensorId;
  outer: number;
  inSize: number;
  start: number;
  len: number;
}

/** dx = y * (dy - sum_j dy*y) per row (softmax backward; masked entries have y = 0 and get 0). */
export interface SoftmaxGradOp {
  kind: 'softmax_grad';
  y: TensorId;
  dy: TensorId;
  dx: TensorId;
  rows: number;
  cols: number;
}

/** dtable[v, :] = sum of dy[r, :] over rows r with index[r] = v (fully overwrites dtable). */
export interface GatherGradOp {
  kind: 'gather_grad';
  index: TensorId;
  dy: TensorId;
  dtable: TensorId;
  rows: number;
  dim: number;
  vocab: number;
}

/** dx[o, j, i] = dy[o, i] / n (mean_axis backward). */
export interface MeanAxisGradOp {
  kind: 'mean_axis_grad';
  dy: TensorId;
  dx: TensorId;
  outer: number;
  n: number;
  inner: number;
}

/** dx[p, i, j] = sum of dy over the scale x scale block of (i, j). */
export interface UpsampleGradOp {
  kind: 'upsample_grad';
  dy: TensorId;
  dx: TensorId;
  planes: number;
  h: number;
  w: number;
  scale: number;
}

/** dx[i] = dy[0] (backward of sum). */
export interface FillGradOp {
  kind: 'fill_grad';
  dy: TensorId;
  dx: TensorId;
  size: number;
}

/** dpred of the mean loss (same attributes as LossOp; the upstream gradient is 1). */
export interface LossGradOp extends Omit<LossOp, 'kind' | 'out'> {
  kind: 'loss_grad';
  dpred: TensorId;
}

/** dw += l1 * sign(w) + 2 * l2 * w (the gradient of the L1/L2 penalties; torch.sign(0) = 0). */
export interface PenaltyGradOp {
  kind: 'penalty_grad';
  w: TensorId;
  dw: TensorId;
  size: number;
  l1: SlotId;
  l2: SlotId;
}

// ---------------------------------------------------------------- clipping (over the contiguous gradient region)

/** out[0] = sum of x^2 (x is the whole gradient region; see Program.regions). */
export interface SumSquaresOp {
  kind: 'sum_squares';
  x: TensorId;
  out: TensorId;
  size: number;
}

/** torch clip_grad_norm_: coef = maxNorm / (sqrt(normSq) + 1e-6); x *= min(coef, 1), in place. */
export interface ClipNormOp {
  kind: 'clip_norm';
  x: TensorId;
  normSq: TensorId;
  size: number;
  maxNorm: SlotId;
}

/** torch clip_grad_value_: x = clamp(x, -v, v), in place. */
export interface ClipValueOp {
  kind: 'clip_value';
  x: TensorId;
  size: number;
  value: SlotId;
}

// ---------------------------------------------------------------- optimizer updates (torch.optim, single-tensor path)
// Each runs once over the WHOLE parameter region: params, grads and every state buffer are parallel contiguous
// regions of the state arena, so one dispatch updates every parameter. `t` below is step + 1 (torch's state step).
// Per-step lr comes from the StepRecord; the rest from slots.

/** torch.optim.SGD. With momentum != 0 the buffer starts as the first gradient (t == 1), then
 * buf = momentum*buf + (1-dampening)*g; nesterov uses g + momentum*buf. */
export interface SgdUpdateOp {
  kind: 'sgd_update';
  param: TensorId;
  grad: TensorId;
  momentumBuf: TensorId;
  size: number;
  momentum: SlotId;
  dampening: SlotId;
  weightDecay: SlotId;
  nesterov: boolean;
}

/** torch.optim.RMSprop: avg = sqrt(sq - ga^2 if centered else sq) + eps. */
export interface RmspropUpdateOp {
  kind: 'rmsprop_update';
  param: TensorId;
  grad: TensorId;
  squareAvg: TensorId;
  gradAvg: TensorId;
  momentumBuf: TensorId;
  size: number;
  alpha: SlotId;
  eps: SlotId;
  momentum: SlotId;
  weightDecay: SlotId;
  centered: boolean;
}

/** torch.optim.Adagrad: clr = lr / (1 + (t-1)*lrDecay); sum += g^2; p -= clr * g / (sqrt(sum) + eps). */
export interface AdagradUpdateOp {
  kind: 'adagrad_update';
  param: TensorId;
  grad: TensorId;
  sum: TensorId;
  size: number;
  eps: SlotId;
  weightDecay: SlotId;
  lrDecay: SlotId;
}

/** torch.optim.Adam (decoupled = false: g += wd*p) or AdamW (decoupled = true: p *= 1 - lr*wd first).
 * p -= (lr / (1-beta1^t)) * m / (sqrt(v) / sqrt(1-beta2^t) + eps). */
export interface AdamUpdateOp {
  kind: 'adam_update';
  param: TensorId;
  grad: TensorId;
  expAvg: TensorId;
  expAvgSq: TensorId;
  size: number;
  beta1: SlotId;
  beta2: SlotId;
  eps: SlotId;
  weightDecay: SlotId;
  decoupled: boolean;
}

// ---------------------------------------------------------------- metrics

/** out[0] = fraction of rows predicted right: argmax(pred row) == target (cross_entropy) or
 * (pred > 0) == (target > 0.5) elementwise (bce_logits; fraction of elements). */
export interface AccuracyOp {
  kind: 'accuracy';
  mode: 'argmax' | 'threshold';
  pred: TensorId;
  target: TensorId;
  out: TensorId;
  rows: number;
  cols: number;
}

/** Eval-mode batchnorm: normalise with the running statistics (no state change). */
export interface BatchNormEvalOp {
  kind: 'batchnorm_eval';
  x: TensorId;
  gamma: TensorId;
  beta: TensorId;
  out: TensorId;
  runningMean: TensorId;
  runningVar: TensorId;
  outer: number;
  channels: number;
  inner: number;
  eps: number;
}

// ---------------------------------------------------------------- unions

export type ForwardOp =
  | MatmulOp
  | Conv2dOp
  | MaxPool2dOp
  | AvgPool2dOp
  | BatchNormOp
  | LayerNormOp
  | DropoutOp
  | UnaryOp
  | AddOp
  | MulOp
  | AddBcastOp
  | SliceOp
  | ConcatOp
  | TransposeOp
  | BmmOp
  | SoftmaxOp
  | GatherOp
  | MeanAxisOp
  | UpsampleOp
  | ConvTranspose2dOp
  | ScaleOp
  | ExpOp
  | StopGradOp
  | RandnOp
  | SumOp
  | LossOp;

export type Op =
  | ForwardOp
  | UnaryGradOp
  | SliceGradOp
  | SliceAccOp
  | SoftmaxGradOp
  | GatherGradOp
  | MeanAxisGradOp
  | UpsampleGradOp
  | FillGradOp
  | ChannelSumOp
  | Conv2dGradInputOp
  | Conv2dGradWeightOp
  | MaxPool2dGradOp
  | AvgPool2dGradOp
  | BatchNormGradOp
  | LayerNormGradOp
  | LossGradOp
  | PenaltyGradOp
  | SumSquaresOp
  | ClipNormOp
  | ClipValueOp
  | SgdUpdateOp
  | RmspropUpdateOp
  | AdagradUpdateOp
  | AdamUpdateOp
  | AccuracyOp
  | BatchNormEvalOp;

export type ForwardOpKind = ForwardOp['kind'];
export type OpKind = Op['kind'];
/** The op type of a kind: `OpOf<'matmul'>` is MatmulOp. */
export type OpOf<K extends OpKind> = Extract<Op, { kind: K }>;

/** Every op kind, for exhaustiveness checks at run time (tests assert each backend's kernel table covers it). */
export const OP_KINDS: readonly OpKind[] = [
  'matmul',
  'conv2d',
  'maxpool2d',
  'avgpool2d',
  'batchnorm',
  'layernorm',
  'dropout',
  'unary',
  'add',
  'loss',
  'add_bcast',
  'slice',
  'concat',
  'transpose',
  'bmm',
  'softmax',
  'gather',
  'mean_axis',
  'upsample',
  'conv_transpose2d',
  'scale',
  'exp',
  'stop_grad',
  'randn',
  'sum',
  'slice_grad',
  'slice_acc',
  'softmax_grad',
  'gather_grad',
  'mean_axis_grad',
  'upsample_grad',
  'fill_grad',
  'unary_grad',
  'mul',
  'channel_sum',
  'conv2d_grad_input',
  'conv2d_grad_weight',
  'maxpool2d_grad',
  'avgpool2d_grad',
  'batchnorm_grad',
  'layernorm_grad',
  'loss_grad',
  'penalty_grad',
  'sum_squares',
  'clip_norm',
  'clip_value',
  'sgd_update',
  'rmsprop_update',
  'adagrad_update',
  'adam_update',
  'accuracy',
  'batchnorm_eval',
] satisfies readonly OpKind[];

/** Tensors an op reads, and tensors it writes (in-place ops list a tensor in both). Used by the memory planner
 * and by debug printing; kept beside the types so a new op kind gets both at once. */
export function opIO(op: Op): { reads: TensorId[]; writes: TensorId[] } {
  switch (op.kind) {
    case 'matmul':
      return { reads: op.bias === null ? [op.a, op.b] : [op.a, op.b, op.bias], writes: [op.out] };
    case 'conv2d':
      return { reads: op.bias === null ? [op.x, op.weight] : [op.x, op.weight, op.bias], writes: [op.out] };
    case 'maxpool2d':
    case 'avgpool2d':
      return { reads: [op.x], writes: [op.out] };
    case 'batchnorm':
      return {
        reads: [op.x, op.gamma, op.beta, op.runningMean, op.runningVar],
        writes: [op.out, op.saveMean, op.saveInvStd, op.runningMean, op.runningVar],
      };
    case 'layernorm':
      return { reads: [op.x, op.gamma, op.beta], writes: [op.out, op.saveMean, op.saveInvStd] };
    case 'dropout':
      return { reads: [op.x], writes: [op.out, op.mask] };
    case 'unary':
      return { reads: [op.x], writes: [op.out] };
    case 'add':
    case 'mul':
      return { reads: [op.a, op.b], writes: [op.out] };
    case 'loss':
      return { reads: [op.pred, op.target], writes: [op.out] };
    case 'unary_grad':
      return { reads: [op.x, op.y, op.dy], writes: [op.dx] };
    case 'channel_sum':
      return { reads: [op.x], writes: [op.out] };
    case 'conv2d_grad_input':
      return { reads: [op.dy, op.weight], writes: [op.dx] };
    case 'conv2d_grad_weight':
      return { reads: [op.x, op.dy], writes: [op.dweight] };
    case 'maxpool2d_grad':
      return { reads: [op.x, op.dy], writes: [op.dx] };
    case 'avgpool2d_grad':
      return { reads: [op.dy], writes: [op.dx] };
    case 'batchnorm_grad':
    case 'layernorm_grad':
      return { reads: [op.x, op.gamma, op.saveMean, op.saveInvStd, op.dy], writes: [op.dx, op.dgamma, op.dbeta] };
    case 'loss_grad':
      return { reads: [op.pred, op.target], writes: [op.dpred] };
    case 'penalty_grad':
      return { reads: [op.w, op.dw], writes: [op.dw] };
    case 'sum_squares':
      return { reads: [op.x], writes: [op.out] };
    case 'clip_norm':
      return { reads: [op.x, op.normSq], writes: [op.x] };
    case 'clip_value':
      return { reads: [op.x], writes: [op.x] };
    case 'sgd_update':
      return { reads: [op.param, op.grad, op.momentumBuf], writes: [op.param, op.momentumBuf] };
    case 'rmsprop_update':
      return {
        reads: [op.param, op.grad, op.squareAvg, op.gradAvg, op.momentumBuf],
        writes: [op.param, op.squareAvg, op.gradAvg, op.momentumBuf],
      };
    case 'adagrad_update':
      return { reads: [op.param, op.grad, op.sum], writes: [op.param, op.sum] };
    case 'adam_update':
      return { reads: [op.param, op.grad, op.expAvg, op.expAvgSq], writes: [op.param, op.expAvg, op.expAvgSq] };
    case 'accuracy':
      return { reads: [op.pred, op.target], writes: [op.out] };
    case 'batchnorm_eval':
      return { reads: [op.x, op.gamma, op.beta, op.runningMean, op.runningVar], writes: [op.out] };
    case 'add_bcast':
    case 'bmm':
      return { reads: [op.a, op.b], writes: [op.out] };
    case 'slice':
    case 'transpose':
    case 'softmax':
    case 'mean_axis':
    case 'upsample':
    case 'scale':
    case 'exp':
    case 'stop_grad':
    case 'sum':
      return { reads: [op.x], writes: [op.out] };
    case 'concat':
      return { reads: [...op.inputs], writes: [op.out] };
    case 'gather':
      return { reads: [op.table, op.index], writes: [op.out] };
    case 'conv_transpose2d':
      return { reads: op.bias === null ? [op.x, op.weight] : [op.x, op.weight, op.bias], writes: [op.out] };
    case 'randn':
      return { reads: [], writes: [op.out] };
    case 'slice_grad':
    case 'mean_axis_grad':
    case 'upsample_grad':
    case 'fill_grad':
      return { reads: [op.dy], writes: [op.dx] };
    case 'softmax_grad':
      return { reads: [op.y, op.dy], writes: [op.dx] };
    case 'slice_acc':
      return { reads: [op.dy, op.dx], writes: [op.dx] };
    case 'gather_grad':
      return { reads: [op.index, op.dy], writes: [op.dtable] };
  }
}
