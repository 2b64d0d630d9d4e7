// PCA directions against numpy: fixtures/pca.json holds a trajectory and np.linalg.svd of its trajectory matrix
// (rows w_t - w_final), written by fixtures/make_pca_fixture.py. The directions are orthonormal and equal numpy's
// top two right singular vectors up to sign; the explained variance ratios and the projected path match.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { symmetricEigen, trajectoryPca } from './pca';

const fx = JSON.parse(readFileSync(new URL('./fixtures/pca.json', import.meta.url), 'utf8')) as {
  snapshots: number[][];
  final: number[];
  v: number[][];
  explained: number[];
  coords: number[][];
};

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe('trajectory PCA', () => {
  it('equals the SVD of the trajectory matrix (numpy), orthonormal', () => {
    const snaps = fx.snapshots.map((r) => Float32Array.from(r));
    const pca = trajectoryPca(snaps, Float32Array.from(fx.final));
    const dirs = [pca.d1, pca.d2];
    expect(Math.abs(dot(pca.d1, pca.d1) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(dot(pca.d2, pca.d2) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(dot(pca.d1, pca.d2))).toBeLessThan(1e-6);
    for (let k = 0; k < 2; k++) {
      const sign = Math.sign(dot(dirs[k], fx.v[k]));
      let worst = 0;
      for (let e = 0; e < fx.v[k].length; e++) worst = Math.max(worst, Math.abs(dirs[k][e] - sign * fx.v[k][e]));
      expect(worst).toBeLessThan(1e-5);
      expect(Math.abs(pca.explained[k] - fx.explained[k])).toBeLessThan(1e-6);
      for (let t = 0; t < snaps.length; t++)
        expect(Math.abs(pca.coords[2 * t + k] - sign * fx.coords[t][k])).toBeLessThan(1e-4);
    }
    // The signs put the oldest snapshot at the lower left.
    expect(pca.coords[0]).toBeLessThanOrEqual(0);
    expect(pca.coords[1]).toBeLessThanOrEqual(0);
  });

  it('refuses a trajectory that spans fewer than two directions', () => {
    const a = Float32Array.from([1, 2, 3]);
    expect(() => trajectoryPca([a, a], a)).toThrow(/trajectory/);
    const line = [0, 1, 2, 3].map((t) => Float32Array.from([t, 2 * t, 0]));
    expect(() => trajectoryPca(line, line[3])).toThrow(/fewer than two directions/);
  });

  it('Jacobi eigen-decomposition reconstructs a symmetric matrix', () => {
    const n = 5;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = Math.sin(i * 3 + j * 7 + 1);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += vectors[i * n + k] * values[k] * vectors[j * n + k];
        expect(Math.abs(s - a[i * n + j])).toBeLessThan(1e-10);
      }
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
  });
});
