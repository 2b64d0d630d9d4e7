// A live training session: one compiled Program on one backend, trained continuously in chunks of k whole steps
// (one Runtime.trainSteps(k) per chunk, k sized so a chunk takes ~10-30 ms), with everything a learner does while it
// runs (pause, step(n), hot hyperparameters, recompile, evaluate, inspect, snapshot, cancel) handled BETWEEN chunks.
// It batches metrics (at most ~30 posts a second), evaluates on the validation split once per epoch, snapshots the
// state every few seconds, stops and explains a divergence (restoring the last finite snapshot), and survives the
// loss of the GPU device (recreating it, or falling back to the CPU, from the last snapshot).
//
// Nothing here knows about workers: events go to an `emit` callback and every public method returns a promise that
// rejects only for requests that cannot be served (no program yet, a bad spec), never for a training failure.
//
// Concurrency: every use of the runtime goes through `exclusive`, a promise chain. The training loop queues one
// chunk at a time and yields to the event loop between chunks, so a request that arrives during chunk N runs
// before chunk N+1: "takes effect at the next submit".

import type { BackendName, HotHypers, TrainResult } from '../backends/backend';
import type { Dataset } from '../data/dataset';
import { mapFeatures } from '../data/features';
import { applyHot, hotFromSpec, packHypers } from '../graph/hypers';
import type { Program } from '../graph/program';
import type { InterpolationRequest, InterpolationResult, LandscapeProgress, LandscapeResult } from '../landscape/types';
import type { NormalizedSpec, StateDict } from '../spec/types';
import { ActivationProbe, gridInputs } from './activations';
import { alignInitialState, type InitialState } from './align';
import { chooseAndCreate } from './choose';
import { type ChunkOptions, ChunkSizer } from './chunk';
import { diagnose, type TraceStep } from './divergence';
import { type LandscapeMoment, type OtherRun, SessionLandscape } from './landscape';
import { layerNorms, layerStats, weightsFromState } from './layers';
import { MetricsBuffer, metricsTransfer } from './metrics';
import { outputKind, predictedClasses, readableOutputs } from './outputs';
import { restoreSnapshot, type Snapshot, stateDictOf, takeSnapshot } from './snapshot';
import type {
  BackendDecision,
  BackendRequest,
  CompileResult,
  DatasetSplitView,
  DatasetView,
  DivergenceReport,
  Emit,
  EvaluationResult,
  GridRequest,
  HyperChange,
  InspectRequest,
  InspectResult,
  LiveRuntime,
  PredictionsResult,
  RuntimeHost,
  SessionState,
  WeightsDict,
} from './types';

export interface SessionOptions {
  now?: () => number;
  /** Lets queued messages run between chunks (a macrotask). */
  yieldToEvents?: () => Promise<void>;
  chunk?: ChunkOptions;
  metricsIntervalMs?: number;
  snapshotIntervalMs?: number;
  /** Evaluate on the validation split every this many steps (0: once per epoch). */
  evalEverySteps?: number;
  /** ... but not more often than this. */
  evalMinIntervalMs?: number;
  progressIntervalMs?: number;
  /** Divergence diagnosis replays at most this many steps from the last snapshot. */
  diagnoseMaxSteps?: number;
}

export function defaultYield(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void; MessageChannel?: typeof MessageChannel };
  if (g.setImmediate) return new Promise((r) => g.setImmediate?.(r));
  if (g.MessageChannel) {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

const HOT_KEYS: readonly (keyof HotHypers)[] = [
  'lr',
  'momentum',
  'dampening',
  'betas',
  'eps',
  'alpha',
  'weightDecay',
  'lrDecay',
  'dropout',
  'labelSmoothing',
  'l1',
  'l2',
  'clipGradNorm',
  'clipGradValue',
];

/** The shortest chunk the trajectory record may cut training into (engine/live/landscape.ts). */
const SNAPSHOT_CHUNK = 16;

export class LiveSession {
  private readonly now: () => number;
  private readonly yieldToEvents: () => Promise<void>;
  private readonly sizer: ChunkSizer;
  private readonly opts: Required<Omit<SessionOptions, 'now' | 'yieldToEvents' | 'chunk'>>;
  private metrics: MetricsBuffer;

  private spec: NormalizedSpec | null = null;
  private program: Program | null = null;
  private runtime: LiveRuntime | null = null;
  private requested: BackendRequest = 'auto';
  private decision: BackendDecision | null = null;
  private status: SessionState = 'empty';

  private queue: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | null = null;
  private stopRequested = false;
  private cancelGeneration = 0;

  private initStep = 0;
  private hot: Partial<HotHypers> = {};
  private snap: Snapshot | null = null;
  private lastFiniteLoss: number | null = null;
  private recentLosses: number[] = [];
  private epoch = 0;
  private lastEval = { time: Number.NEGATIVE_INFINITY, step: 0, epoch: 0 };
  private lastProgress = Number.NEGATIVE_INFINITY;
  private evalBroken = false;
  /** Set when the device behind the current runtime is lost: the runtime it was for and why. */
  private lost: { runtime: LiveRuntime; reason: string } | null = null;
  private lostSignal: Promise<string> | null = null;
  /** Times of recent device recoveries (a device failing again and again falls back to the CPU). */
  private recoveries: number[] = [];
  /** The state arena this run started from (compiled or aligned): what rewind goes back to. */
  private initial: InitialState | null = null;
  /** The watched grid, when the last push was and what it cost (pushes are spaced by >= 8x that cost). */
  private grid: { req: GridRequest; last: number; costMs: number } | null = null;
  /** Gradient-norm sampling between chunks: spaced so reading the state stays under ~10% of training time. */
  private gradSample = { last: Number.NEGATIVE_INFINITY, intervalMs: 100 };
  /** The weight trajectory and loss-landscape requests (engine/live/landscape.ts). */
  private readonly landscapes: SessionLandscape;

  constructor(
    private readonly host: RuntimeHost,
    private readonly emit: Emit,
    opts: SessionOptions = {},
  ) {
    this.now = opts.now ?? (() => performance.now());
    this.yieldToEvents = opts.yieldToEvents ?? defaultYield;
    this.sizer = new ChunkSizer(opts.chunk);
    this.opts = {
      metricsIntervalMs: opts.metricsIntervalMs ?? 33,
      snapshotIntervalMs: opts.snapshotIntervalMs ?? 2000,
      evalEverySteps: opts.evalEverySteps ?? 0,
      evalMinIntervalMs: opts.evalMinIntervalMs ?? 500,
      progressIntervalMs: opts.progressIntervalMs ?? 250,
      diagnoseMaxSteps: opts.diagnoseMaxSteps ?? 256,
    };
    this.metrics = new MetricsBuffer(1, this.now, this.opts.metricsIntervalMs);
    this.landscapes = new SessionLandscape(host, this.yieldToEvents);
  }

  // ------------------------------------------------------------------ public surface

  get state(): SessionState {
    return this.status;
  }

  get step(): number {
    return this.runtime?.step ?? 0;
  }

  get backend(): BackendName | null {
    return this.runtime?.backend ?? null;
  }

  get currentProgram(): Program | null {
    return this.program;
  }

  /** Steps per submit in use now. */
  get chunkSteps(): number {
    return this.sizer.steps;
  }

  /** Validates and compiles a spec, picks the backend, checks memory and creates a fresh runtime. With `alignWith`
   * (another run's initialState()), the matching layers start from that run's initial weights (align.ts). */
  async compile(
    raw: unknown,
    backend: BackendRequest = 'auto',
    opts: { alignWith?: InitialState } = {},
  ): Promise<CompileResult> {
    await this.pause();
    return this.exclusive(async () => {
      const { spec, program } = this.compileSpec(raw);
      const { decision, runtime } = await chooseAndCreate(this.host, program, backend);
      let state = await runtime.readState();
      let aligned: string[] | undefined;
      if (opts.alignWith) {
        ({ state, aligned } = alignInitialState(opts.alignWith, { program, state }));
        await runtime.writeState(state);
      }
      this.initial = { program, state };
      this.replaceRuntime(runtime);
      this.spec = spec;
      this.program = program;
      this.requested = backend;
      this.decision = decision;
      this.hot = {};
      this.initStep = 0;
      this.resetRunState();
      this.emit({ type: 'backend', decision });
      await this.snapshotNow();
      this.setStatus('idle');
      await this.pushGrid();
      return aligned ? { ...this.compileResult(), aligned } : this.compileResult();
    });
  }

  /** This run's initial state (compiled, aligned, or carried into a recompiled program), for another run's
   * alignWith; null before compile. */
  initialState(): InitialState | null {
    return this.initial;
  }

  /** Back to the exact initial state: step 0, the initial weights, zero optimizer state, initial BatchNorm buffers,
   * the schedule (and plateau state) from its start, metrics and divergence state cleared. Shuffles and dropout
   * masks are functions of (seed, step), so the same losses follow. Hot hyperparameters set since compile stay.
   * A training run keeps training. */
  async rewind(): Promise<{ step: number }> {
    this.requireProgram();
    const wasTraining = this.loop !== null;
    await this.pause();
    await this.exclusive(async () => {
      const init = this.initial as InitialState;
      const p = this.program as Program;
      if (p.spec.schedule.type === 'plateau') {
        // The runtime keeps the plateau state privately and seek does not rewind it: start a fresh runtime.
        const fresh = await this.host.create(p, (this.runtime as LiveRuntime).backend);
        this.replaceRuntime(fresh);
        if (Object.keys(this.hot).length > 0) fresh.setHyper(this.hot);
      }
      const rt = this.runtime as LiveRuntime;
      await this.raceLoss(rt.writeState(init.state));
      rt.seek(0);
      this.initStep = 0;
      this.resetRunState();
      await this.snapshotNow();
      if (this.status === 'diverged') this.setStatus('idle');
      this.emitProgress();
      await this.pushGrid();
    });
    if (wasTraining) this.train();
    return { step: 0 };
  }

  /** Loads every entry whose key and shape match the model; the step, optimizer state and schedule stay. `dropped`
   * holds one message per entry that did not fit (starting with its key). */
  async loadWeights(weights: LoadableWeights): Promise<{ kept: string[]; dropped: string[] }> {
    this.requireProgram();
    return this.exclusive(async () => {
      const rt = this.runtime as LiveRuntime;
      const { dict, malformed } = asStateDict(weights);
      const problems = await this.raceLoss(rt.setWeights(dict));
      this.landscapes.clear();
      const bad = new Set(problems.map((m) => m.slice(0, m.indexOf(':'))));
      const kept = Object.keys(dict).filter((k) => !bad.has(k));
      // The previous snapshot holds the old weights; a divergence should go back to these.
      await this.snapshotNow();
      this.emitProgress();
      await this.pushGrid();
      return { kept, dropped: [...malformed, ...problems] };
    });
  }

  /** Subscribes to `grid` events over a region of the input plane (null stops). One frame is pushed at once; then
   * after chunks at a low, adaptive rate while training, and after step(n), pause, rewind, recompile, loadWeights. */
  async watchGrid(req: GridRequest | null): Promise<void> {
    if (req === null) {
      this.grid = null;
      return;
    }
    this.requireProgram();
    const finite = [...req.xRange, ...req.yRange, req.resolution].every((v) => Number.isFinite(v));
    if (!finite || req.xRange.length !== 2 || req.yRange.length !== 2)
      throw new Error('watchGrid: xRange, yRange and resolution must be finite numbers');
    const resolution = Math.max(2, Math.min(200, Math.floor(req.resolution)));
    this.grid = {
      req: { xRange: [req.xRange[0], req.xRange[1]], yRange: [req.yRange[0], req.yRange[1]], resolution },
      last: Number.NEGATIVE_INFINITY,
      costMs: 0,
    };
    await this.exclusive(() => this.pushGrid(true));
  }

  /** Eval-mode outputs on a split (the first `limit` rows): probabilities and predicted classes for classification. */
  async predictions(split: 'train' | 'val' = 'val', limit?: number): Promise<PredictionsResult> {
    this.requireProgram();
    const data = await this.dataset();
    return this.exclusive(async () => {
      const p = this.program as Program;
      const rt = this.runtime as LiveRuntime;
      const s = data[split];
      const count = limit === undefined ? s.count : Math.min(s.count, Math.max(0, Math.floor(limit)));
      const xRow = size(p.inputShape);
      const outputs = size(p.outputShape);
      const yRow = size(data.targetShape);
      const raw =
        count > 0 ? await this.raceLoss(rt.predict(s.x.subarray(0, count * xRow), count)) : new Float32Array(0);
      const loss = p.spec.loss.type;
      return {
        step: this.step,
        split,
        count,
        outputs,
        kind: outputKind(loss),
        targets: s.y.slice(0, count * yRow),
        values: readableOutputs(loss, raw, count, outputs),
        predicted: predictedClasses(loss, raw, count, outputs),
      };
    });
  }

  /** The run's data points, at most maxRows per split (copies: they travel as transferables). */
  async datasetView(maxRows = 5000): Promise<DatasetView> {
    this.requireProgram();
    const data = await this.dataset();
    const n = Math.max(0, Math.floor(maxRows));
    const xRow = size(data.inputShape);
    const yRow = size(data.targetShape);
    const cut = (s: { x: Float32Array; y: Float32Array; count: number }): DatasetSplitView => {
      const count = Math.min(s.count, n);
      return { x: s.x.slice(0, count * xRow), y: s.y.slice(0, count * yRow), count };
    };
    const train = cut(data.train);
    const val = cut(data.val);
    // Feature-mapped inputs keep their raw 2-D coordinates beside x (engine/data); plain 2-D inputs are their own.
    const raw = (data as Dataset & { points2d?: { train: Float32Array; val: Float32Array } }).points2d;
    const flat2d = data.inputShape.length === 1 && data.inputShape[0] === 2;
    const points2d = raw
      ? { train: raw.train.slice(0, train.count * 2), val: raw.val.slice(0, val.count * 2) }
      : flat2d
        ? { train: train.x.slice(), val: val.x.slice() }
        : null;
    return {
      inputShape: [...data.inputShape],
      targetShape: [...data.targetShape],
      classes: data.classes,
      train,
      val,
      points2d,
    };
  }

  /** Compiles a changed spec and carries over every weight whose name and shape match; the step continues. */
  async recompile(raw: unknown): Promise<CompileResult> {
    const wasTraining = this.loop !== null;
    await this.pause();
    const result = await this.exclusive(() => this.recompileNow(raw, false));
    if (wasTraining) this.train();
    return result;
  }

  /** Starts continuous training (until pause, cancel or divergence). Returns at once. */
  train(): void {
    this.requireProgram();
    if (this.loop) return;
    this.stopRequested = false;
    this.setStatus('training');
    this.metrics.resetWindow();
    this.loop = this.runLoop().finally(() => {
      this.loop = null;
    });
  }

  /** Stops continuous training after the chunk in flight; resolves when it has stopped. */
  async pause(): Promise<void> {
    this.stopRequested = true;
    if (this.loop) await this.loop;
  }

  /** Runs exactly n steps (fewer if cancelled or diverged), pausing continuous training first. */
  async stepN(n: number): Promise<{ step: number }> {
    this.requireProgram();
    await this.pause();
    this.stopRequested = false;
    const generation = this.cancelGeneration;
    this.setStatus('stepping');
    this.metrics.resetWindow();
    // A target step, not a count: after a device loss the run goes back to its snapshot and redoes those steps.
    const target = this.step + Math.max(0, Math.floor(n));
    while (this.step < target && generation === this.cancelGeneration && !this.stopRequested) {
      const ok = await this.exclusive(() => this.runChunk(Math.min(this.sizer.steps, target - this.step)));
      if (!ok) break;
      if (this.step < target) await this.yieldToEvents();
    }
    this.flushMetrics();
    await this.snapshotWhenStopped();
    await this.pushGridWhenStopped();
    if (this.status === 'stepping') this.setStatus('idle');
    return { step: this.step };
  }

  /** Hot changes, applied before the next submit. Changes the compiled program cannot take in its uniform block
   * recompile (weights, optimizer state where it fits, and the step kept): a batch size, and turning gradient
   * clipping or the L1/L2 penalties on (or clipping off). Keys this program has no use for (e.g. dropout without a
   * dropout layer) come back in `ignored`. */
  async setHyper(change: HyperChange): Promise<{ applied: string[]; ignored: string[]; step: number }> {
    this.requireProgram();
    const bad = Object.entries(change).find(([, v]) =>
      Array.isArray(v) ? v.some((x) => !Number.isFinite(x)) : typeof v !== 'number' || !Number.isFinite(v),
    );
    if (bad) throw new Error(`setHyper: ${bad[0]} must be a finite number`);
    if (change.batchSize !== undefined && !(change.batchSize >= 1)) throw new Error('setHyper: batchSize must be >= 1');
    const hot: Partial<HotHypers> = {};
    for (const k of HOT_KEYS) if (change[k] !== undefined) (hot as Record<string, unknown>)[k] = change[k];
    const p = this.program as Program;
    const structural = structuralSpec(this.spec as NormalizedSpec, p, change);
    const ignored = Object.keys(hot).filter(
      (k) => !usesHyper(p, k as keyof HotHypers) && !structural?.keys.includes(k),
    );
    const applied = [
      ...Object.keys(hot).filter((k) => !ignored.includes(k)),
      ...(structural?.keys.includes('batchSize') ? ['batchSize'] : []),
    ];
    if (structural) {
      const wasTraining = this.loop !== null;
      await this.pause();
      await this.exclusive(async () => {
        this.hot = { ...this.hot, ...hot };
        await this.recompileNow(structural.spec, true);
      });
      if (wasTraining) this.train();
      return { applied, ignored, step: this.step };
    }
    return this.exclusive(async () => {
      this.hot = { ...this.hot, ...hot };
      this.runtime?.setHyper(hot);
      return { applied, ignored, step: this.step };
    });
  }

  async evaluate(split: 'train' | 'val' = 'val'): Promise<EvaluationResult> {
    this.requireProgram();
    return this.exclusive(async () => {
      const rt = this.runtime as LiveRuntime;
      const r = await this.raceLoss(rt.evaluate(split));
      const result: EvaluationResult = { step: this.step, split, loss: r.loss, accuracy: r.accuracy, count: r.count };
      this.emit({ type: 'evaluation', result });
      return result;
    });
  }

  async inspect(req: InspectRequest): Promise<InspectResult> {
    this.requireProgram();
    const now = await this.exclusive(() => this.raceLoss(this.inspectNow(req)));
    // Device inspection: queued in the exclusive section, read back outside it (training goes on meanwhile).
    return typeof now === 'function' ? this.raceLoss(now()) : now;
  }

  /** The current weights (state dict, typed arrays). */
  async snapshot(): Promise<{ step: number; weights: WeightsDict }> {
    this.requireProgram();
    return this.exclusive(async () => {
      const rt = this.runtime as LiveRuntime;
      const p = this.program as Program;
      return { step: this.step, weights: weightsFromState(p, await this.raceLoss(rt.readState())) };
    });
  }

  /** A loss landscape around the current weights (engine/live/landscape.ts); training may go on meanwhile. */
  async landscape(req: unknown, onProgress?: (p: LandscapeProgress) => void): Promise<LandscapeResult> {
    return this.landscapes.landscape(req, await this.landscapeMoment(), onProgress);
  }

  /** The loss from the initial weights to the current ones, or (other) from these to another run's. */
  async interpolate(
    req: InterpolationRequest,
    other: OtherRun | null,
    onProgress?: (p: LandscapeProgress) => void,
  ): Promise<InterpolationResult> {
    const m = await this.landscapeMoment();
    const init = this.initial as InitialState;
    return this.landscapes.interpolate(req, m, init.state, other, onProgress);
  }

  cancelLandscape(): void {
    this.landscapes.cancel();
  }

  /** The weights of the moment and what a landscape computation needs with them (another run's interpolation
   * target, too). */
  async landscapeMoment(): Promise<LandscapeMoment> {
    this.requireProgram();
    const data = await this.dataset();
    return this.exclusive(async () => {
      const rt = this.runtime as LiveRuntime;
      const state = await this.raceLoss(rt.readState());
      return {
        program: this.program as Program,
        state,
        step: this.step,
        data,
        hot: { ...this.hot },
        backend: rt.backend,
      };
    });
  }

  /** Stops training and any step(n) in progress. */
  async cancel(): Promise<void> {
    this.cancelGeneration++;
    await this.pause();
  }

  async dispose(): Promise<void> {
    await this.cancel();
    await this.exclusive(async () => {
      this.flushMetrics();
      this.runtime?.dispose();
      this.runtime = null;
      this.program = null;
      this.spec = null;
      this.setStatus('disposed');
    });
  }

  // ------------------------------------------------------------------ the loop

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runLoop(): Promise<void> {
    const generation = this.cancelGeneration;
    while (!this.stopRequested && generation === this.cancelGeneration) {
      const ok = await this.exclusive(() => this.runChunk(this.sizer.steps));
      if (!ok) break;
      await this.yieldToEvents();
    }
    this.flushMetrics();
    await this.snapshotWhenStopped();
    await this.pushGridWhenStopped();
    if (this.status === 'training') this.setStatus('idle');
  }

  /** An idle view stays current: the grid of the weights training stopped at. */
  private async pushGridWhenStopped(): Promise<void> {
    if (this.grid && this.runtime && this.status !== 'disposed') await this.exclusive(() => this.pushGrid());
  }

  /** Computes and emits the watched grid (never rejects: a failure stops the watch with an error event). `first`:
   * the subscription's own frame, whose failure the watchGrid request reports instead. */
  private async pushGrid(first = false): Promise<void> {
    const g = this.grid;
    const p = this.program;
    if (!g || !p || !this.runtime) return;
    // A compile that replaced a 2-D model with an image model ends the watch quietly: there is no plane to draw.
    if (!first && p.spec.data?.kind === 'mnist') {
      this.grid = null;
      return;
    }
    const t0 = this.now();
    try {
      const r = await this.inspectNow({ what: 'grid', ...g.req });
      if (typeof r === 'function' || r.what !== 'grid') return;
      const loss = p.spec.loss.type;
      const values = readableOutputs(loss, r.values, r.resolution * r.resolution, r.outputs);
      const t1 = this.now();
      g.costMs = t1 - t0;
      g.last = t1;
      const { xRange, yRange } = g.req;
      this.emit(
        {
          type: 'grid',
          grid: {
            step: r.step,
            resolution: r.resolution,
            xRange,
            yRange,
            outputs: r.outputs,
            kind: outputKind(loss),
            values,
          },
        },
        [values.buffer as ArrayBuffer],
      );
    } catch (e) {
      if (this.lost) return; // the device loss is handled (and reported) by the training path
      if (this.grid === g) this.grid = null;
      if (first) throw e;
      this.emit({ type: 'error', message: `the decision-boundary grid stopped: ${errorText(e)}` });
    }
  }

  /** A stopped run keeps its latest state as the snapshot (cheap, and device loss while idle then loses nothing). */
  private async snapshotWhenStopped(): Promise<void> {
    if (this.status === 'diverged' || !this.runtime || this.snap?.step === this.step) return;
    await this.exclusive(async () => {
      if (this.status === 'diverged' || !this.runtime) return;
      try {
        if ((await this.snapshotNow()) !== 'ok') await this.onDiverged(this.step - 1, 'weights');
      } catch {
        // a lost device cannot be read; the previous snapshot stays
      }
    });
  }

  /** Runs one chunk of k steps and everything due after it. False when training must stop. Never rejects: a
   * failure on WebGPU is treated as a lost device (recover and go on), anything else stops with an error event. */
  private async runChunk(k: number): Promise<boolean> {
    const rt = this.runtime;
    try {
      return await this.runChunkUnsafe(k);
    } catch (first) {
      let e = first;
      if (rt && rt === this.runtime && rt.backend === 'webgpu') {
        try {
          return await this.recoverDevice(this.lost?.reason ?? errorText(first));
        } catch (again) {
          e = again;
        }
      }
      this.emit({ type: 'error', message: `training stopped: ${errorText(e)}` });
      this.stopRequested = true;
      return false;
    }
  }

  private async runChunkUnsafe(want: number): Promise<boolean> {
    if (!this.runtime || !this.program) return false;
    // Snapshots for the landscape's PCA are taken between chunks: a fast backend's long chunks would leave a short
    // run with only a few, so a chunk ends where the next snapshot is due (at least SNAPSHOT_CHUNK steps).
    const k = Math.min(want, this.landscapes.stepsToNext(this.step, SNAPSHOT_CHUNK));
    if (this.lost?.runtime === this.runtime) {
      if (!(await this.recoverDevice(this.lost.reason))) return false;
    }
    const rt = this.runtime;
    const first = this.step;
    if (this.landscapes.due(first)) this.landscapes.record(this.program, first, await this.raceLoss(rt.readState()));
    const t0 = this.now();
    const res: TrainResult = await this.raceLoss(rt.trainSteps(k));
    if (this.lost?.runtime === rt) return this.recoverDevice(this.lost.reason);
    this.sizer.observe(res.losses.length, this.now() - t0);
    this.epoch = res.epoch;
    const bad = res.losses.findIndex((l) => !Number.isFinite(l));
    const good = bad < 0 ? res.losses.length : bad;
    this.metrics.push(first, res.losses.slice(0, good), res.accuracies?.slice(0, good) ?? null, res.lrs, res.epoch);
    for (let i = 0; i < good; i++) this.noteLoss(res.losses[i]);
    if (bad >= 0) {
      await this.onDiverged(first + bad, 'loss');
      return false;
    }
    if (!(await this.afterChunk())) return false;
    return true;
  }

  /** Periodic work after a chunk: snapshot, evaluation, progress. False when a snapshot found non-finite state. */
  private async afterChunk(): Promise<boolean> {
    const t = this.now();
    let state: Float32Array | null = null;
    if (!this.snap || t - this.snap.time >= this.opts.snapshotIntervalMs) {
      const check = await this.snapshotNow();
      if (check !== 'ok') {
        await this.onDiverged(this.step - 1, check);
        return false;
      }
      state = (this.snap as Snapshot).state;
    }
    if (t - this.gradSample.last >= this.gradSample.intervalMs) {
      // The gradients in the state arena are those of the chunk's last step.
      const t0 = this.now();
      state ??= await this.raceLoss((this.runtime as LiveRuntime).readState());
      this.metrics.pushGradNorms(this.step - 1, layerNorms(this.program as Program, state));
      const t1 = this.now();
      this.gradSample = { last: t1, intervalMs: Math.max(100, 10 * (t1 - t0)) };
    }
    // After the sample, so a batch holds the gradient norms of its own steps.
    if (this.metrics.due()) this.flushMetrics();
    const everySteps = this.opts.evalEverySteps;
    const due = everySteps > 0 ? this.step - this.lastEval.step >= everySteps : this.epoch !== this.lastEval.epoch;
    if (due && !this.evalBroken && t - this.lastEval.time >= this.opts.evalMinIntervalMs) {
      this.lastEval = { time: t, step: this.step, epoch: this.epoch };
      const r = await this.raceLoss((this.runtime as LiveRuntime).evaluate('val'));
      if (r.count === 0)
        this.evalBroken = true; // no validation split: stop asking
      else
        this.emit({
          type: 'evaluation',
          result: { step: this.step, split: 'val', loss: r.loss, accuracy: r.accuracy, count: r.count },
        });
    }
    if (this.grid && this.now() - this.grid.last >= Math.max(150, 8 * this.grid.costMs)) await this.pushGrid();
    if (t - this.lastProgress >= this.opts.progressIntervalMs) this.emitProgress();
    return true;
  }

  private noteLoss(l: number): void {
    this.lastFiniteLoss = l;
    this.recentLosses.push(l);
    if (this.recentLosses.length > 32) this.recentLosses.shift();
  }

  private flushMetrics(): void {
    const batch = this.metrics.take();
    if (batch) this.emit({ type: 'metrics', metrics: batch }, metricsTransfer(batch));
  }

  private emitProgress(): void {
    this.lastProgress = this.now();
    const ms = this.sizer.stepMs;
    this.emit({
      type: 'progress',
      progress: {
        state: this.status,
        step: this.step,
        epoch: this.epoch,
        chunk: this.sizer.steps,
        backend: this.backend,
        stepsPerSecond: ms ? 1000 / ms : 0,
      },
    });
  }

  private setStatus(s: SessionState): void {
    if (this.status === s) return;
    this.status = s;
    this.emitProgress();
  }

  // ------------------------------------------------------------------ compile, backend, recompile

  private requireProgram(): void {
    if (this.status === 'disposed') throw new Error('the session was disposed');
    if (!this.program || !this.runtime) throw new Error('nothing compiled yet: send compile(spec) first');
  }

  private compileSpec(raw: unknown): { spec: NormalizedSpec; program: Program } {
    const v = this.host.validate(raw);
    if (!v.ok) throw new Error(`the spec is invalid: ${v.errors.join('; ')}`);
    return { spec: v.spec, program: this.host.compile(v.spec) };
  }

  private async recompileNow(raw: unknown, keepHot: boolean): Promise<CompileResult> {
    const old = this.runtime;
    if (!old || !this.program) throw new Error('nothing compiled yet: send compile(spec) first');
    const { spec, program } = this.compileSpec(raw);
    const prevStep = this.step;
    const prevProgram = this.program;
    const prevState = await this.raceLoss(old.readState());
    const weights = stateDictOf(weightsFromState(prevProgram, prevState));
    const { decision, runtime } = await chooseAndCreate(this.host, program, this.requested);
    const fresh = await runtime.readState();
    const shapes = new Map(program.params.map((q) => [q.key, program.tensors[q.tensor].shape.join('x')]));
    const fits = Object.keys(weights).filter((k) => shapes.get(k) === weights[k].shape.join('x'));
    const carried = Object.fromEntries(fits.map((k) => [k, weights[k]]));
    const dropped = (await runtime.setWeights(carried)).concat(
      Object.keys(weights)
        .filter((k) => !fits.includes(k))
        .map((k) => (shapes.has(k) ? `${k}: shape changed, re-initialised` : `${k}: no longer in the model`)),
    );
    // Same parameters in the same layout (a batch-size change, clipping or penalties toggled): carry the optimizer
    // state too, so the run continues exactly instead of restarting Adam's moments.
    const carriedState = carryOptimizerState(prevProgram, prevState, program, await runtime.readState());
    if (carriedState) await runtime.writeState(carriedState);
    this.initial = { program, state: carryInitial(this.initial, program, fresh) };
    this.replaceRuntime(runtime);
    this.spec = spec;
    this.program = program;
    this.decision = decision;
    if (!keepHot) this.hot = {};
    else if (Object.keys(this.hot).length > 0) runtime.setHyper(this.hot);
    this.setGlobalStep(prevStep);
    if (fits.length === 0) this.initStep = prevStep;
    this.resetRunState();
    this.emit({ type: 'backend', decision });
    await this.snapshotNow();
    this.emitProgress();
    await this.pushGrid();
    return { ...this.compileResult(), kept: fits, dropped };
  }

  private compileResult(): CompileResult {
    const p = this.program as Program;
    return {
      backend: (this.runtime as LiveRuntime).backend,
      decision: this.decision as BackendDecision,
      // Trainable values (running statistics are not), tensor by tensor (the params region is padded for alignment).
      parameters: p.params.reduce((n, q) => (q.grad === null ? n : n + p.tensors[q.tensor].size), 0),
      stateBytes: p.arenas.state.size * 4,
      activationBytes: p.arenas.activations.size * 4,
    };
  }

  private replaceRuntime(next: LiveRuntime): void {
    const old = this.runtime;
    this.runtime = next;
    if (old && old !== next) {
      try {
        old.dispose();
      } catch {
        // a runtime on a lost device may fail to clean up; it is gone either way
      }
    }
    this.lost = null;
    this.lostSignal = null;
    const watch = this.host.watchDevice?.(next);
    if (watch) {
      this.lostSignal = watch.then((reason) => {
        if (this.runtime === next) this.lost = { runtime: next, reason };
        return reason;
      });
      // Recover an idle session at once, so the next request finds a working runtime.
      void this.lostSignal.then(() => {
        if (this.runtime === next && !this.loop)
          void this.exclusive(async () => {
            if (this.lost?.runtime === this.runtime) await this.recoverDevice(this.lost.reason);
          });
      });
    }
  }

  private resetRunState(): void {
    this.sizer.reset();
    this.landscapes.restart(this.program as Program, this.step);
    this.metrics = new MetricsBuffer((this.program as Program).batchSize, this.now, this.opts.metricsIntervalMs);
    this.snap = null;
    this.recentLosses = [];
    this.lastFiniteLoss = null;
    this.evalBroken = false;
    this.lastEval = { time: Number.NEGATIVE_INFINITY, step: this.step, epoch: this.runtime?.epoch ?? 0 };
    this.epoch = this.runtime?.epoch ?? 0;
    this.gradSample = { last: Number.NEGATIVE_INFINITY, intervalMs: 100 };
  }

  private setGlobalStep(step: number): void {
    const rt = this.runtime as LiveRuntime;
    rt.seek(step);
  }

  // ------------------------------------------------------------------ snapshots, divergence, device loss

  private async snapshotNow(): Promise<'ok' | 'weights' | 'gradient'> {
    const check = await this.raceLoss(
      takeSnapshot(this.runtime as LiveRuntime, this.program as Program, this.step, this.now()),
    );
    if (!check.ok) return check.signal;
    this.snap = check.snapshot;
    return 'ok';
  }

  /** Waits for a promise, but gives up as soon as the device is lost (a lost device may never answer). */
  private raceLoss<T>(p: Promise<T>): Promise<T> {
    if (!this.lostSignal) return p;
    const lost = this.lostSignal.then((reason): T => {
      throw new Error(`the GPU device was lost: ${reason}`);
    });
    lost.catch(() => undefined); // only the race's outcome matters
    return Promise.race([p, lost]);
  }

  private async onDiverged(step: number, signal: DivergenceReport['signal']): Promise<void> {
    this.stopRequested = true;
    this.flushMetrics();
    const rt = this.runtime as LiveRuntime;
    const p = this.program as Program;
    const snap = this.snap;
    const trace: TraceStep[] = [];
    const lr = this.hot.lr ?? p.spec.optimizer.lr;
    try {
      if (snap) {
        await restoreSnapshot(rt, snap);
        this.setGlobalStep(snap.step);
        const budgetEnd = this.now() + 2000;
        const steps = Math.min(this.opts.diagnoseMaxSteps, step - snap.step + 2);
        for (let i = 0; i < steps && this.now() < budgetEnd; i++) {
          const r = await rt.trainSteps(1);
          const layers = layerNorms(p, await rt.readState());
          trace.push({ step: snap.step + i, loss: r.losses[0], lr: r.lrs[0] ?? lr, layers });
          if (!Number.isFinite(r.losses[0]) || layers.some((l) => !Number.isFinite(l.gradNorm))) break;
        }
        await restoreSnapshot(rt, snap);
        this.setGlobalStep(snap.step);
      }
    } catch {
      // The diagnosis is best effort; the report below still goes out.
    }
    const report = diagnose({
      step,
      signal,
      lastFiniteLoss: this.lastFiniteLoss,
      recentLosses: this.recentLosses,
      initStep: this.initStep,
      trace,
      restoredStep: snap?.step ?? this.step,
      lr: trace[0]?.lr ?? lr,
    });
    this.metrics.resetWindow();
    this.setStatus('diverged');
    this.emit({ type: 'diverged', report });
  }

  /** The device behind the runtime is gone: recreate it (or fall back to the CPU), restore the last snapshot and
   * carry on. False when nothing could be recreated (training stops with an error event). */
  private async recoverDevice(reason: string): Promise<boolean> {
    const p = this.program as Program;
    const dead = this.runtime as LiveRuntime;
    const snap = this.snap;
    const lostSteps = snap ? Math.max(0, this.step - snap.step) : this.step;
    let next: LiveRuntime | null = null;
    let action: 'recreated' | 'fell_back_to_cpu' = 'recreated';
    let why = '';
    // A device that keeps failing (e.g. a kernel that always raises an uncaptured error) is not retried forever.
    const t = this.now();
    this.recoveries = this.recoveries.filter((r) => t - r < 30_000);
    this.recoveries.push(t);
    if (this.recoveries.length > 3) why = 'the GPU device failed 4 times in 30 s';
    else if (dead.backend === 'webgpu') {
      try {
        next = await this.host.create(p, 'webgpu');
      } catch (e) {
        why = errorText(e);
      }
    }
    if (!next) {
      action = 'fell_back_to_cpu';
      try {
        next = await this.host.create(p, 'cpu');
      } catch (e) {
        why = `${why}${why ? '; ' : ''}${errorText(e)}`;
      }
    }
    if (!next) {
      this.stopRequested = true;
      const message = `The GPU device was lost (${reason}) and no backend could be recreated: ${why}`;
      this.emit({
        type: 'deviceLost',
        report: { reason, action: 'failed', backend: dead.backend, restoredStep: this.step, lostSteps: 0, message },
      });
      this.emit({ type: 'error', message });
      this.setStatus('idle');
      return false;
    }
    const prevOffsetStep = snap?.step ?? 0;
    this.replaceRuntime(next);
    if (Object.keys(this.hot).length > 0) next.setHyper(this.hot);
    if (snap) await restoreSnapshot(next, snap);
    this.setGlobalStep(prevOffsetStep);
    this.sizer.reset();
    const backend = next.backend;
    const decision: BackendDecision = {
      backend,
      requested: this.requested,
      reason:
        action === 'recreated'
          ? 'WebGPU: the device was lost and recreated; training continues from the last snapshot.'
          : `CPU: the GPU device was lost and could not be recreated${why ? ` (${why})` : ''}.`,
    };
    this.decision = decision;
    const message =
      action === 'recreated'
        ? `The GPU device was lost (${reason}); a new device was created and training continues from step ${prevOffsetStep} (${lostSteps} steps redone).`
        : `The GPU device was lost (${reason}); training continues on the CPU from step ${prevOffsetStep} (${lostSteps} steps redone).`;
    this.emit({
      type: 'deviceLost',
      report: { reason, action, backend, restoredStep: prevOffsetStep, lostSteps, message },
    });
    this.emit({ type: 'backend', decision });
    return true;
  }

  // ------------------------------------------------------------------ inspection

  private probe: { program: Program; probe: ActivationProbe } | null = null;
  private data: { spec: NormalizedSpec; data: Dataset } | null = null;

  /** The host-side eval forward of the current program, with the current hot values. */
  private activationProbe(): ActivationProbe {
    const p = this.program as Program;
    if (this.probe?.program !== p) this.probe = { program: p, probe: new ActivationProbe(p) };
    this.probe.probe.setHypers(packHypers(p, applyHot(hotFromSpec(p.spec), this.hot)));
    return this.probe.probe;
  }

  private async dataset(): Promise<Dataset> {
    const spec = this.spec as NormalizedSpec;
    if (!spec.data) throw new Error('this spec has no data section to inspect activations on');
    if (this.data?.spec !== spec) this.data = { spec, data: await this.host.dataset(spec) };
    return this.data.data;
  }

  private async inspectNow(req: InspectRequest): Promise<InspectResult | (() => Promise<InspectResult>)> {
    const rt = this.runtime as LiveRuntime;
    const p = this.program as Program;
    const step = this.step;
    if (req.what === 'grid' || req.what === 'neurons') {
      // The grid is over the 2-D points; the model sees their data.features (x1, x2 unless the spec says more).
      const features = p.spec.data?.kind === 'mnist' ? null : (p.spec.data?.features ?? ['x1', 'x2']);
      if (features === null || p.inputShape.length !== 1 || p.inputShape[0] !== features.length)
        throw new Error(`${req.what} inspection needs 2-D data`);
      const res = Math.max(2, Math.min(200, Math.floor(req.resolution)));
      const x = mapFeatures(features, gridInputs(req.xRange, req.yRange, res), res * res);
      if (req.what === 'neurons') {
        const layers = this.activationProbe().neurons(await rt.readState(), x, res * res);
        return { what: 'neurons', step, resolution: res, layers };
      }
      const values = await rt.predict(x, res * res);
      const outputs = p.outputShape.reduce((a, b) => a * b, 1);
      return { what: 'grid', step, resolution: res, outputs, values };
    }
    if (req.what === 'activations') {
      const data = await this.dataset();
      const split = data.val.count > 0 ? data.val : data.train;
      const rows = Math.min(split.count, Math.max(1, Math.floor(req.rows ?? 2048)));
      const bins = req.bins ?? 32;
      // On WebGPU the statistics are computed on the device (one submit, small readback: training is not held up
      // by a host forward pass); on the CPU by the host probe over a state copy.
      const onDevice = rt.backend === 'webgpu' ? this.host.activationStats?.(rt, split.x, rows, bins) : null;
      if (onDevice) {
        onDevice.result.catch(() => undefined); // awaited by the caller after the exclusive section
        await onDevice.submitted;
        return async () => ({ what: 'activations', step, rows, layers: await onDevice.result });
      }
      const layers = this.activationProbe().stats(await rt.readState(), split.x, rows, bins);
      return { what: 'activations', step, rows, layers };
    }
    const state = await rt.readState();
    if (req.what === 'gradNorms') {
      const layers = layerNorms(p, state);
      return { what: 'gradNorms', step, layers, total: Math.sqrt(layers.reduce((s, l) => s + l.gradNorm ** 2, 0)) };
    }
    const layers = layerStats(p, state, req.what, req.bins ?? 32);
    return req.what === 'weights' ? { what: 'weights', step, layers } : { what: 'gradients', step, layers };
  }
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A recompiled program's initial state: its fresh initialisation with the previous initial weights carried where
 * key and shape match (as recompile carries the current weights), so rewind goes back to a comparable start. */
function carryInitial(prev: InitialState | null, to: Program, fresh: Float32Array): Float32Array {
  const state = fresh.slice();
  if (!prev) return state;
  const from = new Map(prev.program.params.map((q) => [q.key, prev.program.tensors[q.tensor]]));
  for (const q of to.params) {
    const t = to.tensors[q.tensor];
    const f = from.get(q.key);
    if (f && f.shape.join('x') === t.shape.join('x'))
      state.set(prev.state.subarray(f.offset, f.offset + f.size), t.offset);
  }
  return state;
}

/** Weights in either travelling form (a WeightsDict, a StateDict, or entries of both). */
type LoadableWeights = Record<string, { shape: number[]; data: Float32Array | number[] }>;

/** A StateDict from either travelling form (typed or plain arrays); entries without a shape and data are refused. */
function asStateDict(w: LoadableWeights): { dict: StateDict; malformed: string[] } {
  const dict: StateDict = {};
  const malformed: string[] = [];
  for (const [key, t] of Object.entries(w as Record<string, { shape?: unknown; data?: unknown }>)) {
    const data = t?.data;
    const ok = Array.isArray(t?.shape) && (Array.isArray(data) || data instanceof Float32Array);
    if (!ok) {
      malformed.push(`${key}: needs a shape and data`);
      continue;
    }
    dict[key] = { shape: [...(t.shape as number[])], data: Array.from(data as ArrayLike<number>) };
  }
  return { dict, malformed };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Whether a hot key feeds this program: lr always (the schedule); the rest through a uniform slot. */
function usesHyper(p: Program, key: keyof HotHypers): boolean {
  if (key === 'lr') return true;
  const names = p.hypers.map((h) => h.name as string);
  if (key === 'betas') return names.includes('beta1');
  if (key === 'dropout') return names.some((n) => n.startsWith('dropout.'));
  return names.includes(key);
}

/** The spec to recompile to when a change needs ops the program does not have (or must lose), else null. */
function structuralSpec(
  spec: NormalizedSpec,
  p: Program,
  change: HyperChange,
): { spec: NormalizedSpec; keys: string[] } | null {
  const reg = { ...spec.regularization };
  const keys: string[] = [];
  const training = { ...spec.training };
  if (change.batchSize !== undefined && Math.floor(change.batchSize) !== spec.training.batchSize) {
    training.batchSize = Math.floor(change.batchSize);
    keys.push('batchSize');
  }
  for (const k of ['clipGradNorm', 'clipGradValue'] as const) {
    const v = change[k];
    if (v === undefined) continue;
    const want = v > 0 ? v : null;
    if ((reg[k] === null) !== (want === null)) {
      reg[k] = want;
      keys.push(k);
    }
  }
  const penalties = p.hypers.some((h) => h.name === 'l1');
  if (!penalties && ((change.l1 ?? 0) > 0 || (change.l2 ?? 0) > 0)) {
    reg.l1 = change.l1 ?? reg.l1;
    reg.l2 = change.l2 ?? reg.l2;
    keys.push(...(['l1', 'l2'] as const).filter((k) => change[k] !== undefined));
  }
  if (keys.length === 0) return null;
  return { spec: { ...spec, regularization: reg, training }, keys };
}

/** The new state arena with every parameter, gradient, optimizer-state region and buffer copied from the old one,
 * when both programs have the same parameters (keys and shapes, in order) and the same optimizer; else null. */
export function carryOptimizerState(
  from: Program,
  fromState: Float32Array,
  to: Program,
  toState: Float32Array,
): Float32Array | null {
  const sig = (p: Program) =>
    `${p.spec.optimizer.type}|${p.params.map((q) => `${q.key}:${p.tensors[q.tensor].shape.join('x')}`).join(',')}`;
  if (sig(from) !== sig(to)) return null;
  const out = toState.slice();
  const byName = new Map(from.tensors.filter((t) => t.arena === 'state').map((t) => [t.name, t]));
  for (const t of to.tensors) {
    if (t.arena !== 'state' || t.role === 'scalar') continue;
    const f = byName.get(t.name);
    if (!f || f.size !== t.size) continue;
    out.set(fromState.subarray(f.offset, f.offset + f.size), t.offset);
  }
  return out;
}
