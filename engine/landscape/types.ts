// The loss-landscape vocabulary shared by the engine (engine/landscape), the live session, the worker protocol and
// the CLI. A landscape is a 2-D slice of the loss around the current weights: losses at
// center + alphas[j] * d1 + betas[i] * d2, in evaluation mode, on one split.

export type LandscapeDirections = 'random' | 'pca';

export interface LandscapeRequest {
  /** 'random': seeded Gaussian directions with filter-wise normalisation (Li et al. 2018); 'pca': the top two
   * principal directions of the recorded weight trajectory (w_t - w_final). */
  directions: LandscapeDirections;
  /** Points per axis, 11..81. */
  grid: number;
  /** The grid spans [-range, range] along each direction (for PCA: times the trajectory's extent along it). */
  range: number;
  split: 'train' | 'val';
  seed: number;
  /** Evaluate on the split's first `rows` rows only (default: every row; the live session caps it at 1,000). */
  rows?: number;
}

export interface LandscapeProgress {
  /** Grid points evaluated so far, of total. */
  done: number;
  total: number;
}

export interface LandscapeResult {
  step: number;
  directions: LandscapeDirections;
  split: 'train' | 'val';
  grid: number;
  range: number;
  /** Coefficients of d1 (columns j) and d2 (rows i). */
  alphas: Float64Array;
  betas: Float64Array;
  /** grid x grid, row-major: losses[i * grid + j] at alphas[j], betas[i]. */
  losses: Float32Array;
  /** The loss at the center (the current weights). */
  centerLoss: number;
  /** PCA only: the trajectory projected onto the plane, as (alpha, beta) pairs, and the steps they were taken at. */
  trajectory: Float32Array | null;
  trajectorySteps: Float64Array | null;
  /** PCA only: explained variance ratios of d1 and d2. */
  explained: [number, number] | null;
  /** Rows of the split each point was evaluated on. */
  rows: number;
  backend: 'cpu' | 'webgpu';
  /** Forward-pass FLOPs of the whole grid and the wall time of the grid evaluation. */
  flops: number;
  seconds: number;
}

/** The loss along a straight line between two weight vectors: (1 - t) * from + t * to. */
export interface InterpolationRequest {
  split: 'train' | 'val';
  /** Points along t (default 41). */
  points?: number;
  /** t range (default [-0.5, 1.5]). */
  range?: [number, number];
  /** The split's first rows only (as LandscapeRequest.rows). */
  rows?: number;
  /** Interpolate from this run's current weights to another run's (compare mode, same architecture); without
   * it, from this run's initial weights to its current ones. */
  other?: string;
}

export interface InterpolationResult {
  from: 'initial' | 'run';
  /** The run at t = 1 when `from` is 'run'. */
  other: string | null;
  split: 'train' | 'val';
  ts: Float64Array;
  losses: Float32Array;
}
