// Long series drawn cheaply: keep, per horizontal pixel bucket, the first, lowest, highest and last point (M4), so a
// 100k-point loss curve becomes at most 4 points per pixel and looks the same. Points whose y is not drawable (NaN,
// ±Infinity, or ≤ 0 on a log axis) become gaps, marked by a NaN pair in the output. x must be ascending.

export interface XY {
  x: number[];
  y: number[];
}

/** First index i with x[i] >= v (x ascending); n when none. */
export function lowerBound(x: ArrayLike<number>, v: number, n = x.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the point whose x is nearest to v (x ascending), or -1 for an empty series. */
export function nearestIndex(x: ArrayLike<number>, v: number, n = x.length): number {
  if (n === 0) return -1;
  const i = lowerBound(x, v, n);
  if (i <= 0) return 0;
  if (i >= n) return n - 1;
  return v - x[i - 1] <= x[i] - v ? i - 1 : i;
}

const finite = (v: number) => Number.isFinite(v);

/**
 * Points of (x, y) within [x0, x1] (plus one neighbour each side so the line runs to the edges), reduced to at most
 * about 4 per bucket when there are more than 4 × buckets of them.
 */
export function downsample(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  x0: number,
  x1: number,
  buckets: number,
  valid: (v: number) => boolean = finite,
): XY {
  const n = Math.min(x.length, y.length);
  const out: XY = { x: [], y: [] };
  if (n === 0 || !(x1 >= x0)) return out;
  const i0 = Math.max(0, lowerBound(x, x0, n) - 1);
  const i1 = Math.min(n, lowerBound(x, x1, n) + 1);
  let gap = true; // the last thing emitted was a gap (or nothing)
  const pushGap = () => {
    if (!gap) {
      out.x.push(Number.NaN);
      out.y.push(Number.NaN);
      gap = true;
    }
  };
  const push = (i: number) => {
    out.x.push(x[i]);
    out.y.push(y[i]);
    gap = false;
  };
  if (i1 - i0 <= buckets * 4) {
    for (let i = i0; i < i1; i++) {
      if (valid(y[i]) && Number.isFinite(x[i])) push(i);
      else pushGap();
    }
    return out;
  }
  const scale = buckets / (x1 - x0 || 1);
  let bucket = Number.NaN;
  let first = -1;
  let last = -1;
  let lo = -1;
  let hi = -1;
  const flush = () => {
    if (first < 0) return;
    const idx = [first, lo, hi, last].sort((a, b) => a - b);
    let prev = -1;
    for (const i of idx) {
      if (i !== prev) push(i);
      prev = i;
    }
    first = -1;
  };
  for (let i = i0; i < i1; i++) {
    const v = y[i];
    if (!valid(v) || !Number.isFinite(x[i])) {
      flush();
      pushGap();
      bucket = Number.NaN;
      continue;
    }
    const b = Math.floor((x[i] - x0) * scale);
    if (b !== bucket) {
      flush();
      bucket = b;
    }
    if (first < 0) {
      first = last = lo = hi = i;
    } else {
      last = i;
      if (v < y[lo]) lo = i;
      if (v > y[hi]) hi = i;
    }
  }
  flush();
  return out;
}

/** [min, max] of the drawable values in ys (NaN gaps skipped); undefined when there are none. */
export function extentOf(ys: ArrayLike<number>, valid: (v: number) => boolean = finite): [number, number] | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i];
    if (!valid(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** An SVG path through projected points; NaN entries start a new subpath. */
export function linePath(pts: XY, sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  let move = true;
  for (let i = 0; i < pts.x.length; i++) {
    const xv = pts.x[i];
    if (Number.isNaN(xv)) {
      move = true;
      continue;
    }
    const px = sx(xv);
    const py = sy(pts.y[i]);
    d += `${move ? 'M' : 'L'}${Math.round(px * 10) / 10},${Math.round(py * 10) / 10}`;
    move = false;
  }
  return d;
}
