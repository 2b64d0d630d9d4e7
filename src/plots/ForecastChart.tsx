// Cards coming due on each of the next days, as bars (today first, overdue cards included today). Arrow keys read a
// day; the summary sentence gives the total, the busiest day and this week's load.
import { scaleLinear } from 'd3';
import { useId, useMemo, useRef } from 'react';
import { ChartAxes } from './ChartAxes';
import { withTicks } from './fixedTicks';
import { fmtInt } from './format';
import { useReadout } from './useReadout';
import { useWidth } from './useWidth';
import './plots.css';

const M = { top: 10, right: 10, bottom: 38, left: 40 };
const dayName = (i: number) => (i === 0 ? 'today' : i === 1 ? 'tomorrow' : `in ${i} days`);

export function forecastSummary(label: string, counts: number[]): string {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return `${label}: nothing due in the next ${counts.length} days.`;
  const peak = counts.indexOf(Math.max(...counts));
  const week = counts.slice(0, 7).reduce((a, b) => a + b, 0);
  return `${label}: ${fmtInt(total)} card${total === 1 ? '' : 's'} due in the next ${counts.length} days, ${fmtInt(counts[0])} today, ${fmtInt(week)} within a week; the most (${fmtInt(counts[peak])}) ${dayName(peak)}.`;
}

export function ForecastChart({ label, counts, height = 180 }: { label: string; counts: number[]; height?: number }) {
  const ref = useRef<HTMLElement>(null);
  const width = useWidth(ref, 560);
  const uid = useId();
  const n = counts.length;
  const peak = Math.max(1, ...counts);
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([0, n])
        .range([M.left, width - M.right]),
    [n, width],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([0, peak])
        .range([height - M.bottom, M.top])
        .nice(4),
    [peak, height],
  );
  const { index, setIndex, onKeyDown, onBlur } = useReadout(n);
  const text = (i: number) => `${dayName(i)}: ${fmtInt(counts[i])} due`;
  const summary = forecastSummary(label, counts);
  const bw = Math.max(1, x(1) - x(0));
  const yTicks = y.ticks(3).filter(Number.isInteger);
  return (
    <figure ref={ref} className="plot pl-chart" aria-label={label}>
      <div
        className="plot-frame pl-frame"
        role="slider"
        tabIndex={0}
        aria-label={`${label}: arrow keys read the days`}
        aria-describedby={`${uid}-s`}
        aria-valuemin={1}
        aria-valuemax={Math.max(1, n)}
        aria-valuenow={(index ?? 0) + 1}
        aria-valuetext={index !== null ? text(index) : summary}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      >
        <svg width={width} height={height} aria-hidden="true" onPointerLeave={() => setIndex(null)}>
          <ChartAxes
            x={withTicks(
              x,
              [0.5, 7.5, 14.5, 21.5, 28.5].filter((t) => t < n),
            )}
            y={withTicks(y, yTicks)}
            width={width}
            height={height}
            margin={M}
            xLabel="days from today"
            yLabel="cards"
            xFormat={(v) => (v < 1 ? 'today' : `+${Math.floor(v)}`)}
            yFormat={(v) => fmtInt(v)}
          />
          {counts.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: days are positional
            <g key={i} onPointerEnter={() => setIndex(i)}>
              <rect x={x(i)} y={M.top} width={bw} height={height - M.bottom - M.top} fill="transparent" />
              <rect
                className="pl-bar"
                x={x(i) + (bw > 5 ? 1 : 0)}
                y={y(c)}
                width={Math.max(1, bw - (bw > 5 ? 2 : 0))}
                height={Math.max(0, height - M.bottom - y(c))}
                style={{
                  fill: i === 0 ? 'var(--class-b)' : 'var(--accent)',
                  opacity: index === null || index === i ? 0.9 : 0.45,
                }}
              />
            </g>
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

export default ForecastChart;
