// The typed messages between the UI thread and the engine worker. Requests carry ids; the worker answers each with
// exactly one `reply` (carrying the request's result) or one `error` with the same id. Events flow unprompted:
// backend status, batched metrics, evaluations, progress, divergence, device loss. Typed arrays travel as
// transferables (see transferablesOf). The session behind the requests is engine/live/session.ts.
import type { AdapterSummary } from '../backends/webgpu/device';
import type { SelfTestResult } from '../backends/webgpu/selfTest';
import type {
  BackendDecision,
  BackendRequest,
  CompileResult,
  DeviceLossReport,
  DivergenceReport,
  EvaluationResult,
  HyperChange,
  InspectRequest,
  InspectResult,
  MetricsBatch,
  ProgressInfo,
  WeightsDict,
} from '../live/types';

/** Which compute backend this environment offers, and why. */
export type BackendReport =
  | { kind: 'webgpu'; adapter: AdapterSummary; selfTest: SelfTestResult }
  | { kind: 'cpu'; reason: string };

export type EngineRequest =
  | { type: 'hello'; id: number }
  | { type: 'probeBackend'; id: number }
  /** Validate, compile, pick the backend ('auto' measures), check memory, create a fresh run. */
  | { type: 'compile'; id: number; spec: unknown; backend: BackendRequest }
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
  | { type: 'cancel'; id: number }
  | { type: 'dispose'; id: number };

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
  cancel: null;
  dispose: null;
}

export type EngineEvent =
  /** The environment's backend report; with `decision`, also which backend the compiled run uses and why. */
  | { type: 'backend'; report: BackendReport; decision?: BackendDecision }
  | { type: 'reply'; id: number; ok: true; result?: ReplyResults[EngineRequestType] }
  | { type: 'error'; id?: number; message: string }
  | { type: 'metrics'; metrics: MetricsBatch }
  | { type: 'evaluation'; result: EvaluationResult }
  | { type: 'progress'; progress: ProgressInfo }
  | { type: 'diverged'; report: DivergenceReport }
  | { type: 'deviceLost'; report: DeviceLossReport };

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
  'cancel',
  'dispose',
]);

export function isEngineRequest(value: unknown): value is EngineRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; id?: unknown };
  return typeof v.type === 'string' && REQUEST_TYPES.has(v.type) && typeof v.id === 'number';
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
