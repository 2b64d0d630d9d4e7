// Adaptive chunk size: how many whole training steps go into one submit (one Runtime.trainSteps(k) call) so that a
// chunk takes about 10-30 ms. Shorter chunks waste time on per-submit overhead; longer ones make pause, hot changes
// and metrics feel late. The sizer watches the measured time per step and steers k toward the middle of the band.

export interface ChunkOptions {
  /** The band a chunk should take, in milliseconds. */
  minMs?: number;
  maxMs?: number;
  /** Bounds on k. */
  minSteps?: number;
  maxSteps?: number;
  /** k of the first chunk (before anything is measured). */
  initial?: number;
}

export class ChunkSizer {
  private k: number;
  private msPerStep: number | null = null;
  readonly minMs: number;
  readonly maxMs: number;
  private readonly minSteps: number;
  private readonly maxSteps: number;

  constructor(opts: ChunkOptions = {}) {
    this.minMs = opts.minMs ?? 10;
    this.maxMs = opts.maxMs ?? 30;
    this.minSteps = opts.minSteps ?? 1;
    this.maxSteps = opts.maxSteps ?? 4096;
    this.k = clamp(opts.initial ?? 1, this.minSteps, this.maxSteps);
  }

  /** Steps for the next chunk. */
  get steps(): number {
    return this.k;
  }

  /** Smoothed milliseconds per step (null before the first observation). */
  get stepMs(): number | null {
    return this.msPerStep;
  }

  /** Records that `steps` steps took `ms` milliseconds, and picks the next k. */
  observe(steps: number, ms: number): void {
    if (steps <= 0 || !Number.isFinite(ms) || ms < 0) return;
    const per = Math.max(ms, 0.001) / steps;
    // Exponential smoothing, but trust a first measurement fully and react quickly to slow-downs.
    this.msPerStep = this.msPerStep === null || per > 2 * this.msPerStep ? per : 0.7 * this.msPerStep + 0.3 * per;
    const chunkMs = this.k * this.msPerStep;
    if (chunkMs >= this.minMs && chunkMs <= this.maxMs) return;
    const target = (this.minMs + this.maxMs) / 2;
    // Grow at most 4x per chunk (a too-optimistic first estimate must not produce a 1-second chunk).
    const ideal = Math.round(target / this.msPerStep);
    this.k = clamp(Math.min(ideal, this.k * 4), this.minSteps, this.maxSteps);
  }

  /** Forget measurements (after a recompile or a backend change). */
  reset(initial = 1): void {
    this.msPerStep = null;
    this.k = clamp(initial, this.minSteps, this.maxSteps);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.floor(v)));
}
