// The top two principal directions of a recorded weight trajectory, as Li et al. 2018 use them for the plane a run
// actually travelled in: the rows of the trajectory matrix M are w_t - w_final (parameter-region vectors, not
// mean-centred), and the directions are M's top two right singular vectors. They are computed from the small Gram
// matrix G = M M^T (n x n for n snapshots, n << parameters) by cyclic Jacobi: G = U diag(s^2) U^T gives the right
// singular vectors v_k = M^T u_k / s_k, which is exactly the SVD's (the same s, the same v up to sign).

export interface TrajectoryPca {
  /** Orthonormal directions over the parameter region. */
  d1: Float32Array;
  d2: Float32Array;
  /** Explained variance ratios s_k^2 / sum s^2. */
  explained: [number, number];
  /** Each snapshot projected onto (d1, d2), as (alpha, beta) pairs. */
  coords: Float32Array;
}

/** Eigen-decomposition of a symmetric matrix (row-major n x n, float64) by cyclic Jacobi rotations. Returns the
 * eigenvalues and the eigenvectors as columns of a row-major matrix, sorted by decreasing eigenvalue. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = a.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += m[i * n + j] ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y] - m[x * n + x]);
  const values = new Float64Array(order.map((i) => m[i * n + i]));
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return { values, vectors };
}

/** PCA of the trajectory `snapshots` (parameter-region vectors, oldest first) around `final`. Throws when the
 * trajectory spans fewer than two directions. The signs are fixed so the oldest snapshot lies at alpha <= 0 and
 * beta <= 0 (the path arrives from the lower left). */
export function trajectoryPca(snapshots: readonly Float32Array[], final: Float32Array): TrajectoryPca {
  const n = snapshots.length;
  const size = final.length;
  if (n < 3) throw new Error('PCA needs a recorded trajectory of at least 3 snapshots: train for a few steps first');
  const g = new Float64Array(n * n);
  const diff = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    const si = snapshots[i];
    for (let k = 0; k < size; k++) diff[k] = si[k] - final[k];
    for (let j = i; j < n; j++) {
      const sj = snapshots[j];
      let s = 0;
      for (let k = 0; k < size; k++) s += diff[k] * (sj[k] - final[k]);
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  const { values, vectors } = symmetricEigen(g, n);
  const total = values.reduce((a, b) => a + Math.max(0, b), 0);
  if (!(total > 0) || !(values[1] > total * 1e-12))
    throw new Error('the recorded trajectory spans fewer than two directions: train for a few more steps');
  const dirs = [0, 1].map((k) => {
    const d = new Float64Array(size);
    for (let t = 0; t < n; t++) {
      const u = vectors[t * n + k];
      const st = snapshots[t];
      for (let e = 0; e < size; e++) d[e] += u * (st[e] - final[e]);
    }
    return d;
  });
  // v_k = M^T u_k / s_k; normalised (and d2 re-orthogonalised) in double so rounding cannot tilt them.
  const norm = (d: Float64Array) => Math.sqrt(d.reduce((a, x) => a + x * x, 0));
  const n1 = norm(dirs[0]);
  for (let e = 0; e < size; e++) dirs[0][e] /= n1;
  const dot = dirs[1].reduce((a, x, e) => a + x * dirs[0][e], 0);
  for (let e = 0; e < size; e++) dirs[1][e] -= dot * dirs[0][e];
  const n2 = norm(dirs[1]);
  for (let e = 0; e < size; e++) dirs[1][e] /= n2;
  const project = (t: number, d: Float64Array) => {
    let s = 0;
    const st = snapshots[t];
    for (let e = 0; e < size; e++) s += (st[e] - final[e]) * d[e];
    return s;
  };
  for (const d of dirs) if (project(0, d) > 0) for (let e = 0; e < size; e++) d[e] = -d[e];
  const coords = new Float32Array(2 * n);
  for (let t = 0; t < n; t++) {
    coords[2 * t] = project(t, dirs[0]);
    coords[2 * t + 1] = project(t, dirs[1]);
  }
  return {
    d1: Float32Array.from(dirs[0]),
    d2: Float32Array.from(dirs[1]),
    explained: [values[0] / total, values[1] / total],
    coords,
  };
}
