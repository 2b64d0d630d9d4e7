// A plain histogram (e.g. a layer's weights): equal-width bins between min and max, as bars; hover or arrow keys
// read a bin's range and count.
import { scaleLinear } from 'd3';
import { type KeyboardEvent, memo, useId, useMemo, useRef, useState } from 'react';
import { ChartAxes } from './ChartAxes';
import { fmt, fmtInt } from './format';
import { useWidth } from './useWidth';
import './plots.css';

export interface HistogramProps {
  /** Accessible name and title, e.g. "Layer 1 weights". */
  label: string;
  counts: ArrayLike<number>;
  /** Low edge of the first bin and high edge of the last. */
  min: number;
  max: number;
  xLabel?: string;
  yLabel?: string;
  /** Bar colour (any CSS colour); default the accent. */
  color?: string;
  height?: number;
  /** Show the title above the plot (default true). */
  showTitle?: boolean;
}

const M = { top: 8, right: 10, bottom: 36, left: 50 };

export function histogramSummary(label: string, counts: ArrayLike<number>, min: number, max: number): string {
  let total = 0;
  let peak = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i];
    if (counts[i] > counts[peak]) peak = i;
  }
  if (counts.length === 0 || total === 0) return `${label}: no values.`;
  const w = (max - min) / counts.length;
  return `${label}: ${fmtInt(total)} values from ${fmt(min)} to ${fmt(max)}; the most (${fmtInt(counts[peak])}) between ${fmt(min + peak * w)} and ${fmt(min + (peak + 1) * w)}.`;
}

function HistogramImpl({
  label,
  counts,
  min,
  max,
  xLabel = 'value',
  yLabel = 'count',
  color = 'var(--accent)',
  height = 160,
  showTitle = true,
}: HistogramProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref, 320);
  const uid = useId();
  const [hover, setHover] = useState<number | null>(null);
  const k = counts.length;
  const peak = useMemo(() => {
    let p = 0;
    for (let i = 0; i < k; i++) if (counts[i] > p) p = counts[i];
    return p;
  }, [counts, k]);
  const lo = Number.isFinite(min) ? min : 0;
  const hi = Number.isFinite(max) && max > lo ? max : lo + 1;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([lo, hi])
        .range([M.left, width - M.right]),
    [lo, hi, width],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([0, peak || 1])
        .range([height - M.bottom, M.top])
        .nice(4),
    [peak, height],
  );
  const bw = (hi - lo) / Math.max(1, k);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const cur = hover ?? Math.floor(k / 2);
    const next = e.key === 'ArrowLeft' ? cur - 1 : e.key === 'ArrowRight' ? cur + 1 : null;
    if (next === null) return;
    e.preventDefault();
    setHover(Math.max(0, Math.min(k - 1, next)));
  };
  const binText = (i: number) => `${fmt(lo + i * bw)} to ${fmt(lo + (i + 1) * bw)}: ${fmtInt(counts[i])} values`;
  const pxW = Math.max(1, x(lo + bw) - x(lo));
  const gap = pxW > 4 ? 1 : 0;

  return (
    <figure ref={ref} className="plot pl-chart" aria-label={label}>
      {showTitle && <p className="pl-title">{label}</p>}
      <div
        className="plot-frame pl-frame"
        role="slider"
        aria-label={`${label}: arrow keys read the bins`}
        aria-describedby={`${uid}-s`}
        aria-valuemin={1}
        aria-valuemax={Math.max(1, k)}
        aria-valuenow={(hover ?? 0) + 1}
        aria-valuetext={hover !== null && hover < k ? binText(hover) : histogramSummary(label, counts, lo, hi)}
        tabIndex={0}
        onKeyDown={onKey}
        onBlur={() => setHover(null)}
      >
        <svg width={width} height={height} aria-hidden="true" onPointerLeave={() => setHover(null)}>
          <ChartAxes
            x={x}
            y={y}
            width={width}
            height={height}
            margin={M}
            xLabel={xLabel}
            yLabel={yLabel}
            xTicks={width < 400 ? 4 : 6}
            yTicks={3}
            yFormat={(v) => fmt(v)}
          />
          {Array.from({ length: k }, (_, i) => {
            const x0 = x(lo + i * bw);
            const yv = y(counts[i]);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: bins are positional
              <g key={i} onPointerEnter={() => setHover(i)}>
                <rect x={x0} y={M.top} width={pxW} height={height - M.bottom - M.top} fill="transparent" />
                <rect
                  className="pl-bar"
                  x={x0 + gap / 2}
                  y={yv}
                  width={Math.max(0.5, pxW - gap)}
                  height={Math.max(0, height - M.bottom - yv)}
                  style={{ fill: color, opacity: hover === null || hover === i ? 0.85 : 0.45 }}
                />
              </g>
            );
          })}
        </svg>
      </div>
      <p className="pl-readout" id={`${uid}-r`}>
        {hover !== null && hover < k ? binText(hover) : ' '}
      </p>
      <p id={`${uid}-s`} className="pl-sr-only">
        {histogramSummary(label, counts, lo, hi)}
      </p>
    </figure>
  );
}

/** Memoised: re-renders only when its props change (the Lab re-renders often while training). */
export const Histogram = memo(HistogramImpl);

export default Histogram;
