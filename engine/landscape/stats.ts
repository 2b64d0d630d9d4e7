// Numbers that describe a landscape's shape, for preset claims and summaries: how many local minima the grid has
// (a smooth bowl has one; a chaotic landscape many), how rough it is (mean absolute discrete Laplacian relative to
// the loss range, per cell), and how sharp the center is (the mean rise of the loss a given distance away).

export interface LandscapeStats {
  /** Cells lower than all 8 neighbours (interior only). */
  localMinima: number;
  /** mean |4 v - sum of 4 neighbours| over interior cells, divided by (max - min). */
  roughness: number;
  /** The same over log10 of the loss (not dominated by the far corners), divided by the log10 range. */
  logRoughness: number;
  min: number;
  max: number;
  /** The largest loss difference between neighbouring grid points per unit of distance in the plane (a Lipschitz
   * estimate: Santurkar et al.'s measure of how smooth a landscape is). */
  steepest: number;
}

export function landscapeStats(losses: ArrayLike<number>, n: number, spacing = 1): LandscapeStats {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n * n; i++) {
    min = Math.min(min, losses[i]);
    max = Math.max(max, losses[i]);
  }
  const v = (i: number, j: number) => losses[i * n + j];
  let minima = 0;
  let lap = 0;
  for (let i = 1; i < n - 1; i++)
    for (let j = 1; j < n - 1; j++) {
      const c = v(i, j);
      let lowest = true;
      for (let di = -1; di <= 1; di++)
        for (let dj = -1; dj <= 1; dj++) if ((di || dj) && v(i + di, j + dj) <= c) lowest = false;
      if (lowest) minima++;
      lap += Math.abs(4 * c - v(i - 1, j) - v(i + 1, j) - v(i, j - 1) - v(i, j + 1));
    }
  let logLap = 0;
  const lg = (i: number, j: number) => Math.log10(Math.max(1e-12, v(i, j)));
  for (let i = 1; i < n - 1; i++)
    for (let j = 1; j < n - 1; j++)
      logLap += Math.abs(4 * lg(i, j) - lg(i - 1, j) - lg(i + 1, j) - lg(i, j - 1) - lg(i, j + 1));
  let steep = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (j + 1 < n) steep = Math.max(steep, Math.abs(v(i, j + 1) - v(i, j)));
      if (i + 1 < n) steep = Math.max(steep, Math.abs(v(i + 1, j) - v(i, j)));
    }
  const cells = (n - 2) * (n - 2);
  const range = max - min;
  const logRange = Math.log10(Math.max(1e-12, max)) - Math.log10(Math.max(1e-12, min));
  return {
    localMinima: minima,
    roughness: range > 0 ? lap / cells / range : 0,
    logRoughness: logRange > 0 ? logLap / cells / logRange : 0,
    min,
    max,
    steepest: steep / spacing,
  };
}
