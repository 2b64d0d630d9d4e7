// The compiled Program: what compile(spec) produces and every backend runs. Pure data (JSON-serialisable).
//
// Memory model (designed for Engine II: one submit runs k whole steps with no allocation):
// - Two arenas, each ONE f32 buffer. Every tensor is a view (arena, offset, size) into one of them; offsets are in
//   f32 elements (byteOffset = 4 * offset) and aligned to TENSOR_ALIGN elements (256 bytes, WebGPU's
//   minStorageBufferOffsetAlignment) so a backend may bind any tensor directly.
// - The 'state' arena holds what persists across steps: parameters, their gradients, optimizer state, buffers
//   (BatchNorm running stats) and per-step scalars (loss, accuracy, gradient norm). Parameters are one contiguous
//   region; gradients a parallel region with the SAME relative layout; each optimizer state buffer likewise. So one
//   dispatch can clip or update every parameter, and a snapshot is one copy of the arena.
// - The 'activations' arena holds per-step values (inputs, targets, activations, saved statistics, activation
//   gradients, masks), placed by lifetime so tensors that are never live at once share memory.
// - A step runs: forward (layers + loss), metrics, backward (incl. penalty gradients), clip, update.
//   Evaluation runs evalForward (batchnorm on running stats, dropout removed) on evalIo.
//
// Hot hyperparameters live in a uniform block of 32-bit slots (`hypers`), packed by engine/graph/hypers.ts; the
// per-step scalars (step, lr) come from a StepRecord per step (backend.ts), never from the slots.

import type { InitSpec, LayerType, NormalizedSpec } from '../spec/types';
import { type Op, opIO, type SlotId, type TensorId } from './ops';

const opWrites = (op: Op): TensorId[] => opIO(op).writes;

/** Tensor offsets are multiples of this many f32 elements (256 bytes). */
export const TENSOR_ALIGN = 64;

export type ArenaName = 'state' | 'activations';

export type TensorRole =
  | 'param' // trainable parameter (in the params region)
  | 'grad' // its gradient (in the grads region)
  | 'opt_state' // optimizer state (one region per state kind)
  | 'buffer' // non-trainable persistent state: BatchNorm running stats
  | 'scalar' // per-step outputs in the state arena: loss, accuracy, grad norm^2
  | 'region' // a view spanning a whole region (params, grads, an optimizer state) for whole-region ops
  | 'input' // the batch input, written before each step
  | 'target' // the batch targets
  | 'activation' // forward values
  | 'saved' // values kept for the backward pass (batch statistics, dropout masks)
  | 'grad_activation'; // gradients of activations

export interface TensorInfo {
  id: TensorId;
  /** Readable and unique: `2.weight`, `2.weight.grad`, `act.3`, `grad.act.3`, `adam.exp_avg` ... */
  name: string;
  /** Logical shape (batch first for per-example tensors). size = product(shape). */
  shape: number[];
  arena: ArenaName;
  /** In f32 elements from the start of the arena. */
  offset: number;
  size: number;
  role: TensorRole;
}

/** A named contiguous range of the state arena. */
export interface Region {
  offset: number;
  size: number;
  /** The TensorInfo spanning this region (role 'region'). */
  tensor: TensorId;
}

/** One entry of the PyTorch state dict. */
export interface ParamInfo {
  /** State-dict key: `0.weight`, `3.running_var`, `2.layers.0.bias`. */
  key: string;
  kind: 'weight' | 'bias' | 'running_mean' | 'running_var';
  tensor: TensorId;
  /** Gradient tensor; null for buffers (running stats). */
  grad: TensorId | null;
  /** True for dense/conv weights: the only tensors the L1/L2 penalties touch. */
  penalized: boolean;
  /** How to initialise (host side, engine/graph/init.ts). */
  init: ParamInit;
}

/** One spec layer as compiled: what inspection, labels and the state dict read instead of parsing keys. */
export interface LayerEntry {
  /** State-dict prefix: `2`, `3.layers.0`. */
  key: string;
  type: LayerType;
  /** `layer 2 (dense, 8 units)`. */
  label: string;
  /** The layer's output in the training pass and in the evaluation pass. */
  train: TensorId;
  eval: TensorId | null;
  /** State-dict keys of the parameters and buffers this layer owns (not those of nested layers). */
  params: string[];
  /** attention layers: the evaluation pass's attention weights [batch, heads, T, T] (softmax output). */
  attention?: { weights: TensorId; heads: number; T: number };
}

/** A non-trainable table the host writes at init (sinusoidal positions); not part of the state dict. */
export interface ConstantInfo {
  tensor: TensorId;
  values: number[];
}

export type ParamInit =
  | { kind: 'layer'; spec: Required<InitSpec>; fanIn: number; fanOut: number; isBias: boolean }
  | { kind: 'const'; value: number };

/** A 32-bit slot of the uniform block. `name` identifies what feeds it (see engine/graph/hypers.ts). */
export interface HyperSlot {
  id: SlotId;
  name: HyperSlotName;
  type: 'f32' | 'u32';
}

/** The hot hyperparameters a slot can hold. Dropout slots are per layer (`dropout.threshold:<path>`). */
export type HyperSlotName =
  | 'momentum'
  | 'dampening'
  | 'weightDecay'
  | 'alpha'
  | 'eps'
  | 'beta1'
  | 'beta2'
  | 'lrDecay'
  | 'labelSmoothing'
  | 'l1'
  | 'l2'
  | 'clipGradNorm'
  | 'clipGradValue'
  | `dropout.threshold:${string}`
  | `dropout.scale:${string}`
  /** A parameter group's own optimizer slot (programs with groups): `beta1@d`. */
  | `${GroupSlotName}@${string}`;

/** The optimizer slots each parameter group has its own copy of. */
export type GroupSlotName = 'momentum' | 'dampening' | 'weightDecay' | 'alpha' | 'eps' | 'beta1' | 'beta2' | 'lrDecay';

/** One parameter group as compiled: its parameters are one contiguous sub-range of the params region (gradients
 * and its optimizer's state parallel to it), updated by `update` with the group's own slots. A program without
 * spec.groups has one group, `main`, whose regions are the program's. */
export interface GroupEntry {
  name: string;
  optimizer: NormalizedSpec['optimizer'];
  schedule: NormalizedSpec['schedule'];
  /** State-dict keys of the group's trainable parameters. */
  params: string[];
  paramsRegion: Region;
  grads: Region;
  optState: Record<string, Region>;
  update: Op[];
}

/** Scalar outputs of an update step (state arena, one element each). accuracy is null for regression losses. */
export interface StepScalars {
  loss: TensorId;
  accuracy: TensorId | null;
  gradNormSq: TensorId | null;
}

/** One update step (spec.steps; a program without groups has one, `main`, equal to the top-level fields): the
 * forward of layers [from, to) on its own rows, loss, backward into its group's gradients only, clip, and the
 * group's update. */
export interface UpdateStep {
  name: string;
  /** Index into Program.groups. */
  group: number;
  from: number;
  to: number;
  batchSize: number;
  inputShape: number[];
  outputShape: number[];
  targetShape: number[];
  classes: number | null;
  io: ProgramIO & { target: TensorId };
  scalars: StepScalars;
  forward: Op[];
  metrics: Op[];
  backward: Op[];
  clip: Op[];
  update: Op[];
}

/** An evaluation entry over a layer slice (spec.evaluations): eval-mode forward of batchSize rows. */
export interface EvalEntry {
  name: string;
  from: number;
  to: number;
  inputShape: number[];
  outputShape: number[];
  io: ProgramIO;
  ops: Op[];
}

export interface ProgramIO {
  input: TensorId;
  /** The model output (logits for classification losses). */
  output: TensorId;
}

export interface Program {
  spec: NormalizedSpec;
  /** Rows per step, fixed at compile time (datasets drop the last partial batch of an epoch). */
  batchSize: number;
  /** Per-example shapes: input, model output, target ([] for class indices). */
  inputShape: number[];
  outputShape: number[];
  targetShape: number[];
  /** Class count for cross_entropy; null otherwise. */
  classes: number | null;
  /** Seed of every random draw in this program (init, dropout). */
  seed: number;

  tensors: TensorInfo[];
  arenas: { state: { size: number }; activations: { size: number } };
  regions: {
    params: Region;
    grads: Region;
    /** Optimizer state regions, each parallel to params (e.g. adam: exp_avg, exp_avg_sq). */
    optState: Record<string, Region>;
  };
  params: ParamInfo[];
  /** Constant tables in the state arena (after the buffers), written by initialState. */
  constants: ConstantInfo[];
  /** Every spec layer in network order (residual bodies after their block). */
  layers: LayerEntry[];
  /** Loss terms without targets beside the data loss (a sampling layer's KL): the term's scalar (an activation,
   * computed in the forward pass) and the constant holding its weight. Reported losses are the data loss alone. */
  lossTerms: { t: TensorId; seed: TensorId }[];
  hypers: HyperSlot[];

  /** Training step. */
  io: ProgramIO & { target: TensorId };
  /** Scalar outputs of a step (state arena, one element each). accuracy is null for regression losses. */
  scalars: { loss: TensorId; accuracy: TensorId | null; gradNormSq: TensorId | null };
  forward: Op[];
  metrics: Op[];
  backward: Op[];
  clip: Op[];
  update: Op[];

  /** Evaluation / prediction: eval-mode forward over batchSize rows. Runs in the same activations arena. */
  evalIo: ProgramIO;
  evalForward: Op[];

  /** Parameter groups and update steps; the top-level io/scalars/forward ... update are updateSteps[0]'s. */
  groups: GroupEntry[];
  updateSteps: UpdateStep[];
  evaluations: EvalEntry[];
}

/** The layers whose evaluation output an op computes (flatten, reshape and eval-mode dropout compute none), with the
 * index of that op in evalForward, in execution order: what inspection probes. */
export function evalLayerOutputs(p: Program): { layer: string; op: number; out: TensorId }[] {
  const claimed = new Set<TensorId>();
  const found: { layer: string; op: number; out: TensorId }[] = [];
  for (const entry of p.layers) {
    if (entry.eval === null || claimed.has(entry.eval)) continue;
    let op = -1;
    p.evalForward.forEach((o, i) => {
      if (opWrites(o).includes(entry.eval as TensorId)) op = i;
    });
    if (op < 0) continue;
    claimed.add(entry.eval);
    found.push({ layer: entry.key, op, out: entry.eval });
  }
  return found.sort((a, b) => a.op - b.op);
}

export function tensorInfo(p: Program, id: TensorId): TensorInfo {
  const t = p.tensors[id];
  if (t === undefined) throw new Error(`program has no tensor ${id}`);
  return t;
}

/** All op lists of a training step (update step `i`, default the first), in execution order. */
export function stepOps(p: Program, i = 0): Op[] {
  const s = i === 0 ? p : p.updateSteps[i];
  return [...s.forward, ...s.metrics, ...s.backward, ...s.clip, ...s.update];
}

/** Per-example input and output shapes of the whole-model eval pass (Program.inputShape/outputShape are the first
 * update step's, which may run a slice of the model). */
export function evalShapes(p: Program): { input: number[]; output: number[] } {
  return { input: p.tensors[p.evalIo.input].shape.slice(1), output: p.tensors[p.evalIo.output].shape.slice(1) };
}

/** Every op the program can run: all update steps, the evaluation pass and the evaluation entries. */
export function allOps(p: Program): Op[] {
  const steps = (p.updateSteps ?? []).length > 1 ? p.updateSteps.map((_, i) => stepOps(p, i)) : [stepOps(p)];
  return [...steps.flat(), ...p.evalForward, ...(p.evaluations ?? []).flatMap((e) => e.ops)];
}

/** The update step named `name` (its index), or an error listing the names. */
export function updateStepIndex(p: Program, name: string): number {
  const i = p.updateSteps.findIndex((s) => s.name === name);
  if (i < 0) throw new Error(`no update step "${name}" (steps: ${p.updateSteps.map((s) => s.name).join(', ')})`);
  return i;
}

/** True if `id` is the loss (slot 0) or accuracy (slot 1) scalar of one of the program's update steps. */
export function isStepScalar(p: Program, id: TensorId, slot: 0 | 1): boolean {
  const steps: StepScalars[] = (p.updateSteps ?? []).length > 0 ? p.updateSteps.map((s) => s.scalars) : [p.scalars];
  return steps.some((s) => (slot === 0 ? s.loss : s.accuracy) === id);
}
