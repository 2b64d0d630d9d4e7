// Types shared by the live session, the worker protocol and the backends' inspection kernels: histograms and
// per-layer activation statistics. A neutral module, so a backend (backends/webgpu/inspect.ts) need not import
// engine/live to say what it returns.

export interface Histogram {
  min: number;
  max: number;
  counts: Uint32Array;
}

export interface ActivationStats {
  /** Layer key (`3`, `2.layers.1`) and readable label. */
  layer: string;
  label: string;
  histogram: Histogram;
  mean: number;
  std: number;
  /** Fraction of exact zeros (dead ReLUs). */
  zeros: number;
  count: number;
}
