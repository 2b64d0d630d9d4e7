// Runs the learning-rate range test of the Lab's experiment in the engine worker, under its own run id so the
// Lab's runs A and B are untouched: compile the sweep (engine/live/rangeTest.ts builds it), step through it while
// metrics stream in, stop as soon as the smoothed loss explodes, then dispose of the run. The analysis is the
// engine's; this file only wires it to the worker and reports progress.
import {
  analyseRange,
  type BackendRequest,
  type NormalizedSpec,
  type RangeAnalysis,
  type RangeTestOptions,
  type RunId,
  rangeTestSpec,
} from '../../../engine/index';
import { startEngine } from '../../state/engine';
import { removeRun } from '../../state/runs';

export const RANGE_RUN: RunId = 'rangeTest';
const STEP_CHUNK = 16;

export interface RangeProgress {
  /** The learning rate and training loss of each step so far (the engine's own per-step values). */
  lrs: number[];
  losses: number[];
  total: number;
  analysis: RangeAnalysis;
}

export type RangeStatus = 'done' | 'exploded' | 'cancelled' | 'error';

export interface RangeOutcome {
  status: RangeStatus;
  message: string | null;
  progress: RangeProgress;
}

let active: { cancelled: boolean } | null = null;

export async function runRangeTest(
  spec: NormalizedSpec,
  opts: RangeTestOptions,
  onProgress: (p: RangeProgress) => void,
  backend: BackendRequest = 'auto',
): Promise<RangeOutcome> {
  const lrs: number[] = [];
  const losses: number[] = [];
  let analysis = analyseRange(lrs, losses);
  const progress = (): RangeProgress => ({ lrs: [...lrs], losses: [...losses], total: opts.steps, analysis });
  const built = rangeTestSpec(spec, opts);
  if (!built.ok)
    return { status: 'error', message: built.errors.map((e) => e.message).join('; '), progress: progress() };
  const c = startEngine();
  if (!c) return { status: 'error', message: 'The engine worker could not be started.', progress: progress() };
  const token = { cancelled: false };
  active = token;
  let paused = false;
  const off = c.subscribe((e) => {
    if (e.type !== 'metrics' || e.run !== RANGE_RUN || token.cancelled) return;
    const m = e.metrics;
    for (let i = 0; i < m.step.length; i++) {
      lrs.push(m.lr[i]);
      losses.push(m.loss[i]);
    }
    analysis = analyseRange(lrs, losses);
    if (analysis.explodedAt !== null && !paused) {
      paused = true;
      void c.request({ type: 'pause', run: RANGE_RUN }).catch(() => undefined);
    }
    onProgress(progress());
  });
  try {
    await c.request({ type: 'compile', run: RANGE_RUN, spec: built.value, backend });
    // In chunks, so an explosion stops the sweep within a chunk however fast the backend runs: a single request
    // for every step could finish before the pause sent from the metrics stream arrives.
    for (let done = 0; done < opts.steps && !token.cancelled && analysis.explodedAt === null; done += STEP_CHUNK)
      await c.request({ type: 'step', run: RANGE_RUN, n: Math.min(STEP_CHUNK, opts.steps - done) });
    const status: RangeStatus = token.cancelled ? 'cancelled' : analysis.explodedAt !== null ? 'exploded' : 'done';
    return { status, message: null, progress: progress() };
  } catch (e) {
    if (token.cancelled) return { status: 'cancelled', message: null, progress: progress() };
    return { status: 'error', message: e instanceof Error ? e.message : String(e), progress: progress() };
  } finally {
    off();
    if (active === token) active = null;
    await c.request({ type: 'dispose', run: RANGE_RUN }).catch(() => undefined);
    // The Lab's event ingestion keeps a series for any run that sends metrics; this one is gone.
    removeRun(RANGE_RUN);
  }
}

export function cancelRangeTest(): void {
  if (!active) return;
  active.cancelled = true;
  void startEngine()
    ?.request({ type: 'cancel', run: RANGE_RUN })
    .catch(() => undefined);
}
