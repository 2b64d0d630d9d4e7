// The headless job format (CLI, golden fixtures, benchmarks) and its result.

import type { BackendName } from '../backends/backend';
import type { ExperimentSpec, NormalizedSpec, StateDict, TensorJson } from '../spec/types';

export interface Job {
  spec: ExperimentSpec;
  initialWeights?: StateDict;
  /** Used in order and cycled; class-index targets are numbers. */
  batches?: { x: TensorJson; y: TensorJson }[];
  steps: number;
}

/** A job after validation: the normalized spec and typed-array batches. */
export interface CheckedJob {
  spec: NormalizedSpec;
  initialWeights: StateDict | null;
  batches: { x: Float32Array; y: Float32Array }[] | null;
  steps: number;
}

export interface JobResult {
  /** Per-step data loss (without penalties). */
  losses: number[];
  weights: StateDict;
  metrics: Record<string, number | null>;
  backend: BackendName;
  /** Training time only: no start-up, compile or data generation. */
  trainSeconds: number;
}
