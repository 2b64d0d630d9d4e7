// Directions in weight space, as vectors over the Program's parameter region (the state arena's contiguous range of
// trainable parameters: one Float32Array, each parameter at its tensor's offset within the region, padding zero).
// Random directions follow Li et al. 2018 ("Visualizing the Loss Landscape of Neural Nets"): a Gaussian direction
// drawn from the engine's counter-based RNG, each row of a dense weight ([out, in]) and each filter of a conv weight
// ([out, in, kh, kw]) rescaled to the norm of the matching row or filter of the weights, and every 1-D parameter
// (biases, BatchNorm and LayerNorm weight and bias) zeroed. Running statistics live outside the parameter region, so
// no direction can perturb them.

import type { Program } from '../graph/program';
import { rngNormal } from '../rng/rng';
import type { StateDict } from '../spec/types';

/** RNG stream of landscape directions (distinct from init, dropout and shuffling streams). */
const DIRECTION_STREAM = 0x1a4d5c09;

/** The trainable parameters of a program: key, shape, and offset within the parameter region. */
export interface RegionParam {
  key: string;
  shape: number[];
  /** Offset in f32 elements from the start of the parameter region. */
  at: number;
  size: number;
}

export function regionParams(p: Program): RegionParam[] {
  const base = p.regions.params.offset;
  return p.params
    .filter((q) => q.grad !== null)
    .map((q) => {
      const t = p.tensors[q.tensor];
      return { key: q.key, shape: [...t.shape], at: t.offset - base, size: t.size };
    });
}

/** A copy of the parameter region of a state arena. */
export function paramRegion(p: Program, state: Float32Array): Float32Array {
  const r = p.regions.params;
  return state.slice(r.offset, r.offset + r.size);
}

/** A Gaussian direction with filter-wise normalisation against `center` (a parameter-region vector). `index` tells
 * the two directions of one seed apart. */
export function randomDirection(p: Program, center: Float32Array, seed: number, index: number): Float32Array {
  const d = new Float32Array(p.regions.params.size);
  regionParams(p).forEach((q, k) => {
    if (q.shape.length < 2) return; // 1-D parameters stay zero
    const rows = q.shape[0];
    const per = q.size / rows;
    const hi = index * 65536 + k;
    for (let r = 0; r < rows; r++) {
      const from = q.at + r * per;
      let dn = 0;
      let wn = 0;
      const g = new Float64Array(per);
      for (let e = 0; e < per; e++) {
        const v = rngNormal(seed >>> 0, DIRECTION_STREAM, hi, r * per + e);
        g[e] = v;
        dn += v * v;
        wn += center[from + e] * center[from + e];
      }
      const scale = dn > 0 ? Math.sqrt(wn) / Math.sqrt(dn) : 0;
      for (let e = 0; e < per; e++) d[from + e] = g[e] * scale;
    }
  });
  return d;
}

/** A parameter-region vector as a state dict over every key of the model: parameters from the vector, buffers
 * (running statistics) from `buffers` (a state arena), or zero when it is null (a direction never moves them). */
export function regionToStateDict(p: Program, vec: Float32Array, buffers: Float32Array | null): StateDict {
  const base = p.regions.params.offset;
  const sd: StateDict = {};
  for (const q of p.params) {
    const t = p.tensors[q.tensor];
    let data: number[];
    if (q.grad !== null) data = Array.from(vec.subarray(t.offset - base, t.offset - base + t.size));
    else data = buffers ? Array.from(buffers.subarray(t.offset, t.offset + t.size)) : new Array(t.size).fill(0);
    sd[q.key] = { shape: [...t.shape], data };
  }
  return sd;
}

/** center + a * d1 + b * d2 over the parameter region (computed in double, stored as f32). */
export function combine(
  center: Float32Array,
  d1: Float32Array,
  d2: Float32Array | null,
  a: number,
  b: number,
  out: Float32Array = new Float32Array(center.length),
): Float32Array {
  if (d2 === null) for (let i = 0; i < center.length; i++) out[i] = center[i] + a * d1[i];
  else for (let i = 0; i < center.length; i++) out[i] = center[i] + a * d1[i] + b * d2[i];
  return out;
}
