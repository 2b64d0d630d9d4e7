// The typed messages between the UI thread and the engine worker. Requests carry ids; the worker answers each with
// exactly one `reply` (carrying the request's result) or one `error` with the same id. Events flow unprompted:
// backend status, batched metrics, evaluations, progress, divergence, device loss. Typed arrays travel as
// transferables (see transferablesOf). The session behind the requests is engine/live/session.ts.
import type { AdapterSummary } from '../backends/webgpu/device';
import type { SelfTestResult } from '../backends/webgpu/selfTest';
import type {
  InterpolationRequest,
  InterpolationResult,
  LandscapeProgress,
  LandscapeRequest,
  LandscapeResult,
} from '../landscape/types';
import type {
  AttentionMaps,
  BackendDecision,
  BackendRequest,
  CompileResult,
  DatasetView,
  DeviceLossReport,
  DivergenceReport,
  EvaluationResult,
  GridFrame,
  GridRequest,
  HyperChange,
  InspectRequest,
  InspectResult,
  MetricsBatch,
  PredictionsResult,
  ProgressInfo,
  RunId,
  WeightsDict,
} from '../live/types';
import type { StateDict } from '../spec/types';

export type * from '../landscape/types';
export type {
  AttentionMaps,
  AttentionRequest,
  DatasetView,
  GradNormSeries,
  GridFrame,
  GridRequest,
  PredictionsResult,
  RunId,
} from '../live/types';
export { DEFAULT_RUN } from '../live/types';

/** Which CPU kernels the CPU backend runs here (engine/backends/cpu/simd/module.ts), for the backend chip. */
export interface CpuKernelReport {
  variant: 'relaxed-simd' | 'simd' | 'js';
  /** "WebAssembly relaxed SIMD (FMA)", "WebAssembly SIMD" or "plain JavaScript". */
  label: string;
  /** Threads a step uses (1: the kernels run on the engine worker's thread). */
  threads: number;
  /** A sentence: the kernels, the threads, and why not faster ones. */
  detail: string;
}

/** Which compute backend this environment offers, and why; and which CPU kernels the CPU backend runs. */
export type BackendReport =
  | { kind: 'webgpu'; adapter: AdapterSummary; selfTest: SelfTestResult; cpuKernels?: CpuKernelReport }
  | { kind: 'cpu'; reason: string; cpuKernels?: CpuKernelReport };

/** Every request may name its run (default DEFAULT_RUN, 'main'): each run is its own session in the worker, created
 * by its first request; `dispose` disposes that run only. hello and probeBackend ignore it. */
export type EngineRequest = (
  | { type: 'hello'; id: number }
  | { type: 'probeBackend'; id: number }
  /** Validate, compile, pick the backend ('auto' measures), check memory, create a fresh run. */
  /** alignWith: start from run X's initial weights, matched by the order of parameter-bearing layers of the same
   * type and shapes (not by key), so a model with an extra BatchNorm starts from the same dense weights. */
  | { type: 'compile'; id: number; spec: unknown; backend: BackendRequest; alignWith?: RunId }
  /** Continuous training until pause, cancel or divergence (replies at once). */
  | { type: 'train'; id: number }
  | { type: 'pause'; id: number }
  | { type: 'step'; id: number; n: number }
  /** Hot hyperparameters, applied before the next submit; batchSize recompiles keeping weights. */
  | { type: 'setHyper'; id: number; hyper: HyperChange }
  /** A changed spec; weights whose names and shapes match are kept, the step continues. */
  | { type: 'recompile'; id: number; spec: unknown }
  | { type: 'evaluate'; id: number; split: 'train' | 'val' }
  | { type: 'inspect'; id: number; request: InspectRequest }
  | { type: 'snapshot'; id: number }
  /** The state dict this run started from (what rewind goes back to): the export's initial weights. */
  | { type: 'initialWeights'; id: number }
  | { type: 'cancel'; id: number }
  | { type: 'dispose'; id: number }
  /** Back to this run's exact initial state (step 0, optimizer state, BN buffers, schedule); the same losses follow.
   * A training run keeps training. */
  | { type: 'rewind'; id: number }
  /** Loads the weights whose keys and shapes match; the step, optimizer state and schedule stay. */
  | { type: 'loadWeights'; id: number; weights: WeightsDict | StateDict }
  /** Subscribes to `grid` events over this region (null stops): one at once, then pushed as the weights change. */
  | { type: 'watchGrid'; id: number; grid: GridRequest | null }
  /** Eval-mode outputs on a split (limit: the first rows only). */
  | { type: 'predictions'; id: number; split: 'train' | 'val'; limit?: number }
  /** The run's data points, at most maxRows per split (default 5000). */
  | { type: 'dataset'; id: number; maxRows?: number }
  /** A loss landscape around the run's current weights (training may go on); landscapeProgress events while it
   * runs; cancelLandscape makes it fail with "cancelled". */
  | { type: 'landscape'; id: number; request: LandscapeRequest }
  /** The loss along the line from the run's initial weights to its current ones, or to run `request.other`'s. */
  | { type: 'interpolate'; id: number; request: InterpolationRequest }
  | { type: 'cancelLandscape'; id: number }
  /** Every attention layer's weights over the first `rows` (default 8, at most 256) rows of a split (default 'val'),
   * in evaluation mode; an error for a model without attention layers. */
  | { type: 'attention'; id: number; split?: 'train' | 'val'; rows?: number }
) & { run?: RunId };

export type EngineRequestType = EngineRequest['type'];

/** What each request's reply carries. */
export interface ReplyResults {
  hello: null;
  probeBackend: BackendReport;
  compile: CompileResult;
  train: null;
  pause: { step: number };
  step: { step: number };
  setHyper: { applied: string[]; ignored: string[]; step: number };
  recompile: CompileResult;
  evaluate: EvaluationResult;
  inspect: InspectResult;
  snapshot: { step: number; weights: WeightsDict };
  initialWeights: { weights: WeightsDict };
  cancel: null;
  dispose: null;
  rewind: { step: number };
  loadWeights: { kept: string[]; dropped: string[] };
  watchGrid: null;
  predictions: PredictionsResult;
  dataset: DatasetView;
  landscape: LandscapeResult;
  interpolate: InterpolationResult;
  cancelLandscape: null;
  /** One entry per attention layer, in model order; weights as transferable Float32Arrays. */
  attention: AttentionMaps[];
}

/** Events from a run's session carry its `run`; the worker-level backend report (no decision), replies and errors
 * that answer a request or belong to no run do not need one. */
export type EngineEvent =
  /** The environment's backend report; with `decision` (and `run`), also which backend that run uses and why. */
  | { type: 'backend'; report: BackendReport; decision?: BackendDecision; run?: RunId }
  | { type: 'reply'; id: number; ok: true; result?: ReplyResults[EngineRequestType] }
  | { type: 'error'; id?: number; run?: RunId; message: string }
  | { type: 'metrics'; run: RunId; metrics: MetricsBatch }
  | { type: 'evaluation'; run: RunId; result: EvaluationResult }
  | { type: 'progress'; run: RunId; progress: ProgressInfo }
  | { type: 'diverged'; run: RunId; report: DivergenceReport }
  | { type: 'deviceLost'; run: RunId; report: DeviceLossReport }
  | { type: 'grid'; run: RunId; grid: GridFrame }
  /** A dataset downloading (once per worker, before the first compile that needs it); bytes, total 0 if unknown. */
  | { type: 'dataProgress'; name: 'mnist'; loaded: number; total: number; done: boolean }
  /** Grid points (or line points) done of a landscape or interpolation request in flight. */
  | { type: 'landscapeProgress'; run: RunId; id: number; progress: LandscapeProgress };

export type EngineEventType = EngineEvent['type'];

const EVENT_TYPES: ReadonlySet<string> = new Set<EngineEventType>([
  'backend',
  'reply',
  'error',
  'metrics',
  'evaluation',
  'progress',
  'diverged',
  'deviceLost',
  'grid',
  'dataProgress',
  'landscapeProgress',
]);

export function isEngineEvent(value: unknown): value is EngineEvent {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && EVENT_TYPES.has(type);
}

const REQUEST_TYPES: ReadonlySet<string> = new Set<EngineRequestType>([
  'hello',
  'probeBackend',
  'compile',
  'train',
  'pause',
  'step',
  'setHyper',
  'recompile',
  'evaluate',
  'inspect',
  'snapshot',
  'initialWeights',
  'cancel',
  'dispose',
  'rewind',
  'loadWeights',
  'watchGrid',
  'predictions',
  'dataset',
  'landscape',
  'interpolate',
  'cancelLandscape',
  'attention',
]);

export function isEngineRequest(value: unknown): value is EngineRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; id?: unknown; run?: unknown };
  return (
    typeof v.type === 'string' &&
    REQUEST_TYPES.has(v.type) &&
    typeof v.id === 'number' &&
    (v.run === undefined || typeof v.run === 'string')
  );
}

/** The distinct ArrayBuffers under a message's typed arrays, to pass as its transfer list. */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > 6) return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
      return;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
  return [...out];
}
