// The training loop of a live session: continuous training in chunks of k whole steps (one Runtime.trainSteps(k)
// per chunk, k sized by ChunkSizer so a chunk takes ~10-30 ms), step(n), pause and cancel, and the periodic work
// between chunks (snapshots, gradient-norm samples, batched metrics, evaluation, the grid, progress). The loop
// queues one chunk at a time through the exclusive chain and yields a macrotask between chunks, so a request that
// arrives during chunk N runs before chunk N+1.

import type { TrainResult } from '../backends/backend';
import type { Program } from '../graph/program';
import { layerNorms } from './layers';
import { errorText, type SessionCore } from './sessionCore';
import type { SessionGrid } from './sessionGrid';
import type { SessionRecovery } from './sessionRecovery';
import type { Snapshot } from './snapshot';
import type { LiveRuntime } from './types';

/** The shortest chunk the trajectory record may cut training into (engine/live/landscape.ts). */
const SNAPSHOT_CHUNK = 16;

export class SessionLoop {
  constructor(
    private readonly core: SessionCore,
    private readonly recovery: SessionRecovery,
    private readonly grid: SessionGrid,
  ) {}

  /** Starts continuous training (until pause, cancel or divergence). Returns at once. */
  train(): void {
    const c = this.core;
    c.requireProgram();
    if (c.loop) return;
    c.stopRequested = false;
    c.setStatus('training');
    c.metrics.resetWindow();
    c.loop = this.runLoop().finally(() => {
      c.loop = null;
    });
  }

  /** Stops continuous training after the chunk in flight; resolves when it has stopped. */
  async pause(): Promise<void> {
    this.core.stopRequested = true;
    if (this.core.loop) await this.core.loop;
  }

  /** Stops training and any step(n) in progress. */
  async cancel(): Promise<void> {
    this.core.cancelGeneration++;
    await this.pause();
  }

  /** Runs exactly n steps (fewer if cancelled or diverged), pausing continuous training first. */
  async stepN(n: number): Promise<{ step: number }> {
    const c = this.core;
    c.requireProgram();
    await this.pause();
    c.stopRequested = false;
    const generation = c.cancelGeneration;
    c.setStatus('stepping');
    c.metrics.resetWindow();
    // A target step, not a count: after a device loss the run goes back to its snapshot and redoes those steps.
    const target = c.step + Math.max(0, Math.floor(n));
    while (c.step < target && generation === c.cancelGeneration && !c.stopRequested) {
      const ok = await c.exclusive(() => this.runChunk(Math.min(c.sizer.steps, target - c.step)));
      if (!ok) break;
      if (c.step < target) await c.yieldToEvents();
    }
    await this.stopped('stepping');
    return { step: c.step };
  }

  private async runLoop(): Promise<void> {
    const c = this.core;
    const generation = c.cancelGeneration;
    while (!c.stopRequested && generation === c.cancelGeneration) {
      const ok = await c.exclusive(() => this.runChunk(c.sizer.steps));
      if (!ok) break;
      await c.yieldToEvents();
    }
    await this.stopped('training');
  }

  /** What follows a stop: the last metrics out, the stopped state snapshotted, the grid current, idle again. */
  private async stopped(was: 'training' | 'stepping'): Promise<void> {
    const c = this.core;
    c.flushMetrics();
    await this.recovery.snapshotWhenStopped();
    await this.grid.pushWhenStopped();
    if (c.status === was) c.setStatus('idle');
  }

  /** Runs one chunk of k steps and everything due after it. False when training must stop. Never rejects: a
   * failure on WebGPU is treated as a lost device (recover and go on), anything else stops with an error event. */
  private async runChunk(k: number): Promise<boolean> {
    const c = this.core;
    const rt = c.runtime;
    try {
      return await this.runChunkUnsafe(k);
    } catch (first) {
      let e = first;
      if (rt && rt === c.runtime && rt.backend === 'webgpu') {
        try {
          return await this.recovery.recoverDevice(c.lost?.reason ?? errorText(first));
        } catch (again) {
          e = again;
        }
      }
      c.emit({ type: 'error', message: `training stopped: ${errorText(e)}` });
      c.stopRequested = true;
      return false;
    }
  }

  private async runChunkUnsafe(want: number): Promise<boolean> {
    const c = this.core;
    if (!c.runtime || !c.program) return false;
    // Snapshots for the landscape's PCA are taken between chunks: a fast backend's long chunks would leave a short
    // run with only a few, so a chunk ends where the next snapshot is due (at least SNAPSHOT_CHUNK steps).
    const k = Math.min(want, c.landscapes.stepsToNext(c.step, SNAPSHOT_CHUNK));
    if (c.lost?.runtime === c.runtime) {
      if (!(await this.recovery.recoverDevice(c.lost.reason))) return false;
    }
    const rt = c.runtime;
    const first = c.step;
    if (c.landscapes.due(first)) c.landscapes.record(c.program, first, await c.raceLoss(rt.readState()));
    const t0 = c.now();
    const res: TrainResult = await c.raceLoss(rt.trainSteps(k));
    if (c.lost?.runtime === rt) return this.recovery.recoverDevice(c.lost.reason);
    c.sizer.observe(res.losses.length, c.now() - t0);
    c.epoch = res.epoch;
    const bad = res.losses.findIndex((l) => !Number.isFinite(l));
    const good = bad < 0 ? res.losses.length : bad;
    c.metrics.push(first, res.losses.slice(0, good), res.accuracies?.slice(0, good) ?? null, res.lrs, res.epoch);
    for (let i = 0; i < good; i++) this.noteLoss(res.losses[i]);
    if (bad >= 0) {
      await this.recovery.onDiverged(first + bad, 'loss');
      return false;
    }
    return this.afterChunk();
  }

  /** Periodic work after a chunk: snapshot, evaluation, progress. False when a snapshot found non-finite state. */
  private async afterChunk(): Promise<boolean> {
    const c = this.core;
    const t = c.now();
    let state: Float32Array | null = null;
    if (!c.snap || t - c.snap.time >= c.opts.snapshotIntervalMs) {
      const check = await this.recovery.snapshotNow();
      if (check !== 'ok') {
        await this.recovery.onDiverged(c.step - 1, check);
        return false;
      }
      state = (c.snap as Snapshot).state;
    }
    if (t - c.gradSample.last >= c.gradSample.intervalMs) {
      // The gradients in the state arena are those of the chunk's last step.
      const t0 = c.now();
      state ??= await c.raceLoss((c.runtime as LiveRuntime).readState());
      c.metrics.pushGradNorms(c.step - 1, layerNorms(c.program as Program, state));
      const t1 = c.now();
      c.gradSample = { last: t1, intervalMs: Math.max(100, 10 * (t1 - t0)) };
    }
    // After the sample, so a batch holds the gradient norms of its own steps.
    if (c.metrics.due()) c.flushMetrics();
    const everySteps = c.opts.evalEverySteps;
    const due = everySteps > 0 ? c.step - c.lastEval.step >= everySteps : c.epoch !== c.lastEval.epoch;
    if (due && !c.evalBroken && t - c.lastEval.time >= c.opts.evalMinIntervalMs) {
      c.lastEval = { time: t, step: c.step, epoch: c.epoch };
      const r = await c.raceLoss((c.runtime as LiveRuntime).evaluate('val'));
      if (r.count === 0)
        c.evalBroken = true; // no validation split: stop asking
      else
        c.emit({
          type: 'evaluation',
          result: { step: c.step, split: 'val', loss: r.loss, accuracy: r.accuracy, count: r.count },
        });
    }
    await this.grid.pushIfDue();
    if (t - c.lastProgress >= c.opts.progressIntervalMs) c.emitProgress();
    return true;
  }

  private noteLoss(l: number): void {
    const c = this.core;
    c.lastFiniteLoss = l;
    c.recentLosses.push(l);
    if (c.recentLosses.length > 32) c.recentLosses.shift();
  }
}
