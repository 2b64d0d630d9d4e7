// TensorFlow Playground's input features: each model input column is a function of a 2-D point (x1, x2). One table
// maps a feature name to its function; the dataset, the decision-boundary grid and the neuron grids all go through
// mapFeatures, so a model trained on features sees the same columns wherever it is evaluated.

import type { DataFeature } from '../spec/types';

/** sin(pi * x): our coordinates span about [-1, 1], where sin(x) would be nearly x itself. */
const FEATURES: { [F in DataFeature]: (x1: number, x2: number) => number } = {
  x1: (x1) => x1,
  x2: (_x1, x2) => x2,
  x1sq: (x1) => x1 * x1,
  x2sq: (_x1, x2) => x2 * x2,
  x1x2: (x1, x2) => x1 * x2,
  sinx1: (x1) => Math.sin(Math.PI * x1),
  sinx2: (_x1, x2) => Math.sin(Math.PI * x2),
};

/** rows x 2 raw coordinates -> rows x features.length model inputs (row-major). */
export function mapFeatures(features: readonly DataFeature[], xy: Float32Array, rows: number): Float32Array {
  const k = features.length;
  const fns = features.map((f) => FEATURES[f]);
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const x1 = xy[2 * r];
    const x2 = xy[2 * r + 1];
    for (let j = 0; j < k; j++) out[r * k + j] = fns[j](x1, x2);
  }
  return out;
}
