// A loss landscape from start to finish: directions (random with filter-wise normalisation, or the trajectory's PCA),
// the grid of coefficients, and its evaluation in chunks of points with progress, cancellation and a yield between
// chunks (so a worker serving other runs stays responsive). The backend-specific part is the PlaneEvaluator the
// caller opens (open.ts); everything here is the same for the CLI, the live session and the tests.

import type { Program } from '../graph/program';
import { paramRegion, randomDirection } from './directions';
import { trajectoryPca } from './pca';
import { evalFlops, type PlaneEvaluator, type PlaneSetup, transferState, wideProgram } from './plane';
import type { LandscapeProgress, LandscapeRequest, LandscapeResult } from './types';

export const GRID_LIMITS = { min: 11, max: 81 } as const;

/** Checks a raw request; a string says what is wrong. */
export function checkLandscapeRequest(raw: unknown): LandscapeRequest | string {
  const r = (raw ?? {}) as Partial<Record<keyof LandscapeRequest, unknown>>;
  if (r.directions !== 'random' && r.directions !== 'pca') return "directions must be 'random' or 'pca'";
  const grid = r.grid;
  if (typeof grid !== 'number' || !Number.isInteger(grid) || grid < GRID_LIMITS.min || grid > GRID_LIMITS.max)
    return `grid must be a whole number from ${GRID_LIMITS.min} to ${GRID_LIMITS.max}`;
  const range = r.range;
  if (typeof range !== 'number' || !Number.isFinite(range) || range <= 0 || range > 100)
    return 'range must be a number above 0 and at most 100';
  if (r.split !== 'train' && r.split !== 'val') return "split must be 'train' or 'val'";
  const seed = r.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    return 'seed must be a whole number from 0 to 4294967295';
  const rows = r.rows;
  if (rows !== undefined && (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 1))
    return 'rows must be a whole number of at least 1';
  return { directions: r.directions, grid, range, split: r.split, seed, ...(rows === undefined ? {} : { rows }) };
}

/** The first `rows` rows of a split (all of them when rows is undefined or larger). */
export function firstRows(
  split: { x: Float32Array; y: Float32Array; count: number },
  rows: number | undefined,
): { x: Float32Array; y: Float32Array; count: number } {
  if (rows === undefined || rows >= split.count) return split;
  const xr = split.x.length / split.count;
  const yr = split.y.length / split.count;
  return { x: split.x.subarray(0, rows * xr), y: split.y.subarray(0, rows * yr), count: rows };
}

export interface LandscapeInput {
  program: Program;
  /** The full state arena at the center (the current weights). */
  state: Float32Array;
  step: number;
  split: { x: Float32Array; y: Float32Array; count: number };
  smoothing: number;
  /** Parameter-region snapshots oldest first (for PCA), and their steps. */
  trajectory?: { snapshots: readonly Float32Array[]; steps: readonly number[] };
  /** Opens an evaluator for the wide program (backend-specific: open.ts). */
  open(setup: PlaneSetup): Promise<PlaneEvaluator>;
}

export interface RunOptions {
  onProgress?: (p: LandscapeProgress) => void;
  signal?: { readonly aborted: boolean };
  /** Called between chunks (a macrotask in the worker). */
  yieldToEvents?: () => Promise<void>;
  /** Wall time one chunk aims at (ms, default 40). */
  chunkMs?: number;
  now?: () => number;
}

export class LandscapeCancelled extends Error {
  constructor() {
    super('the landscape computation was cancelled');
    this.name = 'LandscapeCancelled';
  }
}

function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? 0 : lo + ((hi - lo) * i) / (n - 1);
  return out;
}

/** Evaluates `coefs` (pairs) in chunks sized to `chunkMs`, reporting progress and honouring cancellation. */
export async function evaluateChunked(
  ev: PlaneEvaluator,
  coefs: Float64Array,
  opts: RunOptions = {},
): Promise<Float64Array> {
  const now = opts.now ?? (() => performance.now());
  const target = opts.chunkMs ?? 40;
  const total = coefs.length / 2;
  const out = new Float64Array(total);
  let size = 4;
  let done = 0;
  while (done < total) {
    if (opts.signal?.aborted) throw new LandscapeCancelled();
    const k = Math.min(size, total - done);
    const t0 = now();
    out.set(await ev.losses(coefs.subarray(2 * done, 2 * (done + k))), done);
    const ms = Math.max(1e-3, now() - t0);
    done += k;
    opts.onProgress?.({ done, total });
    // At most doubling: a small first chunk is mostly fixed cost (and a worker's clock is coarse), so trusting its
    // rate would jump to a chunk of seconds, leaving the progress bar still and a cancel waiting that long.
    size = Math.max(1, Math.min(4096, 2 * k, Math.round((k * target) / ms)));
    if (done < total) await (opts.yieldToEvents ?? (() => Promise.resolve()))();
  }
  if (opts.signal?.aborted) throw new LandscapeCancelled();
  return out;
}

export interface LandscapePlane {
  d1: Float32Array;
  d2: Float32Array;
  center: Float32Array;
  alphas: Float64Array;
  betas: Float64Array;
  trajectory: Float32Array | null;
  trajectorySteps: Float64Array | null;
  explained: [number, number] | null;
}

/** The plane of a request: directions and the coefficient grid. */
export function landscapePlane(
  req: LandscapeRequest,
  input: Pick<LandscapeInput, 'program' | 'state' | 'trajectory'>,
): LandscapePlane {
  const p = input.program;
  const center = paramRegion(p, input.state);
  if (req.directions === 'random') {
    const axis = linspace(-req.range, req.range, req.grid);
    return {
      center,
      d1: randomDirection(p, center, req.seed, 0),
      d2: randomDirection(p, center, req.seed, 1),
      alphas: axis,
      betas: axis.slice(),
      trajectory: null,
      trajectorySteps: null,
      explained: null,
    };
  }
  const traj = input.trajectory;
  if (!traj || traj.snapshots.length < 3)
    throw new Error('PCA directions need a recorded trajectory: train for a few steps first');
  const snaps = [...traj.snapshots];
  const steps = [...traj.steps];
  const pca = trajectoryPca(snaps, center);
  // The grid spans `range` times the trajectory's extent along each direction (10% margin), so at range 1 the
  // whole path is inside; the directions themselves stay unit vectors.
  const extent = (axis: 0 | 1) => {
    let m = 0;
    for (let t = 0; t < snaps.length; t++) m = Math.max(m, Math.abs(pca.coords[2 * t + axis]));
    return (m > 0 ? m : 1) * 1.1 * req.range;
  };
  const ea = extent(0);
  const eb = extent(1);
  return {
    center,
    d1: pca.d1,
    d2: pca.d2,
    alphas: linspace(-ea, ea, req.grid),
    betas: linspace(-eb, eb, req.grid),
    trajectory: pca.coords,
    trajectorySteps: Float64Array.from(steps),
    explained: pca.explained,
  };
}

/** Computes a landscape: losses[i * grid + j] at center + alphas[j] * d1 + betas[i] * d2, in eval mode. */
export async function computeLandscape(
  req: LandscapeRequest,
  input: LandscapeInput,
  opts: RunOptions = {},
): Promise<LandscapeResult & { plane: LandscapePlane }> {
  const plane = landscapePlane(req, input);
  const { alphas, betas } = plane;
  const n = req.grid;
  const coefs = new Float64Array(2 * (n * n + 1));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      coefs[2 * (i * n + j)] = alphas[j];
      coefs[2 * (i * n + j) + 1] = betas[i];
    }
  // The last point is the center itself.
  const ev = await openFor(input, plane.center, plane.d1, plane.d2);
  const now = opts.now ?? (() => performance.now());
  try {
    const t0 = now();
    const all = await evaluateChunked(ev.evaluator, coefs, opts);
    const seconds = (now() - t0) / 1000;
    return {
      step: input.step,
      directions: req.directions,
      split: req.split,
      grid: n,
      range: req.range,
      alphas,
      betas,
      losses: Float32Array.from(all.subarray(0, n * n)),
      centerLoss: all[n * n],
      trajectory: plane.trajectory,
      trajectorySteps: plane.trajectorySteps,
      explained: plane.explained,
      rows: input.split.count,
      backend: ev.evaluator.backend,
      flops: evalFlops(ev.program, input.split.count) * (n * n + 1),
      seconds,
      plane,
    };
  } finally {
    ev.evaluator.dispose();
  }
}

/** Opens the evaluator of a plane through the input's backend-specific `open`. */
async function openFor(
  input: Pick<LandscapeInput, 'program' | 'state' | 'split' | 'smoothing' | 'open'>,
  center: Float32Array,
  d1: Float32Array,
  d2: Float32Array | null,
): Promise<{ evaluator: PlaneEvaluator; program: Program }> {
  if (input.split.count === 0) throw new Error('the chosen split has no rows');
  const wide = wideProgram(input.program, input.split.count);
  const evaluator = await input.open({
    program: wide,
    state: transferState(input.program, input.state, wide),
    center,
    d1,
    d2,
    x: input.split.x,
    y: input.split.y,
    rows: input.split.count,
    smoothing: input.smoothing,
  });
  return { evaluator, program: wide };
}

/** The loss along (1 - t) * from + t * to for each t (parameter-region vectors; buffers from input.state). */
export async function computeLine(
  input: Pick<LandscapeInput, 'program' | 'state' | 'split' | 'smoothing' | 'open'>,
  from: Float32Array,
  to: Float32Array,
  ts: Float64Array,
  opts: RunOptions = {},
): Promise<Float64Array> {
  const d = new Float32Array(from.length);
  for (let i = 0; i < d.length; i++) d[i] = to[i] - from[i];
  const coefs = new Float64Array(2 * ts.length);
  ts.forEach((t, k) => {
    coefs[2 * k] = t;
  });
  const ev = await openFor(input, from, d, null);
  try {
    return await evaluateChunked(ev.evaluator, coefs, opts);
  } finally {
    ev.evaluator.dispose();
  }
}
