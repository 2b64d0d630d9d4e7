// The one timing loop every library and backend goes through, in the browser and in Node, so the comparison is
// fair: a Trainer runs n steps and resolves once the last loss is on the host (a real training loop reads its loss a
// few times a second). We size n so one call takes about `readEveryMs` (calibration doubles as warm-up: it includes
// pipeline/shader compilation), then run timed chunks of about `seconds` each and report the median rate.

export interface Trainer {
  /** Runs n training steps and resolves with the last step's loss once it has been read back to the host. */
  run(n: number): Promise<number>;
  /** Device work issued per step, when it can be counted (GPU dispatches, kernel launches); null when not. */
  dispatchesPerStep?(): number | null;
  dispose(): void | Promise<void>;
}

export interface MeasureOptions {
  /** Wall time of one timed chunk (one round). */
  seconds: number;
  rounds: number;
  /** Target time between loss read-backs. */
  readEveryMs?: number;
  /** Upper bound on steps per run() call (e.g. a runtime's own per-call limit). */
  maxStepsPerCall?: number;
  /** Cap on the calibration/warm-up phase. */
  warmupSeconds?: number;
}

export interface Measurement {
  /** Median steps per second over the rounds, and every round's figure. */
  stepsPerSec: number;
  rounds: number[];
  /** Steps per run() call (i.e. between loss read-backs). */
  stepsPerCall: number;
  warmupSeconds: number;
  /** Total steps taken, warm-up included. */
  totalSteps: number;
  lastLoss: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function measure(
  t: Trainer,
  opts: MeasureOptions,
  now: () => number = () => performance.now(),
): Promise<Measurement> {
  const readEvery = opts.readEveryMs ?? 200;
  const maxN = opts.maxStepsPerCall ?? 1 << 20;
  const warmCap = (opts.warmupSeconds ?? Math.max(4, opts.seconds)) * 1000;
  let total = 0;
  let lastLoss = Number.NaN;
  const w0 = now();
  // First call: compilation and first-use costs.
  lastLoss = await t.run(1);
  total += 1;
  // Grow n until one call takes a sizeable part of readEvery, then aim at readEvery with a two-point fit
  // (time = fixed cost per call + n x time per step): the fixed part (a read-back, a submit) would otherwise make
  // a linear extrapolation from a short call pick far too few steps.
  let n = 1;
  let prev: { n: number; ms: number } | null = null;
  for (;;) {
    const t0 = now();
    lastLoss = await t.run(n);
    total += n;
    const ms = now() - t0;
    if (ms >= readEvery / 4 || n >= maxN || now() - w0 > warmCap) {
      let perStep = ms / n;
      let fixed = 0;
      if (prev && prev.n < n) {
        const slope = (ms - prev.ms) / (n - prev.n);
        if (slope > 0 && slope < perStep) {
          perStep = slope;
          fixed = Math.max(0, ms - n * slope);
        }
      }
      const target = Math.max(readEvery - fixed, readEvery / 4);
      const linear = (n * readEvery) / Math.max(ms, 0.01);
      // Noise can make the fitted slope tiny: never more than 8x the plain linear estimate.
      n = Math.max(1, Math.min(maxN, Math.round(8 * linear), Math.round(target / Math.max(perStep, 1e-6))));
      break;
    }
    prev = { n, ms };
    n = Math.min(maxN, n * 4);
  }
  // Check the estimate against a real call, a few times (a busy machine makes single timings noisy).
  for (let i = 0; i < 3 && now() - w0 <= warmCap; i++) {
    const t0 = now();
    lastLoss = await t.run(n);
    total += n;
    const ms = now() - t0;
    if (ms >= readEvery / 2 && ms <= readEvery * 2) break;
    n = Math.max(1, Math.min(maxN, 8 * n, Math.round((n * readEvery) / Math.max(ms, 0.01))));
  }
  const warmupSeconds = (now() - w0) / 1000;
  const rounds: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const t0 = now();
    let steps = 0;
    let elapsed = 0;
    do {
      lastLoss = await t.run(n);
      steps += n;
      elapsed = now() - t0;
    } while (elapsed < opts.seconds * 1000);
    total += steps;
    rounds.push((steps * 1000) / elapsed);
  }
  return { stepsPerSec: median(rounds), rounds, stepsPerCall: n, warmupSeconds, totalSteps: total, lastLoss };
}
