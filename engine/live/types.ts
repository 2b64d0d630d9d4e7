// The vocabulary of a live training session (engine/live): what the session needs from Engine I (a RuntimeHost that
// compiles specs and creates runtimes) and what it reports (LiveEvent). The worker protocol (engine/worker/protocol.ts)
// carries these events unchanged; nothing here knows about workers, so the session runs and is tested in Node.

import type { BackendName, Executor, HotHypers, Runtime } from '../backends/backend';
import type { AdapterSummary } from '../backends/webgpu/device';
import type { Dataset } from '../data/dataset';
import type { Program } from '../graph/program';
import type { NormalizedSpec } from '../spec/types';
import type { ActivationStats, NeuronGrid } from './activations';

export type BackendRequest = BackendName | 'auto';

/** The runtime the session drives (engine/backends/backend.ts): with readState/writeState (cheap snapshots, per-layer
 * gradient norms) and seek (the step continues across restores and recompiles). */
export type LiveRuntime = Runtime;

/** The device limits the memory guard checks against (GPUAdapter.limits, or a CPU stand-in). */
export interface DeviceLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/** Measured speed of one backend on this device, for backend 'auto' (see autoBackend.ts). */
export interface BackendSpeed {
  /** Fixed cost per step (dispatches, submit share, JS overhead), in microseconds per dispatch. */
  usPerDispatch: number;
  /** Arithmetic throughput, in FLOP per microsecond (= MFLOP/s). */
  flopsPerUs: number;
}

/** What the session needs from Engine I. engine/live/host.ts implements it over the real backends; tests use fakes. */
export interface RuntimeHost {
  /** Validates a raw spec; returns the normalized spec or the validation messages. */
  validate(raw: unknown): { ok: true; spec: NormalizedSpec } | { ok: false; errors: string[] };
  compile(spec: NormalizedSpec): Program;
  /** The spec's dataset (generated, or MNIST fetched once), cached by data section, loss and input shape. */
  dataset(spec: NormalizedSpec): Promise<Dataset>;
  /** Whether a backend can run here (never throws). */
  available(backend: BackendName): Promise<{ ok: true; detail: string } | { ok: false; reason: string }>;
  /** Device limits of a backend (null: unknown, nothing to check). */
  limits(backend: BackendName): Promise<DeviceLimits | null>;
  /** Creates a runtime with the spec's data loaded. */
  create(program: Program, backend: BackendName): Promise<LiveRuntime>;
  /** A bare executor of a program on a backend's device (landscape evaluation compiles a wide-batch program).
   * Optional: without it a session cannot compute loss landscapes. */
  createExecutor?(program: Program, backend: BackendName): Promise<Executor>;
  /** Measures a backend's speed on this device (cached by the host). Optional: without it 'auto' uses defaults. */
  calibrate?(backend: BackendName): Promise<BackendSpeed>;
  /** Resolves with a message when the device behind `runtime` is lost or reports an uncaptured error. */
  watchDevice?(runtime: LiveRuntime): Promise<string> | null;
  adapter?(): AdapterSummary | undefined;
  /** Activation histograms and statistics computed on the runtime's device (WebGPU), or null when this runtime has
   * no device probe (the session then runs the host ActivationProbe over a state copy). `submitted` resolves once the
   * work is queued (training may go on; the device runs it in queue order), `result` when the readback is in. */
  activationStats?(
    runtime: LiveRuntime,
    x: Float32Array,
    rows: number,
    bins: number,
  ): { submitted: Promise<void>; result: Promise<ActivationStats[]> } | null;
}

/** Hot changes a learner can make while training runs. batchSize recompiles (weights kept). */
export interface HyperChange extends Partial<HotHypers> {
  batchSize?: number;
}

/** A batched metric series: one entry per training step since the previous batch. */
export interface MetricsBatch {
  /** 0-based global step of each entry. */
  step: Float64Array;
  loss: Float32Array;
  /** null when the program has no accuracy metric (regression). */
  accuracy: Float32Array | null;
  lr: Float32Array;
  /** Throughput over the batch's wall-clock window. */
  samplesPerSecond: number;
  stepsPerSecond: number;
  epoch: number;
  /** Per-layer gradient norms sampled between chunks (a few per second at most); null when none was sampled. */
  gradNorms: GradNormSeries | null;
}

/** Per-layer gradient L2 norms over time: `norms[i * keys.length + j]` is layer `keys[j]` at `step[i]`. */
export interface GradNormSeries {
  /** State-dict prefixes of the parameter-bearing layers (`0`, `3.layers.0`), in network order. */
  keys: string[];
  /** Readable labels, parallel to keys: `layer 2 (dense, 8 units)`. */
  labels: string[];
  /** Global step of each sample: the gradients of that step (taken after it ran). */
  step: Float64Array;
  /** step.length x keys.length, row-major. */
  norms: Float32Array;
}

export type SessionState = 'empty' | 'idle' | 'training' | 'stepping' | 'diverged' | 'disposed';

export type DivergenceCause = 'learning_rate' | 'exploding_gradients' | 'bad_initialisation';

export interface LayerGradNorm {
  /** State-dict prefix of the layer (`2`, `3.layers.0`). */
  layer: string;
  /** Readable: `layer 2 (dense, 8 units)`. */
  label: string;
  gradNorm: number;
  weightNorm: number;
}

export interface DivergenceReport {
  /** Global step whose loss (or gradient / weight) was first non-finite. */
  step: number;
  /** The last finite training loss before it (null if none was seen). */
  lastFiniteLoss: number | null;
  /** What went non-finite first. */
  signal: 'loss' | 'gradient' | 'weights';
  /** The first layer whose gradient norm blew up (null when per-layer norms are unavailable). */
  layer: { key: string; label: string } | null;
  cause: DivergenceCause;
  /** One line a learner can act on. */
  explanation: string;
  /** Step of the weights that were restored (the last finite snapshot). */
  restoredStep: number;
  /** Per-layer gradient norms at the blow-up (the last finite ones), when available. */
  layers: LayerGradNorm[];
}

export interface DeviceLossReport {
  /** Why the device went away (GPUDeviceLostInfo.message or the uncaptured error). */
  reason: string;
  /** What the session did about it. */
  action: 'recreated' | 'fell_back_to_cpu' | 'failed';
  backend: BackendName;
  /** The step the run continues from (the snapshot's). */
  restoredStep: number;
  /** Steps lost since the snapshot. */
  lostSteps: number;
  message: string;
}

export interface BackendDecision {
  backend: BackendName;
  requested: BackendRequest;
  /** Plain words: "CPU: this 2-8-8-1 network is too small to pay for GPU dispatches". */
  reason: string;
  /** Estimated microseconds per step on each backend that can run here (auto only). */
  estimates?: Partial<Record<BackendName, number>>;
}

export interface EvaluationResult {
  step: number;
  split: 'train' | 'val';
  loss: number;
  accuracy: number | null;
  count: number;
}

/** A tensor as it travels to the UI (data is transferable). */
export interface TensorData {
  shape: number[];
  data: Float32Array;
}

export type WeightsDict = Record<string, TensorData>;

export interface ProgressInfo {
  state: SessionState;
  step: number;
  epoch: number;
  /** Steps per submit the session currently uses. */
  chunk: number;
  backend: BackendName | null;
  stepsPerSecond: number;
}

export type InspectRequest =
  | { what: 'weights'; bins?: number }
  | { what: 'gradients'; bins?: number }
  | { what: 'gradNorms' }
  | { what: 'grid'; xRange: [number, number]; yRange: [number, number]; resolution: number }
  /** Per-layer activation histograms and statistics over (up to `rows` of) the validation split. */
  | { what: 'activations'; bins?: number; rows?: number }
  /** Every layer's per-neuron outputs on a 2-D grid (neuron thumbnails). */
  | { what: 'neurons'; xRange: [number, number]; yRange: [number, number]; resolution: number };

/** Attention maps of a run's attention layers (engine/live/attention.ts) over the first `rows` (default 8, at most
 * 256) rows of a split (default 'val'). */
export interface AttentionRequest {
  split?: 'train' | 'val';
  rows?: number;
}

export type { AttentionMaps } from './attention';

import type { Histogram } from '../shared/stats';

export type { Histogram } from '../shared/stats';

export interface LayerStats {
  layer: string;
  label: string;
  /** Over the layer's weight (or gradient) values. */
  histogram: Histogram;
  mean: number;
  std: number;
  l2: number;
  nonFinite: number;
}

export type InspectResult =
  | { what: 'weights'; step: number; layers: LayerStats[] }
  | { what: 'gradients'; step: number; layers: LayerStats[] }
  | { what: 'gradNorms'; step: number; layers: LayerGradNorm[]; total: number }
  | { what: 'grid'; step: number; resolution: number; outputs: number; values: Float32Array }
  | { what: 'activations'; step: number; rows: number; layers: ActivationStats[] }
  | { what: 'neurons'; step: number; resolution: number; layers: NeuronGrid[] };

/** Names a run inside one worker (several runs train side by side; the default is `'main'`). */
export type RunId = string;

export const DEFAULT_RUN: RunId = 'main';

/** A region of the 2-D input plane sampled on a resolution x resolution grid (resolution 2..200). */
export interface GridRequest {
  xRange: [number, number];
  yRange: [number, number];
  resolution: number;
}

/** The model's outputs over a grid, pushed while a grid is watched. Layout: value `o` of the cell in row `r`, column
 * `c` is `values[(r * resolution + c) * outputs + o]`; row 0 is at yRange[0] (y grows with r), column 0 at xRange[0]
 * (the same order as `gridInputs`). */
export interface GridFrame {
  step: number;
  resolution: number;
  xRange: [number, number];
  yRange: [number, number];
  outputs: number;
  /** `probabilities`: softmax over outputs (cross_entropy) or sigmoid of each output (bce_logits); `values`: raw
   * outputs (regression losses). */
  kind: 'probabilities' | 'values';
  values: Float32Array;
}

/** Eval-mode outputs on a split, for confusion matrices and misclassified samples. */
export interface PredictionsResult {
  step: number;
  split: 'train' | 'val';
  count: number;
  outputs: number;
  kind: 'probabilities' | 'values';
  /** The split's targets as stored: class indices (as floats) for classification, values otherwise. */
  targets: Float32Array;
  /** count x outputs, row-major: probabilities for classification, raw outputs for regression. */
  values: Float32Array;
  /** Argmax class per row (for bce_logits with one output: p > 0.5), null for regression. */
  predicted: Int32Array | null;
}

export interface DatasetSplitView {
  /** count x prod(inputShape), row-major. */
  x: Float32Array;
  /** count x prod(targetShape) (class indices as floats when classes is set). */
  y: Float32Array;
  count: number;
}

/** The run's data points (for scatter plots), at most maxRows per split. */
export interface DatasetView {
  inputShape: number[];
  targetShape: number[];
  classes: number | null;
  train: DatasetSplitView;
  val: DatasetSplitView;
  /** Raw 2-D coordinates (count x 2) per split: the dataset's own points2d when inputs are feature-mapped, x when
   * the inputs are 2-D, else null. */
  points2d: { train: Float32Array; val: Float32Array } | null;
}

export interface CompileResult {
  backend: BackendName;
  decision: BackendDecision;
  parameters: number;
  stateBytes: number;
  activationBytes: number;
  /** Weights carried over by recompile (keys), and the ones that did not fit. */
  kept?: string[];
  dropped?: string[];
  /** compile with alignWith: the keys whose initial values were copied from that run. */
  aligned?: string[];
}

export type LiveEvent =
  | { type: 'metrics'; metrics: MetricsBatch }
  | { type: 'evaluation'; result: EvaluationResult }
  | { type: 'progress'; progress: ProgressInfo }
  | { type: 'diverged'; report: DivergenceReport }
  | { type: 'deviceLost'; report: DeviceLossReport }
  | { type: 'backend'; decision: BackendDecision }
  | { type: 'grid'; grid: GridFrame }
  | { type: 'error'; message: string };

export type Emit = (event: LiveEvent, transfer?: Transferable[]) => void;
