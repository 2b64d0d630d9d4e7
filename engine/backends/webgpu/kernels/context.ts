// What an op kernel sees: views of its tensors, WGSL accessors for hot hyperparameters (the uniform block) and
// per-step scalars (the per-step table indexed by the device step counter), and the bindings that carry them.
// A kernel turns one op into one or more KernelLaunches; it never touches the device itself.
import type { OpKind, OpOf, SlotId, TensorId } from '../../../graph/ops';
import type { Program } from '../../../graph/program';
import type { Binding, BufferView, KernelLaunch } from '../shader';
import type { KernelSelection } from './select';

/** Word index of each per-step scalar in the step record (u32; f32 values stored as bit patterns). */
export const STEP_FIELD = {
  step: 0,
  lr: 1,
  rowStart: 2,
  /** Index of the step within its submit: the loss-ring slot. */
  slot: 6,
  /** Adam: lr / (1 - beta1^t), computed on the host in double precision. */
  adamStepSize: 3,
  /** Adam: sqrt(1 - beta2^t). */
  adamBc2Sqrt: 4,
  /** Adagrad: lr / (1 + (t - 1) * lrDecay). */
  adagradClr: 5,
  /** SGD/RMSprop momentum or Adam beta1 of this step: StepRecord.momentum when a schedule cycles it, else the
   * hot hyperparameter. */
  momentum: 7,
} as const;

/** Declarations every kernel that uses `ctx.hyperBindings()` gets (prepend to its body via `ctx.prelude`). */
export const STEP_WGSL = /* wgsl */ `
fn stepWord(j: u32) -> u32 { return stepRec[j / 4u][j % 4u]; }
fn stepF32(j: u32) -> f32 { return bitcast<f32>(stepWord(j)); }
fn hypU32(s: u32) -> u32 { return hyp[s / 4u][s % 4u]; }
fn hypF32(s: u32) -> f32 { return bitcast<f32>(hypU32(s)); }
`;

export interface KernelContext {
  readonly program: Program;
  /** The bound byte range of a tensor. */
  view(id: TensorId): BufferView;
  /** Bindings `hyp` (uniform slots) and `stepRec` (this step's record); kernels using them prepend STEP_WGSL. */
  hyperBindings(): Binding[];
  /** The loss ring (2 floats per step: loss, accuracy), when running inside a training step. */
  lossRing?(): Binding;
  /** The adapter is a CPU rasteriser (SwiftShader): prefer many independent invocations over workgroup
   * cooperation (barriers are expensive there). */
  readonly software?: boolean;
  /** The adapter's matmul and convolution kernels (kernels/select.ts); absent: the register-blocked ones. */
  readonly kernels?: KernelSelection;
  /** A private f32 buffer of `floats` for this kernel's intermediates (allocated once, at compile time); absent
   * where the caller cannot provide one (kernels then use a scratch-free variant). */
  scratch?(floats: number, label: string): BufferView;
}

/** WGSL expression for a hot hyperparameter slot of the given type. */
export const hypF = (s: SlotId): string => `hypF32(${s}u)`;
export const hypU = (s: SlotId): string => `hypU32(${s}u)`;
/** WGSL expression for a per-step scalar. */
export const stepF = (f: keyof typeof STEP_FIELD): string => `stepF32(${STEP_FIELD[f]}u)`;
export const stepU = (f: keyof typeof STEP_FIELD): string => `stepWord(${STEP_FIELD[f]}u)`;

/** A WebGPU kernel for one op kind: the launches that execute the op. */
export type WebGpuKernel<K extends OpKind> = (op: OpOf<K>, ctx: KernelContext) => KernelLaunch[];
export type WebGpuKernelTable = { [K in OpKind]: WebGpuKernel<K> };
