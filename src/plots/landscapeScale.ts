// The colour and height scale of a loss landscape: optionally log10 of the loss, from the minimum to a high
// quantile (a few far corners of a landscape can be orders of magnitude above the rest and would flatten it).

export interface LandscapeScale {
  /** The values as plotted (log10 when logScale; non-finite stay NaN). */
  mapped: Float32Array;
  lo: number;
  hi: number;
  /** Inverse of the mapping, for labelling (loss from a plotted value). */
  invert(v: number): number;
}

export function landscapeScale(values: ArrayLike<number>, logScale: boolean, quantile = 0.98): LandscapeScale {
  const mapped = new Float32Array(values.length);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const m = logScale ? Math.log10(Math.max(v, 1e-12)) : v;
    mapped[i] = Number.isFinite(v) ? m : Number.NaN;
    if (Number.isFinite(mapped[i])) finite.push(mapped[i]);
  }
  finite.sort((a, b) => a - b);
  const lo = finite[0] ?? 0;
  const hi = finite.length > 0 ? finite[Math.min(finite.length - 1, Math.floor(quantile * (finite.length - 1)))] : 1;
  return { mapped, lo, hi: hi > lo ? hi : lo + 1, invert: (v) => (logScale ? 10 ** v : v) };
}

/** Bilinear sample of an n x n grid at fractional (row, column) indices (clamped to the grid). */
export function sampleGrid(values: ArrayLike<number>, n: number, row: number, col: number): number {
  const r = Math.max(0, Math.min(n - 1, row));
  const c = Math.max(0, Math.min(n - 1, col));
  const r0 = Math.min(n - 2, Math.floor(r));
  const c0 = Math.min(n - 2, Math.floor(c));
  const fr = r - r0;
  const fc = c - c0;
  const v = (i: number, j: number) => values[i * n + j];
  return (
    (1 - fr) * ((1 - fc) * v(r0, c0) + fc * v(r0, c0 + 1)) + fr * ((1 - fc) * v(r0 + 1, c0) + fc * v(r0 + 1, c0 + 1))
  );
}
