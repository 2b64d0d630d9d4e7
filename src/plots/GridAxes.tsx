import type { ScaleLinear } from 'd3';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

interface GridAxesProps {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  width: number;
  height: number;
  margin: Margin;
  xTicks: number;
  yTicks: number;
}

/** Tick labels and grid lines for both axes of a line chart; the zero lines are drawn as axes. */
export function GridAxes({ x, y, width, height, margin: m, xTicks, yTicks }: GridAxesProps) {
  return (
    <>
      {y.ticks(yTicks).map((t) => (
        <g key={`y${t}`} className={t === 0 ? 'plot-axis' : 'plot-grid'}>
          <line x1={m.left} x2={width - m.right} y1={y(t)} y2={y(t)} />
          <text x={m.left - 8} y={y(t)} dy="0.32em" textAnchor="end">
            {t}
          </text>
        </g>
      ))}
      {x.ticks(xTicks).map((t) => (
        <g key={`x${t}`} className={t === 0 ? 'plot-axis' : 'plot-grid'}>
          <line x1={x(t)} x2={x(t)} y1={m.top} y2={height - m.bottom} />
          <text x={x(t)} y={height - m.bottom + 18} textAnchor="middle">
            {t}
          </text>
        </g>
      ))}
    </>
  );
}
