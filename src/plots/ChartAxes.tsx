// Axes for the Lab charts: grid lines, ticks and axis titles (with units) for linear or log scales.

import { fmt, fmtLogTick } from './format';
import type { Margin } from './GridAxes';

export interface AxisScale {
  (v: number): number;
  ticks(count?: number): number[];
  domain(): number[];
}

interface ChartAxesProps {
  x: AxisScale;
  y: AxisScale;
  width: number;
  height: number;
  margin: Margin;
  xLabel?: string;
  yLabel?: string;
  xTicks?: number;
  yTicks?: number;
  logY?: boolean;
  /** Draw horizontal/vertical grid lines (default both). */
  grid?: boolean;
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
}

/** Keep at most ~max log ticks: powers of ten only when the 1..9 ticks get crowded. */
export function logTicks(y: AxisScale, max = 7): number[] {
  const t = y.ticks();
  if (t.length <= max) return t;
  const pow = t.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  if (pow.length <= max) return pow.length >= 2 ? pow : t.slice(0, max);
  const every = Math.ceil(pow.length / max);
  return pow.filter((_, i) => i % every === 0);
}

export function ChartAxes({
  x,
  y,
  width,
  height,
  margin: m,
  xLabel,
  yLabel,
  xTicks = 6,
  yTicks = 5,
  logY = false,
  grid = true,
  xFormat = fmt,
  yFormat,
}: ChartAxesProps) {
  const yt = logY ? logTicks(y) : y.ticks(yTicks);
  const sci = logY && yt.some((t) => t < 0.01 || t >= 1e4);
  const yf = yFormat ?? (logY ? (v: number) => fmtLogTick(v, sci) : fmt);
  const bottom = height - m.bottom;
  return (
    <g className="pl-axes">
      {yt.map((t) => (
        <g key={`y${t}`} className="plot-grid">
          {grid && <line x1={m.left} x2={width - m.right} y1={y(t)} y2={y(t)} />}
          <text x={m.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
            {yf(t)}
          </text>
        </g>
      ))}
      {x.ticks(xTicks).map((t) => (
        <g key={`x${t}`} className="plot-grid">
          {grid && <line x1={x(t)} x2={x(t)} y1={m.top} y2={bottom} />}
          <text x={x(t)} y={bottom + 15} textAnchor="middle">
            {xFormat(t)}
          </text>
        </g>
      ))}
      <line className="pl-baseline" x1={m.left} x2={width - m.right} y1={bottom} y2={bottom} />
      {xLabel && (
        <text className="pl-axis-title" x={(m.left + width - m.right) / 2} y={height - 4} textAnchor="middle">
          {xLabel}
        </text>
      )}
      {yLabel && (
        <text
          className="pl-axis-title"
          transform={`translate(12 ${(m.top + bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          {yLabel}
        </text>
      )}
    </g>
  );
}
