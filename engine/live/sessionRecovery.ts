// How a live session survives what goes wrong while it trains: snapshots of the state arena (the point everything
// goes back to), a divergence (restore the last finite snapshot, replay from it step by step to explain the blow-up)
// and the loss of the GPU device (recreate the runtime, or fall back to the CPU, from the last snapshot). It also
// owns swapping the session's runtime, because every new runtime must be watched for the loss of its device.

import type { Program } from '../graph/program';
import { diagnose, type TraceStep } from './divergence';
import { layerNorms } from './layers';
import { errorText, type SessionCore } from './sessionCore';
import { restoreSnapshot, takeSnapshot } from './snapshot';
import type { BackendDecision, DivergenceReport, LiveRuntime } from './types';

export class SessionRecovery {
  /** Times of recent device recoveries (a device failing again and again falls back to the CPU). */
  private recoveries: number[] = [];

  constructor(private readonly core: SessionCore) {}

  /** Makes `next` the session's runtime (disposing the old one) and watches its device. */
  replaceRuntime(next: LiveRuntime): void {
    const c = this.core;
    const old = c.runtime;
    c.runtime = next;
    if (old && old !== next) {
      try {
        old.dispose();
      } catch {
        // a runtime on a lost device may fail to clean up; it is gone either way
      }
    }
    c.lost = null;
    c.lostSignal = null;
    const watch = c.host.watchDevice?.(next);
    if (watch) {
      c.lostSignal = watch.then((reason) => {
        if (c.runtime === next) c.lost = { runtime: next, reason };
        return reason;
      });
      // Recover an idle session at once, so the next request finds a working runtime.
      void c.lostSignal.then(() => {
        if (c.runtime === next && !c.loop)
          void c.exclusive(async () => {
            if (c.lost?.runtime === c.runtime) await this.recoverDevice(c.lost.reason);
          });
      });
    }
  }

  /** Takes a snapshot unless the state holds a non-finite weight or gradient (then says which, keeping the old). */
  async snapshotNow(): Promise<'ok' | 'weights' | 'gradient'> {
    const c = this.core;
    const check = await c.raceLoss(takeSnapshot(c.runtime as LiveRuntime, c.program as Program, c.step, c.now()));
    if (!check.ok) return check.signal;
    c.snap = check.snapshot;
    return 'ok';
  }

  /** A stopped run keeps its latest state as the snapshot (cheap, and device loss while idle then loses nothing). */
  async snapshotWhenStopped(): Promise<void> {
    const c = this.core;
    if (c.status === 'diverged' || !c.runtime || c.snap?.step === c.step) return;
    await c.exclusive(async () => {
      if (c.status === 'diverged' || !c.runtime) return;
      try {
        if ((await this.snapshotNow()) !== 'ok') await this.onDiverged(c.step - 1, 'weights');
      } catch {
        // a lost device cannot be read; the previous snapshot stays
      }
    });
  }

  /** Stops training, goes back to the last finite snapshot and emits the diagnosis of the blow-up at `step`. */
  async onDiverged(step: number, signal: DivergenceReport['signal']): Promise<void> {
    const c = this.core;
    c.stopRequested = true;
    c.flushMetrics();
    const rt = c.runtime as LiveRuntime;
    const p = c.program as Program;
    const snap = c.snap;
    const trace: TraceStep[] = [];
    const lr = c.hot.lr ?? p.spec.optimizer.lr;
    try {
      if (snap) {
        await restoreSnapshot(rt, snap);
        rt.seek(snap.step);
        const budgetEnd = c.now() + 2000;
        const steps = Math.min(c.opts.diagnoseMaxSteps, step - snap.step + 2);
        for (let i = 0; i < steps && c.now() < budgetEnd; i++) {
          const r = await rt.trainSteps(1);
          const layers = layerNorms(p, await rt.readState());
          trace.push({ step: snap.step + i, loss: r.losses[0], lr: r.lrs[0] ?? lr, layers });
          if (!Number.isFinite(r.losses[0]) || layers.some((l) => !Number.isFinite(l.gradNorm))) break;
        }
        await restoreSnapshot(rt, snap);
        rt.seek(snap.step);
      }
    } catch {
      // The diagnosis is best effort; the report below still goes out.
    }
    const report = diagnose({
      step,
      signal,
      lastFiniteLoss: c.lastFiniteLoss,
      recentLosses: c.recentLosses,
      initStep: c.initStep,
      trace,
      restoredStep: snap?.step ?? c.step,
      lr: trace[0]?.lr ?? lr,
    });
    c.metrics.resetWindow();
    c.setStatus('diverged');
    c.emit({ type: 'diverged', report });
  }

  /** The device behind the runtime is gone: recreate it (or fall back to the CPU), restore the last snapshot and
   * carry on. False when nothing could be recreated (training stops with an error event). */
  async recoverDevice(reason: string): Promise<boolean> {
    const c = this.core;
    const p = c.program as Program;
    const dead = c.runtime as LiveRuntime;
    const snap = c.snap;
    const lostSteps = snap ? Math.max(0, c.step - snap.step) : c.step;
    let next: LiveRuntime | null = null;
    let action: 'recreated' | 'fell_back_to_cpu' = 'recreated';
    let why = '';
    // A device that keeps failing (e.g. a kernel that always raises an uncaptured error) is not retried forever.
    const t = c.now();
    this.recoveries = this.recoveries.filter((r) => t - r < 30_000);
    this.recoveries.push(t);
    if (this.recoveries.length > 3) why = 'the GPU device failed 4 times in 30 s';
    else if (dead.backend === 'webgpu') {
      try {
        next = await c.host.create(p, 'webgpu');
      } catch (e) {
        why = errorText(e);
      }
    }
    if (!next) {
      action = 'fell_back_to_cpu';
      try {
        next = await c.host.create(p, 'cpu');
      } catch (e) {
        why = `${why}${why ? '; ' : ''}${errorText(e)}`;
      }
    }
    if (!next) {
      c.stopRequested = true;
      const message = `The GPU device was lost (${reason}) and no backend could be recreated: ${why}`;
      c.emit({
        type: 'deviceLost',
        report: { reason, action: 'failed', backend: dead.backend, restoredStep: c.step, lostSteps: 0, message },
      });
      c.emit({ type: 'error', message });
      c.setStatus('idle');
      return false;
    }
    const prevOffsetStep = snap?.step ?? 0;
    this.replaceRuntime(next);
    if (Object.keys(c.hot).length > 0) next.setHyper(c.hot);
    if (snap) await restoreSnapshot(next, snap);
    next.seek(prevOffsetStep);
    c.sizer.reset();
    const backend = next.backend;
    const decision: BackendDecision = {
      backend,
      requested: c.requested,
      reason:
        action === 'recreated'
          ? 'WebGPU: the device was lost and recreated; training continues from the last snapshot.'
          : `CPU: the GPU device was lost and could not be recreated${why ? ` (${why})` : ''}.`,
    };
    c.decision = decision;
    const message =
      action === 'recreated'
        ? `The GPU device was lost (${reason}); a new device was created and training continues from step ${prevOffsetStep} (${lostSteps} steps redone).`
        : `The GPU device was lost (${reason}); training continues on the CPU from step ${prevOffsetStep} (${lostSteps} steps redone).`;
    c.emit({
      type: 'deviceLost',
      report: { reason, action, backend, restoredStep: prevOffsetStep, lostSteps, message },
    });
    c.emit({ type: 'backend', decision });
    return true;
  }
}
