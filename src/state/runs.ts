// What the UI knows about each training run in the worker: status and counters, the metric series (growable typed
// columns, appended in place), the latest pushed decision-boundary grid, inspections, and what went wrong.
// Events reach `ingestEvent` already coalesced to at most one metrics event per run per frame (EngineClient), so
// every store update here is at most ~60 a second per run; charts read column views without copying.
import { create } from 'zustand';
import type {
  ActivationStats,
  BackendDecision,
  CompileResult,
  DatasetView,
  DeviceLossReport,
  DivergenceReport,
  EngineEvent,
  GridFrame,
  LayerStats,
  NeuronGrid,
  PredictionsResult,
  RunId,
  SessionState,
  WeightsDict,
} from '../../engine/index';
import { Column } from './series';

/** An exponential moving average with bias correction (TensorBoard's smoothing), updated one value at a time. */
export interface Ema {
  m: number;
  w: number;
}

export const SMOOTHING = 0.9;

/** Appends the smoothed values of `ys` to `out`, advancing `e`; non-finite values pass through as NaN. */
export function smoothInto(e: Ema, ys: ArrayLike<number>, out: Column, alpha = SMOOTHING): void {
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i];
    if (!Number.isFinite(v)) {
      out.pushOne(Number.NaN);
      continue;
    }
    e.m = alpha * e.m + (1 - alpha) * v;
    e.w = alpha * e.w + (1 - alpha);
    out.pushOne(e.m / e.w);
  }
}

export type RunStatus = SessionState | 'compiling' | 'error';

export interface ActivationSnapshot {
  step: number;
  layers: ActivationStats[];
}

export interface RunView {
  id: RunId;
  status: RunStatus;
  step: number;
  epoch: number;
  stepsPerSecond: number;
  samplesPerSecond: number;
  decision: BackendDecision | null;
  compiled: CompileResult | null;
  /** Bumped on every change, so selectors can subscribe to one run cheaply. */
  version: number;
  train: { step: Column; loss: Column; accuracy: Column; lr: Column; smoothLoss: Column; smoothAccuracy: Column };
  /** Running state of the smoothed training curves (kept here so each batch costs its own length, not the run's). */
  ema: { loss: Ema; accuracy: Ema };
  val: { step: Column; loss: Column; accuracy: Column };
  /** The epoch each validation result was taken in (parallel to val.step). */
  valEpochs: number[];
  grad: { keys: string[]; labels: string[]; step: Column; norms: Column[] };
  grid: GridFrame | null;
  data: DatasetView | null;
  activations: ActivationSnapshot[];
  weightStats: LayerStats[] | null;
  weights: { step: number; weights: WeightsDict } | null;
  neurons: { step: number; resolution: number; layers: NeuronGrid[] } | null;
  predictions: PredictionsResult | null;
  diverged: DivergenceReport | null;
  deviceLost: DeviceLossReport | null;
  error: string | null;
}

/** Activation snapshots kept per run (older ones are thinned, so a long run still spans its whole history). */
const MAX_ACTIVATION_SNAPSHOTS = 120;

function emptySeries(): Pick<RunView, 'train' | 'ema' | 'val' | 'valEpochs' | 'grad' | 'activations'> {
  return {
    train: {
      step: new Column(),
      loss: new Column(),
      accuracy: new Column(),
      lr: new Column(),
      smoothLoss: new Column(),
      smoothAccuracy: new Column(),
    },
    ema: { loss: { m: 0, w: 0 }, accuracy: { m: 0, w: 0 } },
    val: { step: new Column(), loss: new Column(), accuracy: new Column() },
    valEpochs: [],
    grad: { keys: [], labels: [], step: new Column(), norms: [] },
    activations: [],
  };
}

export function newRun(id: RunId): RunView {
  return {
    id,
    status: 'compiling',
    step: 0,
    epoch: 0,
    stepsPerSecond: 0,
    samplesPerSecond: 0,
    decision: null,
    compiled: null,
    version: 0,
    ...emptySeries(),
    grid: null,
    data: null,
    weightStats: null,
    weights: null,
    neurons: null,
    predictions: null,
    diverged: null,
    deviceLost: null,
    error: null,
  };
}

interface RunsState {
  runs: Record<RunId, RunView>;
  /** The latest MNIST download progress (shared: one dataset per worker). */
  download: { loaded: number; total: number; done: boolean } | null;
}

export const useRuns = create<RunsState>(() => ({ runs: {}, download: null }));

export function updateRun(id: RunId, change: (run: RunView) => Partial<RunView> | undefined): void {
  useRuns.setState((s) => {
    const run = s.runs[id] ?? newRun(id);
    const patch = change(run) ?? {};
    return { runs: { ...s.runs, [id]: { ...run, ...patch, version: run.version + 1 } } };
  });
}

export function removeRun(id: RunId): void {
  useRuns.setState((s) => {
    const { [id]: _gone, ...rest } = s.runs;
    return { runs: rest };
  });
}

/** Clears a run's history (rewind, reset, fresh compile): the series start again at step 0. */
export function clearHistory(id: RunId): void {
  updateRun(id, () => ({
    ...emptySeries(),
    step: 0,
    epoch: 0,
    grid: null,
    weightStats: null,
    weights: null,
    neurons: null,
    predictions: null,
    diverged: null,
    error: null,
  }));
}

/** Folds one engine event into the store. Returns true when the event belonged to a run. */
export function ingestEvent(event: EngineEvent): boolean {
  if (event.type === 'dataProgress') {
    useRuns.setState({ download: { loaded: event.loaded, total: event.total, done: event.done } });
    return false;
  }
  const run = 'run' in event ? event.run : undefined;
  if (run === undefined || (event.type !== 'metrics' && !useRuns.getState().runs[run])) return false;
  switch (event.type) {
    case 'metrics': {
      const m = event.metrics;
      updateRun(run, (r) => {
        r.train.step.push(m.step);
        r.train.loss.push(m.loss);
        smoothInto(r.ema.loss, m.loss, r.train.smoothLoss);
        if (m.accuracy) {
          r.train.accuracy.push(m.accuracy);
          smoothInto(r.ema.accuracy, m.accuracy, r.train.smoothAccuracy);
        }
        r.train.lr.push(m.lr);
        const g = m.gradNorms;
        if (g && g.keys.length > 0) {
          if (g.keys.join() !== r.grad.keys.join()) {
            // The network changed shape (a recompile): start the per-layer series again.
            r.grad = { keys: g.keys, labels: g.labels, step: new Column(), norms: g.keys.map(() => new Column()) };
          }
          r.grad.step.push(g.step);
          for (let i = 0; i < g.step.length; i++)
            for (let j = 0; j < g.keys.length; j++) r.grad.norms[j].pushOne(g.norms[i * g.keys.length + j]);
        }
        const last = m.step.length > 0 ? m.step[m.step.length - 1] + 1 : r.step;
        return {
          step: Math.max(r.step, last),
          epoch: m.epoch,
          stepsPerSecond: m.stepsPerSecond,
          samplesPerSecond: m.samplesPerSecond,
        };
      });
      return true;
    }
    case 'evaluation':
      if (event.result.split !== 'val') return true;
      updateRun(run, (r) => {
        const prev = r.val.step.last();
        // A re-evaluation of the same step (after a pause) replaces nothing: keep the series monotone.
        if (prev !== undefined && event.result.step <= prev) return {};
        r.val.step.pushOne(event.result.step);
        r.val.loss.pushOne(event.result.loss);
        r.val.accuracy.pushOne(event.result.accuracy ?? Number.NaN);
        return { valEpochs: [...r.valEpochs, r.epoch] };
      });
      return true;
    case 'progress':
      updateRun(run, (r) => ({
        status: r.status === 'error' && event.progress.state === 'idle' ? r.status : event.progress.state,
        step: event.progress.step,
        epoch: event.progress.epoch,
        stepsPerSecond: event.progress.stepsPerSecond,
      }));
      return true;
    case 'grid':
      updateRun(run, () => ({ grid: event.grid }));
      return true;
    case 'diverged':
      updateRun(run, () => ({ diverged: event.report, status: 'diverged' }));
      return true;
    case 'deviceLost':
      updateRun(run, () => ({ deviceLost: event.report }));
      return true;
    case 'backend':
      if (event.decision) updateRun(run, () => ({ decision: event.decision ?? null }));
      return true;
    case 'error':
      updateRun(run, () => ({ error: event.message }));
      return true;
    default:
      return false;
  }
}

export function pushActivations(id: RunId, snap: ActivationSnapshot): void {
  updateRun(id, (r) => {
    let list = [...r.activations, snap];
    if (list.length > MAX_ACTIVATION_SNAPSHOTS) list = list.filter((_, i) => i % 2 === 0 || i === list.length - 1);
    return { activations: list };
  });
}
