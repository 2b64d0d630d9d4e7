// The live session's loss landscapes (engine/landscape does the work): the run's weight trajectory, recorded before a
// chunk whenever the bounded recorder wants a snapshot (spacing doubles as the record fills, so reads of the state
// stay rare), and landscape and interpolation requests computed on the weights of the moment, in chunks that yield
// to the worker's event loop (other runs keep training, a cancel arrives between chunks).

import type { BackendName, HotHypers } from '../backends/backend';
import type { Dataset } from '../data/dataset';
import { applyHot, hotFromSpec } from '../graph/hypers';
import type { Program } from '../graph/program';
import { checkLandscapeRequest, computeLandscape, computeLine, firstRows, type RunOptions } from '../landscape/compute';
import { paramRegion } from '../landscape/directions';
import { planeOpener } from '../landscape/open';
import { transferState } from '../landscape/plane';
import { TrajectoryRecorder } from '../landscape/trajectory';
import type { InterpolationRequest, InterpolationResult, LandscapeProgress, LandscapeResult } from '../landscape/types';
import type { RuntimeHost } from './types';

/** What a computation needs from the session at the moment it starts. */
export interface LandscapeMoment {
  program: Program;
  state: Float32Array;
  step: number;
  data: Dataset;
  hot: Partial<HotHypers>;
  backend: BackendName;
}

/** The weights of another run (compare mode), for interpolation. */
export interface OtherRun {
  run: string;
  program: Program;
  state: Float32Array;
}

/** Rows a live landscape evaluates by default (the first rows of the split; MNIST's prefixes are class-balanced). */
const MAX_ROWS = 1000;

const signature = (p: Program) => p.params.map((q) => `${q.key}:${p.tensors[q.tensor].shape.join('x')}`).join(',');

export class SessionLandscape {
  private readonly recorder = new TrajectoryRecorder();
  private recordedFor = '';
  private lastStep = -1;
  private readonly inFlight = new Set<{ aborted: boolean }>();

  constructor(
    private readonly host: RuntimeHost,
    private readonly yieldToEvents: () => Promise<void>,
  ) {}

  /** After a compile, recompile or rewind: the record restarts when the parameters changed or the step went back. */
  restart(program: Program, step: number): void {
    const sig = signature(program);
    if (sig !== this.recordedFor || step < this.lastStep) {
      this.recorder.reset();
      this.recordedFor = sig;
    }
    this.lastStep = step;
  }

  /** Loaded weights break the path: start a new one. */
  clear(): void {
    this.recorder.reset();
  }

  due(step: number): boolean {
    return this.recorder.due(step);
  }

  /** Training steps until the next snapshot is due, at least `min` (a chunk of one step costs more than it records). */
  stepsToNext(step: number, min: number): number {
    return Math.max(min, this.recorder.nextDue - step);
  }

  record(program: Program, step: number, state: Float32Array): void {
    this.recorder.record(step, paramRegion(program, state));
    this.lastStep = step;
  }

  /** Counts cancels, so a request can tell whether one came after it arrived (see `ticket`). */
  private cancels = 0;

  /** Cancels every computation in flight (they reject with LandscapeCancelled at their next chunk), and every
   * request still waiting for its weights (one cancelled the moment it was sent has not started its chunks yet). */
  cancel(): void {
    this.cancels++;
    for (const t of this.inFlight) t.aborted = true;
  }

  /** Taken when a request arrives, before it waits for the weights of the moment: a cancel after it applies. */
  ticket(): number {
    return this.cancels;
  }

  private async run<T>(
    work: (opts: RunOptions) => Promise<T>,
    onProgress: ((p: LandscapeProgress) => void) | undefined,
    ticket: number | undefined,
  ) {
    const token = { aborted: ticket !== undefined && ticket !== this.cancels };
    this.inFlight.add(token);
    try {
      return await work({ signal: token, onProgress, yieldToEvents: this.yieldToEvents });
    } finally {
      this.inFlight.delete(token);
    }
  }

  private opener(m: LandscapeMoment) {
    const make = this.host.createExecutor;
    if (!make) throw new Error('this engine host cannot compute loss landscapes');
    return planeOpener((p) => make(p, m.backend), m.hot);
  }

  /** The split's first rows (at most MAX_ROWS unless asked for more: a grid costs points x rows forward passes). */
  private splitOf(m: LandscapeMoment, split: 'train' | 'val', rows: number | undefined) {
    const s = m.data[split];
    if (s.count === 0)
      throw new Error(`this run has no ${split === 'val' ? 'validation' : 'training'} rows: choose the other split`);
    return firstRows(s, rows ?? MAX_ROWS);
  }

  async landscape(
    raw: unknown,
    m: LandscapeMoment,
    onProgress?: (p: LandscapeProgress) => void,
    ticket?: number,
  ): Promise<LandscapeResult> {
    const req = checkLandscapeRequest(raw);
    if (typeof req === 'string') throw new Error(`landscape: ${req}`);
    const snapshots = [...this.recorder.snapshots];
    const steps = [...this.recorder.steps];
    if (steps.length === 0 || steps[steps.length - 1] < m.step) {
      snapshots.push(paramRegion(m.program, m.state));
      steps.push(m.step);
    }
    const r = await this.run(
      (opts) =>
        computeLandscape(
          req,
          {
            program: m.program,
            state: m.state,
            step: m.step,
            split: this.splitOf(m, req.split, req.rows),
            smoothing: applyHot(hotFromSpec(m.program.spec), m.hot).labelSmoothing,
            trajectory: { snapshots, steps },
            open: this.opener(m),
          },
          opts,
        ),
      onProgress,
      ticket,
    );
    const { plane: _plane, ...result } = r;
    return result;
  }

  /** The loss along (1 - t) * from + t * to: from this run's initial weights to its current ones, or (with
   * `other`) from this run's current weights to the other run's. Each point uses the BatchNorm running statistics
   * of the nearer end (the far end's statistics do not describe these weights). */
  async interpolate(
    req: InterpolationRequest,
    m: LandscapeMoment,
    initial: Float32Array,
    other: OtherRun | null,
    onProgress?: (p: LandscapeProgress) => void,
    ticket?: number,
  ): Promise<InterpolationResult> {
    const points = Math.max(3, Math.min(201, Math.floor(req.points ?? 41)));
    const [lo, hi] = req.range ?? [-0.5, 1.5];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo))
      throw new Error('interpolate: range must be [lo, hi] with lo < hi');
    let fromState = initial;
    let toState = m.state;
    if (other) {
      if (signature(other.program) !== signature(m.program))
        throw new Error(
          `runs cannot be interpolated: '${other.run}' has different parameters (keys or shapes) from this run`,
        );
      fromState = m.state;
      toState = transferState(other.program, other.state, m.program);
    }
    const split = this.splitOf(m, req.split, req.rows);
    const ts = new Float64Array(points).map((_, k) => lo + ((hi - lo) * k) / (points - 1));
    const from = paramRegion(m.program, fromState);
    const to = paramRegion(m.program, toState);
    const smoothing = applyHot(hotFromSpec(m.program.spec), m.hot).labelSmoothing;
    const open = this.opener(m);
    const hasBuffers = m.program.params.some((q) => q.grad === null);
    const near = ts.filter((t) => t < 0.5);
    const far = ts.filter((t) => t >= 0.5);
    const losses = await this.run(
      async (opts) => {
        const line = (state: Float32Array, t: Float64Array, base: number) =>
          computeLine({ program: m.program, state, split, smoothing, open }, from, to, t, {
            ...opts,
            onProgress: opts.onProgress && ((p) => opts.onProgress?.({ done: base + p.done, total: points })),
          });
        if (!hasBuffers) return line(toState, ts, 0);
        const a = near.length > 0 ? await line(fromState, near, 0) : new Float64Array(0);
        const b = far.length > 0 ? await line(toState, far, near.length) : new Float64Array(0);
        const all = new Float64Array(points);
        all.set(a);
        all.set(b, a.length);
        return all;
      },
      onProgress,
      ticket,
    );
    return {
      from: other ? 'run' : 'initial',
      other: other?.run ?? null,
      split: req.split,
      ts,
      losses: Float32Array.from(losses),
    };
  }
}
