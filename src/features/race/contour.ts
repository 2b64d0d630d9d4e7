// The surface sampled on a grid and cut into log-spaced contour bands (d3-contour). Pure: no DOM.
import { contours } from 'd3';
import type { Surface } from '../../../engine/index';

export interface ContourField {
  /** Grid cells per side; values are row-major, row 0 at view.y[0]. */
  n: number;
  levels: number[];
  bands: ReturnType<ReturnType<typeof contours>>;
}

/** f - min over an n x n grid of the view box, with `count` levels spaced evenly in log10 between a low percentile
 * and the largest value: valleys (where optimizers spend their time) get as many lines as the walls. */
export function contourField(s: Surface, n = 120, count = 18): ContourField {
  const values = new Float64Array(n * n);
  const [x0, x1] = s.view.x;
  const [y0, y1] = s.view.y;
  let max = 0;
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      const x = x0 + ((c + 0.5) / n) * (x1 - x0);
      const y = y0 + ((r + 0.5) / n) * (y1 - y0);
      const v = Math.max(0, s.f(x, y) - s.minValue);
      values[r * n + c] = v;
      if (Number.isFinite(v)) max = Math.max(max, v);
    }
  const sorted = Array.from(values)
    .filter((v) => v > 0 && Number.isFinite(v))
    .sort((a, b) => a - b);
  const lo = Math.max(sorted[Math.floor(sorted.length * 0.005)] ?? 1e-3, max * 1e-8);
  const a = Math.log10(lo);
  const b = Math.log10(max);
  const levels = Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / (count - 1)));
  const bands = contours().size([n, n]).thresholds(levels)(Array.from(values));
  return { n, levels, bands };
}
