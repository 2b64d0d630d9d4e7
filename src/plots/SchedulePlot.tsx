// A small learning-rate-over-steps curve (values[i] is the rate at step i) with a marker at the current step.
import { scaleLinear, scaleLog } from 'd3';
import { memo, useId, useMemo, useRef } from 'react';
import { ChartAxes } from './ChartAxes';
import { downsample, extentOf, linePath } from './downsample';
import { fmt, fmtInt } from './format';
import { useWidth } from './useWidth';
import './plots.css';

export interface SchedulePlotProps {
  /** The rate at each step: values[i] is step i. */
  values: ArrayLike<number>;
  /** The current step, marked with a dot and a line. */
  step?: number;
  /** Accessible name; default "Learning rate schedule". */
  label?: string;
  height?: number;
  logY?: boolean;
  xLabel?: string;
  yLabel?: string;
}

const M = { top: 10, right: 12, bottom: 34, left: 52 };

export function scheduleSummary(label: string, values: ArrayLike<number>, step?: number): string {
  const n = values.length;
  if (n === 0) return `${label}: empty.`;
  const e = extentOf(values) ?? [0, 0];
  const now =
    step !== undefined && step >= 0 && step < n ? ` Now ${fmt(values[Math.floor(step)])} at step ${fmtInt(step)}.` : '';
  return `${label} over ${fmtInt(n)} steps, from ${fmt(values[0])} to ${fmt(values[n - 1])} (peak ${fmt(e[1])}).${now}`;
}

function SchedulePlotImpl({
  values,
  step,
  label = 'Learning rate schedule',
  height = 130,
  logY = false,
  xLabel = 'step',
  yLabel = 'learning rate',
}: SchedulePlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref, 320);
  const uid = useId();
  const n = values.length;
  const plotW = Math.max(10, width - M.left - M.right);
  const xs = useMemo(() => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    return a;
  }, [n]);
  const valid = useMemo(() => (logY ? (v: number) => v > 0 && Number.isFinite(v) : Number.isFinite), [logY]);
  const pts = useMemo(
    () => downsample(xs, values, 0, Math.max(1, n - 1), Math.ceil(plotW / 2), valid),
    [xs, values, n, plotW, valid],
  );
  const ext = useMemo(() => extentOf(pts.y, valid) ?? [0, 1], [pts, valid]);
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([0, Math.max(1, n - 1)])
        .range([M.left, M.left + plotW]),
    [n, plotW],
  );
  const y = useMemo(() => {
    const r: [number, number] = [height - M.bottom, M.top];
    if (logY)
      return scaleLog()
        .domain([ext[0] / 1.2, ext[1] * 1.2])
        .range(r);
    return scaleLinear()
      .domain([Math.min(0, ext[0]), ext[1] === ext[0] ? ext[1] + 1 : ext[1] * 1.06])
      .range(r)
      .nice(3);
  }, [ext, height, logY]);
  const d = useMemo(() => linePath(pts, x, y), [pts, x, y]);
  const area = useMemo(
    () => (logY || !d ? '' : `${d}L${x(pts.x[pts.x.length - 1] ?? 0)},${y(0)}L${x(0)},${y(0)}Z`),
    [d, logY, x, y, pts],
  );
  const s = step !== undefined && step >= 0 && step < n ? Math.floor(step) : null;
  const sv = s === null ? Number.NaN : values[s];

  return (
    <figure ref={ref} className="plot pl-chart pl-schedule" aria-label={label} aria-describedby={`${uid}-s`}>
      <svg width={width} height={height} aria-hidden="true">
        <ChartAxes
          x={x}
          y={y}
          width={width}
          height={height}
          margin={M}
          xLabel={xLabel}
          yLabel={yLabel}
          logY={logY}
          xTicks={width < 400 ? 3 : 5}
          yTicks={3}
          xFormat={fmtInt}
          yFormat={logY ? undefined : (v) => fmt(v)}
        />
        {area && <path d={area} className="pl-schedule-area" />}
        <path d={d} className="pl-series pl-schedule-line" />
        {s !== null && valid(sv) && (
          <g className="pl-schedule-now">
            <line x1={x(s)} x2={x(s)} y1={M.top} y2={height - M.bottom} />
            <circle cx={x(s)} cy={y(sv)} r={4} />
            <text
              x={x(s) + (x(s) > M.left + plotW * 0.7 ? -7 : 7)}
              y={Math.max(M.top + 10, y(sv) - 8)}
              textAnchor={x(s) > M.left + plotW * 0.7 ? 'end' : 'start'}
            >
              {fmt(sv)}
            </text>
          </g>
        )}
      </svg>
      <p id={`${uid}-s`} className="pl-sr-only">
        {scheduleSummary(label, values, step)}
      </p>
    </figure>
  );
}

/** Memoised: re-renders only when its props change (the Lab re-renders often while training). */
export const SchedulePlot = memo(SchedulePlotImpl);

export default SchedulePlot;
