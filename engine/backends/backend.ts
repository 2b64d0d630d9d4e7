// The backend contract. Two layers, so that backends stay small and identical in meaning:
//
// 1. Executor (what a backend implements): owns the two arenas of ONE compiled Program on one device, and can
//    run k whole training steps from a list of StepRecords, run the eval forward on a batch, and read/write the
//    state arena. It never sees the spec, schedules, epochs or state-dict names.
// 2. Runtime (what the CLI, tests and worker use): trainSteps / evaluate / predict / getWeights / setWeights /
//    setHyper / dispose. Implemented ONCE in engine/backends/runtime.ts over any Executor, so the schedule,
//    plateau logic, epoch shuffling, batching and state-dict layout are shared and both backends agree by design.
//
// Each backend keeps a kernel table typed `{ [K in OpKind]: Kernel<K> }` (Kernel being that backend's own kernel
// type, e.g. `(op: OpOf<K>, mem: CpuMemory) => void` on the CPU), so a new op kind without a kernel fails to
// compile. OP_KINDS (graph/ops.ts) lists every kind for run-time checks.
//
// Async where the GPU needs it: WebGPU readback is async; the CPU executor resolves immediately.

import type { HotHypers } from '../graph/hypers';
import type { Program } from '../graph/program';
import type { StateDict } from '../spec/types';

export type BackendName = 'cpu' | 'webgpu';

/** One training step as the executor sees it. Engine II: a backend may upload an array of these as a uniform
 * array with dynamic offsets (k steps per submit) instead of writing buffers between steps. */
export interface StepRecord {
  /** 0-based global step: the dropout RNG counter, and t = step + 1 for the optimizers' bias corrections. */
  step: number;
  /** Scheduled learning rate for this step (f32). */
  lr: number;
  /** The batch's rows are order[rowStart .. rowStart + batchSize) of the current epoch order (see setOrder). */
  rowStart: number;
  /** When a schedule cycles momentum (onecycle): this step's SGD/RMSprop momentum, or Adam/AdamW beta1, overriding
   * the slot. Only sent to executors with `stepMomentum: true`; others get hypers repacked before each step. */
  momentum?: number;
  /** Which update step runs (index into Program.updateSteps; default 0). `step` and `lr` are then that step's
   * group's own counter and scheduled rate, and the rows come from that step's training data. */
  update?: number;
}

export interface StepStats {
  /** Per-step mean data loss (without penalties), as computed on the device. */
  loss: Float32Array;
  /** Per-step training accuracy; null when the program has no accuracy metric. */
  accuracy: Float32Array | null;
}

export interface Executor {
  readonly backend: BackendName;
  readonly program: Program;
  /** True if train() honours StepRecord.momentum (so momentum-cycling runs can go k steps per call). */
  readonly stepMomentum?: boolean;
  /** The training rows, uploaded once: x is [rows, ...inputShape], y is [rows, ...targetShape] row-major, of update
   * step `update` (default 0; each step has its own rows and shapes). The row order resets to the identity. */
  setTrainData(x: Float32Array, y: Float32Array, rows: number, update?: number): void | Promise<void>;
  /** Row order of the current epoch (indices into the training rows of update step `update`, default 0). */
  setOrder(order: Uint32Array, update?: number): void;
  /** The packed uniform block (one 32-bit word per Program.hypers slot; f32 slots hold float bit patterns),
   * from engine/graph/hypers.ts. Takes effect from the next train() call. */
  setHypers(words: Uint32Array): void;
  /** Runs steps.length whole training steps in order (one submit on WebGPU). Calls may overlap: a runtime can issue
   * the next train() (and setOrder between epochs) before the previous promise resolves; they must run in call order. */
  train(steps: readonly StepRecord[]): Promise<StepStats>;
  /** Eval-mode forward of exactly program.batchSize rows; returns [batchSize, ...outputShape]. With `entry`, the
   * evaluation entry Program.evaluations[entry] instead (its own input and output shapes). */
  predict(x: Float32Array, entry?: number): Promise<Float32Array>;
  /** Optional: eval-mode forward of any number of rows at once ([rows, ...inputShape] -> [rows, ...outputShape]),
   * for executors whose per-call cost is high (WebGPU: one submit instead of one per batch). Runtime.predict uses
   * it when present; results must equal predict() batch by batch. */
  predictRows?(x: Float32Array, rows: number, entry?: number): Promise<Float32Array>;
  /** A copy of the whole state arena (parameters, gradients, optimizer state, buffers, scalars). */
  readState(): Promise<Float32Array>;
  writeState(state: Float32Array): void | Promise<void>;
  dispose(): void;
}

export type Availability = { ok: true; detail: string } | { ok: false; reason: string };

export interface BackendFactory {
  readonly name: BackendName;
  /** Whether this backend can run here, and why not (shown to people; never throws). */
  available(): Promise<Availability>;
  createExecutor(program: Program): Promise<Executor>;
}

// ---------------------------------------------------------------- the runtime (implemented in runtime.ts)

/** Hyperparameters that change without recompiling: defined with their packing in graph/hypers.ts. */
export type { HotHypers } from '../graph/hypers';

export interface TrainResult {
  /** Per-step data loss, as numbers for JSON. */
  losses: number[];
  accuracies: number[] | null;
  /** Learning rate used at each step. */
  lrs: number[];
  /** Global step after these steps. */
  step: number;
  epoch: number;
}

export interface EvalResult {
  /** Mean data loss over the split (eval mode), computed on the host in double precision. */
  loss: number;
  accuracy: number | null;
  count: number;
}

export interface Runtime {
  readonly backend: BackendName;
  readonly program: Program;
  /** Steps taken so far. */
  readonly step: number;
  /** Epoch index of the next step. */
  readonly epoch: number;
  /** Training steps per epoch (drop-last batching). */
  readonly stepsPerEpoch: number;
  trainSteps(k: number): Promise<TrainResult>;
  /** Runs update step `name` (Program.updateSteps, spec.steps) k times, on its own rows (setStepData; the first
   * step's are the dataset's) with its group's own step counter, schedule and optimizer (torch: opt.step() of that
   * optimizer only). Returns the step's losses and rates; `step` is the group's counter. */
  trainUpdate(name: string, k?: number): Promise<TrainResult>;
  /** An update step's own rows ([rows, ...its inputShape], [rows, ...its targetShape]), used in order from the
   * first row, wrapping; replaces earlier rows of that step. Given for the first step, they replace the dataset's
   * training rows for good (trainSteps then refuses; use trainUpdate). */
  setStepData(name: string, x: Float32Array, y: Float32Array, rows: number): Promise<void>;
  evaluate(split: 'train' | 'val'): Promise<EvalResult>;
  /** Eval-mode outputs for `rows` examples of x ([rows, ...inputShape]); any row count. */
  predict(x: Float32Array, rows: number): Promise<Float32Array>;
  /** Eval-mode outputs of evaluation entry `name` (spec.evaluations: a layer slice) for `rows` examples. */
  predictEntry(name: string, x: Float32Array, rows: number): Promise<Float32Array>;
  getWeights(): Promise<StateDict>;
  /** Loads every key present in sd whose shape matches; returns messages for keys that did not fit. */
  setWeights(sd: StateDict): Promise<string[]>;
  /** Takes effect from the next step. Changes that need ops the Program lacks (clipping, L1/L2 or label smoothing
   * that were off at compile time) are ignored here: see `structuralChanges` in engine/graph/hypers.ts. */
  setHyper(h: Partial<HotHypers>): void;
  /** A copy of the whole state arena: weights, optimizer state, buffers (cheap snapshots; Executor passthrough). */
  readState(): Promise<Float32Array>;
  /** Restores a readState copy taken from a runtime of the same Program layout. */
  writeState(state: Float32Array): Promise<void>;
  /** Sets the global step (schedule position, dropout counter, epoch and row position) without running steps.
   * Plateau state is not rewound. */
  seek(step: number): void;
  dispose(): void;
}
