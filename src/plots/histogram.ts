// Histograms over training steps as an image: each snapshot's bins resampled onto a shared value axis, as density
// per unit value, normalised per column and compressed with a log so the tails stay visible next to a tall peak.

export interface HistogramSnapshot {
  step: number;
  /** Low edge of the first bin and high edge of the last; the bins are equal-width between them. */
  min: number;
  max: number;
  counts: Uint32Array | ArrayLike<number>;
  /** Fraction of units that never activate (e.g. ReLU outputs all zero), shown as "dead 43%". */
  dead?: number;
}

/** The shared value range [min, max] over all snapshots (a unit range around a constant). */
export function valueRange(snapshots: HistogramSnapshot[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of snapshots) {
    if (Number.isFinite(s.min) && s.min < lo) lo = s.min;
    if (Number.isFinite(s.max) && s.max > hi) hi = s.max;
  }
  if (!(lo <= hi)) return [0, 1];
  if (hi - lo < 1e-12) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

/**
 * One column of `rows` densities (row 0 = the low end of [lo, hi]) from a histogram, by the overlap of each bin with
 * each row, so bins of any width land correctly.
 */
export function resampleColumn(s: HistogramSnapshot, lo: number, hi: number, rows: number): Float32Array {
  const col = new Float32Array(rows);
  const k = s.counts.length;
  if (k === 0 || !(s.max >= s.min) || !(hi > lo)) return col;
  const rowW = (hi - lo) / rows;
  const binW = (s.max - s.min) / k;
  for (let b = 0; b < k; b++) {
    const c = s.counts[b];
    if (!c) continue;
    if (binW <= 0) {
      // Every value equal: all counts in the row holding it.
      const r = Math.min(rows - 1, Math.max(0, Math.floor((s.min - lo) / rowW)));
      col[r] += c;
      continue;
    }
    const b0 = s.min + b * binW;
    const b1 = b0 + binW;
    let r = Math.max(0, Math.floor((b0 - lo) / rowW));
    for (; r < rows; r++) {
      const r0 = lo + r * rowW;
      const r1 = r0 + rowW;
      if (r0 >= b1) break;
      const overlap = Math.min(b1, r1) - Math.max(b0, r0);
      if (overlap > 0) col[r] += (c * overlap) / binW;
    }
  }
  return col;
}

/** Log-ish compression of a non-negative density to [0, 1] relative to the column's peak. */
export function compress(d: number, peak: number, k = 60): number {
  if (!(peak > 0) || !(d > 0)) return 0;
  return Math.log1p((k * d) / peak) / Math.log1p(k);
}

/**
 * The image: `cols` × `rows` intensities in [0, 1] (row-major, row 0 = top = the high end of the value range), where
 * column c shows the snapshot at or before step `stepAt(c)`. Columns before the first snapshot are -1 (empty).
 */
export function histogramImage(
  snapshots: HistogramSnapshot[],
  cols: number,
  rows: number,
  stepAt: (col: number) => number,
  range: [number, number] = valueRange(snapshots),
): Float32Array {
  const img = new Float32Array(cols * rows).fill(-1);
  if (snapshots.length === 0 || cols <= 0 || rows <= 0) return img;
  const [lo, hi] = range;
  const columns = new Map<number, Float32Array>();
  let si = 0;
  for (let c = 0; c < cols; c++) {
    const step = stepAt(c);
    while (si + 1 < snapshots.length && snapshots[si + 1].step <= step) si++;
    if (snapshots[si].step > step + 1e-9 && si === 0) continue;
    let col = columns.get(si);
    if (!col) {
      const raw = resampleColumn(snapshots[si], lo, hi, rows);
      let peak = 0;
      for (const v of raw) if (v > peak) peak = v;
      col = raw.map((v) => compress(v, peak));
      columns.set(si, col);
    }
    for (let r = 0; r < rows; r++) img[(rows - 1 - r) * cols + c] = col[r];
  }
  return img;
}
