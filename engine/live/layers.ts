// Per-layer views of a state arena: which parameters belong to which layer (by state-dict prefix), their weight and
// gradient L2 norms, histograms and statistics. Host-side arithmetic over a readState() copy, so it needs no kernel
// and never touches the device: used by the divergence report and by inspection.

import type { Program, TensorInfo } from '../graph/program';
import type { NormalizedLayer } from '../spec/types';
import type { Histogram, LayerGradNorm, LayerStats, TensorData, WeightsDict } from './types';

export interface LayerParams {
  /** State-dict prefix: `2`, `3.layers.0`. */
  layer: string;
  label: string;
  /** Trainable parameters (weight, bias) and their gradient tensors. */
  params: { key: string; tensor: TensorInfo; grad: TensorInfo | null }[];
}

/** Layers that own trainable parameters, in network order (from the Program's layer table). */
export function paramLayers(p: Program): LayerParams[] {
  const out: LayerParams[] = [];
  for (const entry of p.layers) {
    const params: LayerParams['params'] = [];
    for (const key of entry.params) {
      const info = p.params.find((q) => q.key === key);
      if (info === undefined || info.grad === null) continue;
      params.push({ key, tensor: p.tensors[info.tensor], grad: p.tensors[info.grad] });
    }
    if (params.length > 0) out.push({ layer: entry.key, label: entry.label, params });
  }
  return out;
}

/** The spec layer behind a state-dict prefix (`2`, `3.layers.0` inside a residual block). */
export function layerAt(p: Program, prefix: string): NormalizedLayer | undefined {
  const parts = prefix.split('.');
  let layers: NormalizedLayer[] = p.spec.model.layers;
  let layer: NormalizedLayer | undefined;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === 'layers') continue;
    layer = layers[Number(parts[i])];
    if (layer?.type === 'residual') layers = layer.layers;
  }
  return layer;
}

/** `layer 2 (dense, 8 units)`, from the Program's layer table. */
export function layerLabel(p: Program, prefix: string): string {
  return p.layers.find((l) => l.key === prefix)?.label ?? `layer ${prefix}`;
}

function sumSq(state: Float32Array, t: TensorInfo): number {
  let s = 0;
  const end = t.offset + t.size;
  for (let i = t.offset; i < end; i++) s += state[i] * state[i];
  return s;
}

/** Per-layer L2 norms of weights and gradients in a state-arena copy. */
export function layerNorms(p: Program, state: Float32Array): LayerGradNorm[] {
  return paramLayers(p).map((l) => {
    let g = 0;
    let w = 0;
    for (const q of l.params) {
      w += sumSq(state, q.tensor);
      if (q.grad) g += sumSq(state, q.grad);
    }
    return { layer: l.layer, label: l.label, gradNorm: Math.sqrt(g), weightNorm: Math.sqrt(w) };
  });
}

/** Whether every parameter (and, with grads, every gradient) in the state is finite. */
export function stateFinite(p: Program, state: Float32Array, grads = false): boolean {
  const regions = [p.regions.params];
  if (grads) regions.push(p.regions.grads);
  for (const r of regions) {
    const end = r.offset + r.size;
    for (let i = r.offset; i < end; i++) if (!Number.isFinite(state[i])) return false;
  }
  return true;
}

export function histogram(values: ArrayLike<number>, bins: number): Histogram {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Uint32Array(bins);
  if (min > max) return { min: 0, max: 0, counts };
  const width = max > min ? (max - min) / bins : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  }
  return { min, max, counts };
}

/** Histogram and statistics of each layer's weights or gradients. */
export function layerStats(p: Program, state: Float32Array, which: 'weights' | 'gradients', bins = 32): LayerStats[] {
  return paramLayers(p).map((l) => {
    const parts: Float32Array[] = [];
    for (const q of l.params) {
      const t = which === 'weights' ? q.tensor : q.grad;
      if (t) parts.push(state.subarray(t.offset, t.offset + t.size));
    }
    const n = parts.reduce((s, a) => s + a.length, 0);
    const all = new Float32Array(n);
    let at = 0;
    for (const a of parts) {
      all.set(a, at);
      at += a.length;
    }
    let sum = 0;
    let sq = 0;
    let bad = 0;
    for (const v of all) {
      if (!Number.isFinite(v)) {
        bad++;
        continue;
      }
      sum += v;
      sq += v * v;
    }
    const good = Math.max(1, n - bad);
    const mean = sum / good;
    return {
      layer: l.layer,
      label: l.label,
      histogram: histogram(all, bins),
      mean,
      std: Math.sqrt(Math.max(0, sq / good - mean * mean)),
      l2: Math.sqrt(sq),
      nonFinite: bad,
    };
  });
}

/** The state dict (parameters and buffers) of a state-arena copy, as typed arrays. */
export function weightsFromState(p: Program, state: Float32Array): WeightsDict {
  const out: WeightsDict = {};
  for (const info of p.params) {
    const t = p.tensors[info.tensor];
    out[info.key] = { shape: [...t.shape], data: state.slice(t.offset, t.offset + t.size) };
  }
  return out;
}

export function weightsTransfer(w: WeightsDict): Transferable[] {
  return Object.values(w).map((t: TensorData) => t.data.buffer as ArrayBuffer);
}
