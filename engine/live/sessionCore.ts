// The state one live session shares between its parts (engine/live/session.ts is the facade; the training loop,
// recovery, inspection, the grid watch and compilation each live in their own session*.ts module and hold this
// object). It owns what every part must see the same way: the program and runtime of the moment, the run's
// bookkeeping (losses, snapshot, evaluation times), the `exclusive` chain that serialises every use of the runtime,
// and the device-loss signal every runtime call races against. Parts mutate it directly: they are one object split
// by job, not independent components, and a getter per field would only hide that.

import type { BackendName, HotHypers } from '../backends/backend';
import type { Program } from '../graph/program';
import type { NormalizedSpec } from '../spec/types';
import type { InitialState } from './align';
import { type ChunkOptions, ChunkSizer } from './chunk';
import { SessionLandscape } from './landscape';
import { MetricsBuffer, metricsTransfer } from './metrics';
import type { Snapshot } from './snapshot';
import type { BackendDecision, BackendRequest, Emit, LiveRuntime, RuntimeHost, SessionState } from './types';

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

export type SessionIntervals = Required<Omit<SessionOptions, 'now' | 'yieldToEvents' | 'chunk'>>;

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

export class SessionCore {
  readonly now: () => number;
  readonly yieldToEvents: () => Promise<void>;
  readonly sizer: ChunkSizer;
  readonly opts: SessionIntervals;
  metrics: MetricsBuffer;

  spec: NormalizedSpec | null = null;
  program: Program | null = null;
  runtime: LiveRuntime | null = null;
  requested: BackendRequest = 'auto';
  decision: BackendDecision | null = null;
  status: SessionState = 'empty';

  private queue: Promise<unknown> = Promise.resolve();
  /** The continuous training loop in flight (null when stopped). */
  loop: Promise<void> | null = null;
  stopRequested = false;
  /** Bumped by cancel: a loop or step(n) started under an older generation stops. */
  cancelGeneration = 0;

  /** The step training (re)started from fresh weights: divergence within a few steps of it is bad initialisation. */
  initStep = 0;
  /** Hot hyperparameters set since compile (a recreated or recompiled runtime gets them again). */
  hot: Partial<HotHypers> = {};
  snap: Snapshot | null = null;
  lastFiniteLoss: number | null = null;
  recentLosses: number[] = [];
  epoch = 0;
  lastEval = { time: Number.NEGATIVE_INFINITY, step: 0, epoch: 0 };
  lastProgress = Number.NEGATIVE_INFINITY;
  /** No validation split: periodic evaluation stops asking. */
  evalBroken = false;
  /** Set when the device behind the current runtime is lost: the runtime it was for and why. */
  lost: { runtime: LiveRuntime; reason: string } | null = null;
  lostSignal: Promise<string> | null = null;
  /** The state arena this run started from (compiled or aligned): what rewind goes back to. */
  initial: InitialState | null = null;
  /** Gradient-norm sampling between chunks: spaced so reading the state stays under ~10% of training time. */
  gradSample = { last: Number.NEGATIVE_INFINITY, intervalMs: 100 };
  /** The weight trajectory and loss-landscape requests (engine/live/landscape.ts). */
  readonly landscapes: SessionLandscape;

  constructor(
    readonly host: RuntimeHost,
    readonly emit: Emit,
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

  get step(): number {
    return this.runtime?.step ?? 0;
  }

  get backend(): BackendName | null {
    return this.runtime?.backend ?? null;
  }

  /** Runs fn after every use of the runtime queued before it: one runtime user at a time. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for a promise, but gives up as soon as the device is lost (a lost device may never answer). */
  raceLoss<T>(p: Promise<T>): Promise<T> {
    if (!this.lostSignal) return p;
    const lost = this.lostSignal.then((reason): T => {
      throw new Error(`the GPU device was lost: ${reason}`);
    });
    lost.catch(() => undefined); // only the race's outcome matters
    return Promise.race([p, lost]);
  }

  requireProgram(): void {
    if (this.status === 'disposed') throw new Error('the session was disposed');
    if (!this.program || !this.runtime) throw new Error('nothing compiled yet: send compile(spec) first');
  }

  /** A fresh start of the run's bookkeeping (compile, recompile, rewind): the step itself is the runtime's. */
  resetRunState(): void {
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

  flushMetrics(): void {
    const batch = this.metrics.take();
    if (batch) this.emit({ type: 'metrics', metrics: batch }, metricsTransfer(batch));
  }

  emitProgress(): void {
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

  setStatus(s: SessionState): void {
    if (this.status === s) return;
    this.status = s;
    this.emitProgress();
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
