// True retention per week (the share of scheduled reviews not forgotten) against the desired retention the schedule
// aims for: points joined by a line for weeks with reviews, the target as a dashed line with its own label, and a
// sentence saying how the two compare. Weeks without reviews are gaps, not zeros.
import { line, scaleLinear } from 'd3';
import { useId, useMemo, useRef } from 'react';
import { ChartAxes } from './ChartAxes';
import { withTicks } from './fixedTicks';
import { fmtPct } from './format';
import { useReadout } from './useReadout';
import { useWidth } from './useWidth';
import './plots.css';

export interface RetentionWeek {
  week: string;
  reviews: number;
  passed: number;
}

const M = { top: 12, right: 12, bottom: 38, left: 44 };
const short = (k: string) => {
  const [y, m, d] = k.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
};

export function retentionSummary(label: string, weeks: RetentionWeek[], desired: number): string {
  const reviews = weeks.reduce((a, w) => a + w.reviews, 0);
  const passed = weeks.reduce((a, w) => a + w.passed, 0);
  if (!reviews)
    return `${label}: no scheduled reviews yet (cards still in learning do not count); the target is ${fmtPct(desired)}.`;
  const r = passed / reviews;
  const cmp = Math.abs(r - desired) < 0.02 ? 'on target' : r > desired ? 'above the target' : 'below the target';
  return `${label}: ${fmtPct(r)} of ${reviews} scheduled review${reviews === 1 ? '' : 's'} recalled over ${weeks.length} weeks, ${cmp} of ${fmtPct(desired)}.`;
}

export function RetentionChart({
  label,
  weeks,
  desired,
  height = 190,
}: {
  label: string;
  weeks: RetentionWeek[];
  desired: number;
  height?: number;
}) {
  const ref = useRef<HTMLElement>(null);
  const width = useWidth(ref, 560);
  const uid = useId();
  const n = weeks.length;
  const rates = weeks.map((w) => (w.reviews ? w.passed / w.reviews : null));
  const lo = Math.min(0.5, desired - 0.1, ...rates.filter((r): r is number => r !== null));
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([0, Math.max(1, n - 1)])
        .range([M.left + 8, width - M.right - 8]),
    [n, width],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([Math.floor(lo * 10) / 10, 1])
        .range([height - M.bottom, M.top]),
    [lo, height],
  );
  const path = line<number | null>()
    .defined((r) => r !== null)
    .x((_, i) => x(i))
    .y((r) => y(r ?? 0))(rates);
  const { index, setIndex, onKeyDown, onBlur } = useReadout(n);
  const text = (i: number) =>
    weeks[i].reviews
      ? `Week of ${short(weeks[i].week)}: ${fmtPct(rates[i] ?? 0)} (${weeks[i].passed} of ${weeks[i].reviews})`
      : `Week of ${short(weeks[i].week)}: no scheduled reviews`;
  const summary = retentionSummary(label, weeks, desired);
  const every = Math.max(1, Math.ceil(n / (width < 420 ? 3 : 6)));
  const xt = weeks.map((_, i) => i).filter((i) => (n - 1 - i) % every === 0);
  return (
    <figure ref={ref} className="plot pl-chart" aria-label={label}>
      <div
        className="plot-frame pl-frame"
        role="slider"
        tabIndex={0}
        aria-label={`${label}: arrow keys read the weeks`}
        aria-describedby={`${uid}-s`}
        aria-valuemin={1}
        aria-valuemax={Math.max(1, n)}
        aria-valuenow={(index ?? n - 1) + 1}
        aria-valuetext={index !== null ? text(index) : summary}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      >
        <svg width={width} height={height} aria-hidden="true" onPointerLeave={() => setIndex(null)}>
          <ChartAxes
            x={withTicks(x, xt)}
            y={y}
            width={width}
            height={height}
            margin={M}
            xLabel="week starting"
            yLabel="recalled"
            yTicks={4}
            xFormat={(i) => (weeks[i] ? short(weeks[i].week) : '')}
            yFormat={(v) => fmtPct(v)}
          />
          <g className="pl-target">
            <line x1={M.left} x2={width - M.right} y1={y(desired)} y2={y(desired)} />
            <text x={width - M.right - 2} y={y(desired) - 5} textAnchor="end">
              target {fmtPct(desired)}
            </text>
          </g>
          {path && <path className="pl-retention-line" d={path} />}
          {rates.map((r, i) =>
            r === null ? null : (
              <circle
                // biome-ignore lint/suspicious/noArrayIndexKey: weeks are positional
                key={i}
                className={`pl-retention-dot${index === i ? ' active' : ''}`}
                cx={x(i)}
                cy={y(r)}
                r={index === i ? 5 : 3.5}
              />
            ),
          )}
          {weeks.map((w, i) => (
            <rect
              key={w.week}
              x={x(i) - (x(1) - x(0)) / 2}
              y={M.top}
              width={Math.max(1, x(1) - x(0))}
              height={height - M.top - M.bottom}
              fill="transparent"
              onPointerEnter={() => setIndex(i)}
            />
          ))}
        </svg>
      </div>
      <p className="pl-readout">{index !== null ? text(index) : ' '}</p>
      <p id={`${uid}-s`} className="pl-summary">
        {summary}
      </p>
    </figure>
  );
}

export default RetentionChart;
