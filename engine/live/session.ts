// A live training session: one compiled Program on one backend, trained continuously in chunks of k whole steps,
// with everything a learner does while it runs (pause, step(n), hot hyperparameters, recompile, evaluate, inspect,
// snapshot, cancel) handled BETWEEN chunks. This class is the facade the worker router, the scripts and the tests
// use; the work is split by job into modules that share one SessionCore (sessionCore.ts):
//   sessionLoop.ts        the training loop: train, pause, step(n), chunks, metrics, evaluation between chunks
//   sessionRecovery.ts    snapshots, divergence (restore and explain), device loss (recreate or fall back to CPU)
//   sessionInspection.ts  inspect, evaluate, predictions, the dataset view, weights, attention maps
//   sessionGrid.ts        the watched decision-boundary grid
//   sessionCompile.ts     compile (backend choice and runtime creation), recompile, rewind, loadWeights
//   sessionHypers.ts      hot hyperparameter changes (and the ones that recompile)
//
// Nothing here knows about workers: events go to an `emit` callback and every public method returns a promise that
// rejects only for requests that cannot be served (no program yet, a bad spec), never for a training failure.
//
// Concurrency: every use of the runtime goes through `exclusive`, a promise chain. The training loop queues one
// chunk at a time and yields to the event loop between chunks, so a request that arrives during chunk N runs
// before chunk N+1: "takes effect at the next submit".

import type { BackendName } from '../backends/backend';
import type { Dataset } from '../data/dataset';
import type { Program } from '../graph/program';
import type { InterpolationRequest, InterpolationResult, LandscapeProgress, LandscapeResult } from '../landscape/types';
import type { InitialState } from './align';
import type { AttentionMaps } from './attention';
import type { LandscapeMoment, OtherRun } from './landscape';
import { type LoadableWeights, SessionCompile } from './sessionCompile';
import { SessionCore, type SessionOptions } from './sessionCore';
import { SessionGrid } from './sessionGrid';
import { SessionHypers } from './sessionHypers';
import { SessionInspection } from './sessionInspection';
import { SessionLoop } from './sessionLoop';
import { SessionRecovery } from './sessionRecovery';
import type {
  AttentionRequest,
  BackendRequest,
  CompileResult,
  DatasetView,
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

export { carryOptimizerState } from './sessionCompile';
export { defaultYield, type SessionOptions } from './sessionCore';

export class LiveSession {
  private readonly core: SessionCore;
  private readonly loop: SessionLoop;
  private readonly inspection: SessionInspection;
  private readonly grid: SessionGrid;
  private readonly compilation: SessionCompile;
  private readonly hypers: SessionHypers;

  constructor(host: RuntimeHost, emit: Emit, opts: SessionOptions = {}) {
    // The parts depend on each other in this order only (no cycles): recovery and inspection on the core, the grid
    // on inspection, the loop on recovery and the grid, compilation on all of them, hot changes on the loop and
    // compilation.
    this.core = new SessionCore(host, emit, opts);
    const recovery = new SessionRecovery(this.core);
    this.inspection = new SessionInspection(this.core);
    this.grid = new SessionGrid(this.core, this.inspection);
    this.loop = new SessionLoop(this.core, recovery, this.grid);
    this.compilation = new SessionCompile(this.core, recovery, this.grid, this.loop);
    this.hypers = new SessionHypers(this.core, this.loop, this.compilation);
  }

  // Tests reach these through casts (`session as unknown as { runtime }`): they stay readable under these names.
  private get runtime(): LiveRuntime | null {
    return this.core.runtime;
  }

  private get program(): Program | null {
    return this.core.program;
  }

  private dataset(): Promise<Dataset> {
    return this.inspection.dataset();
  }

  // ------------------------------------------------------------------ state

  get state(): SessionState {
    return this.core.status;
  }

  get step(): number {
    return this.core.step;
  }

  get backend(): BackendName | null {
    return this.core.backend;
  }

  get currentProgram(): Program | null {
    return this.core.program;
  }

  /** Steps per submit in use now. */
  get chunkSteps(): number {
    return this.core.sizer.steps;
  }

  // ------------------------------------------------------------------ compile, recompile, weights (sessionCompile.ts)

  /** Validates and compiles a spec, picks the backend, checks memory and creates a fresh runtime. With `alignWith`
   * (another run's initialState()), the matching layers start from that run's initial weights (align.ts). */
  compile(
    raw: unknown,
    backend: BackendRequest = 'auto',
    opts: { alignWith?: InitialState } = {},
  ): Promise<CompileResult> {
    return this.compilation.compile(raw, backend, opts);
  }

  /** Compiles a changed spec and carries over every weight whose name and shape match; the step continues. */
  recompile(raw: unknown): Promise<CompileResult> {
    return this.compilation.recompile(raw);
  }

  /** This run's initial state (compiled, aligned, or carried into a recompiled program), for another run's
   * alignWith; null before compile. */
  initialState(): InitialState | null {
    return this.core.initial;
  }

  /** Back to the exact initial state: step 0, the initial weights, zero optimizer state, initial BatchNorm buffers,
   * the schedule (and plateau state) from its start, metrics and divergence state cleared. Shuffles and dropout
   * masks are functions of (seed, step), so the same losses follow. Hot hyperparameters set since compile stay.
   * A training run keeps training. */
  rewind(): Promise<{ step: number }> {
    return this.compilation.rewind();
  }

  /** Loads every entry whose key and shape match the model; the step, optimizer state and schedule stay. `dropped`
   * holds one message per entry that did not fit (starting with its key). */
  loadWeights(weights: LoadableWeights): Promise<{ kept: string[]; dropped: string[] }> {
    return this.compilation.loadWeights(weights);
  }

  // ------------------------------------------------------------------ training (sessionLoop.ts, sessionHypers.ts)

  /** Starts continuous training (until pause, cancel or divergence). Returns at once. */
  train(): void {
    this.loop.train();
  }

  /** Stops continuous training after the chunk in flight; resolves when it has stopped. */
  pause(): Promise<void> {
    return this.loop.pause();
  }

  /** Runs exactly n steps (fewer if cancelled or diverged), pausing continuous training first. */
  stepN(n: number): Promise<{ step: number }> {
    return this.loop.stepN(n);
  }

  /** Hot changes, applied before the next submit. Changes the compiled program cannot take in its uniform block
   * recompile (weights, optimizer state where it fits, and the step kept): a batch size, and turning gradient
   * clipping or the L1/L2 penalties on (or clipping off). Keys this program has no use for (e.g. dropout without a
   * dropout layer) come back in `ignored`. */
  setHyper(change: HyperChange): Promise<{ applied: string[]; ignored: string[]; step: number }> {
    return this.hypers.setHyper(change);
  }

  /** Stops training and any step(n) in progress. */
  cancel(): Promise<void> {
    return this.loop.cancel();
  }

  async dispose(): Promise<void> {
    const c = this.core;
    await this.loop.cancel();
    await c.exclusive(async () => {
      c.flushMetrics();
      c.runtime?.dispose();
      c.runtime = null;
      c.program = null;
      c.spec = null;
      c.setStatus('disposed');
    });
  }

  // ------------------------------------------------------------------ inspection (sessionInspection.ts, sessionGrid.ts)

  evaluate(split: 'train' | 'val' = 'val'): Promise<EvaluationResult> {
    return this.inspection.evaluate(split);
  }

  inspect(req: InspectRequest): Promise<InspectResult> {
    return this.inspection.inspect(req);
  }

  /** The current weights (state dict, typed arrays). */
  snapshot(): Promise<{ step: number; weights: WeightsDict }> {
    return this.inspection.weights();
  }

  /** Subscribes to `grid` events over a region of the input plane (null stops). One frame is pushed at once; then
   * after chunks at a low, adaptive rate while training, and after step(n), pause, rewind, recompile, loadWeights. */
  watchGrid(req: GridRequest | null): Promise<void> {
    return this.grid.watch(req);
  }

  /** Eval-mode outputs on a split (the first `limit` rows): probabilities and predicted classes for classification. */
  predictions(split: 'train' | 'val' = 'val', limit?: number): Promise<PredictionsResult> {
    return this.inspection.predictions(split, limit);
  }

  /** The run's data points, at most maxRows per split (copies: they travel as transferables). */
  datasetView(maxRows = 5000): Promise<DatasetView> {
    return this.inspection.datasetView(maxRows);
  }

  /** Every attention layer's weights ([rows, heads, T, T] each) over the first rows of a split, in evaluation mode. */
  attention(req: AttentionRequest = {}): Promise<AttentionMaps[]> {
    return this.inspection.attention(req);
  }

  // ------------------------------------------------------------------ loss landscapes (landscape.ts)

  /** A loss landscape around the current weights (engine/live/landscape.ts); training may go on meanwhile. */
  async landscape(req: unknown, onProgress?: (p: LandscapeProgress) => void): Promise<LandscapeResult> {
    const ticket = this.landscapeTicket();
    return this.core.landscapes.landscape(req, await this.landscapeMoment(), onProgress, ticket);
  }

  /** The loss from the initial weights to the current ones, or (other) from these to another run's. */
  async interpolate(
    req: InterpolationRequest,
    other: OtherRun | null,
    onProgress?: (p: LandscapeProgress) => void,
    ticket = this.landscapeTicket(),
  ): Promise<InterpolationResult> {
    const m = await this.landscapeMoment();
    const init = this.core.initial as InitialState;
    return this.core.landscapes.interpolate(req, m, init.state, other, onProgress, ticket);
  }

  /** Taken as a landscape request arrives: a cancelLandscape after it cancels it, even before its chunks start. */
  landscapeTicket(): number {
    return this.core.landscapes.ticket();
  }

  cancelLandscape(): void {
    this.core.landscapes.cancel();
  }

  /** The weights of the moment and what a landscape computation needs with them (another run's interpolation
   * target, too). */
  landscapeMoment(): Promise<LandscapeMoment> {
    return this.inspection.landscapeMoment();
  }
}
