// Several series on shared axes (loss, accuracy, learning rate, per-layer gradient norms): min/max-per-pixel
// downsampling keeps 100k-point series cheap, a crosshair (mouse or arrow keys) lists every series' value at that
// step, vertical markers note events such as divergence. Takes data only; knows nothing of training.
import { scaleLinear, scaleLog } from 'd3';
import { type KeyboardEvent, memo, type PointerEvent, useId, useMemo, useRef, useState } from 'react';
import { ChartAxes } from './ChartAxes';
import { categorical, depthColors } from './colors';
import { downsample, extentOf, linePath, nearestIndex, type XY } from './downsample';
import { fmt, fmtInt } from './format';
import { useChartTheme } from './theme';
import { useWidth } from './useWidth';
import './plots.css';

export interface LineSeries {
  id: string;
  label: string;
  /** Any CSS colour, including var(--class-a); omitted: taken from the chart's palette by series index. */
  color?: string;
  dashed?: boolean;
  /** Ascending x (e.g. steps). */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface LineMarker {
  x: number;
  label: string;
  tone?: 'danger' | 'muted' | 'accent';
}

export interface LineChartProps {
  /** The accessible name, e.g. "Loss". */
  label: string;
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  xDomain?: [number, number];
  yDomain?: [number, number];
  markers?: LineMarker[];
  height?: number;
  /** Colours for series without one: 'categorical' (theme classes, then Okabe-Ito) or 'depth' (viridis by index). */
  palette?: 'categorical' | 'depth';
  legend?: boolean;
  formatY?: (v: number) => string;
  formatX?: (v: number) => string;
}

const M = { top: 14, right: 16, bottom: 40, left: 56 };

/** "Validation loss 0.213 at step 1,200": the last drawable value of each series. */
export function lineSummary(label: string, series: LineSeries[], xLabel: string, formatY = fmt): string {
  const parts: string[] = [];
  for (const s of series) {
    const n = Math.min(s.x.length, s.y.length);
    let i = n - 1;
    while (i >= 0 && !Number.isFinite(s.y[i])) i--;
    if (i < 0) parts.push(`${s.label}: no data yet`);
    else parts.push(`${s.label} ${formatY(s.y[i])} at ${xLabel.toLowerCase()} ${fmtInt(s.x[i])}`);
  }
  if (parts.length === 0) return `${label}: no data yet.`;
  const shown = parts.length > 6 ? [...parts.slice(0, 6), `and ${parts.length - 6} more series`] : parts;
  return `${label}. ${shown.join('; ')}.`;
}

function LineChartImpl({
  label,
  series,
  xLabel,
  yLabel,
  logY = false,
  xDomain,
  yDomain,
  markers = [],
  height = 240,
  palette = 'categorical',
  legend = true,
  formatY = fmt,
  formatX = fmtInt,
}: LineChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const theme = useChartTheme();
  const uid = useId();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [hoverX, setHoverX] = useState<number | null>(null);
  const plotW = Math.max(10, width - M.left - M.right);

  const colors = useMemo(() => {
    const depth = depthColors(series.length, theme.dark);
    return series.map(
      (s, i) =>
        s.color ??
        (palette === 'depth' ? depth[i] : i === 0 ? 'var(--class-a)' : i === 1 ? 'var(--class-b)' : categorical(i - 2)),
    );
  }, [series, palette, theme.dark]);

  const visible = useMemo(() => series.filter((s) => !hidden.has(s.id)), [series, hidden]);

  const xd = useMemo<[number, number]>(() => {
    if (xDomain) return xDomain;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const s of visible) {
      const n = Math.min(s.x.length, s.y.length);
      if (n === 0) continue;
      lo = Math.min(lo, s.x[0]);
      hi = Math.max(hi, s.x[n - 1]);
    }
    // Steps are whole numbers: an empty or one-point series still gets an axis of whole steps.
    if (!(lo <= hi)) return [0, 10];
    return lo === hi ? [Math.max(0, lo - 5), hi + 5] : [lo, hi];
  }, [visible, xDomain]);

  const valid = useMemo(() => (logY ? (v: number) => v > 0 && Number.isFinite(v) : Number.isFinite), [logY]);
  const reduced = useMemo(() => {
    const m = new Map<string, XY>();
    for (const s of visible) m.set(s.id, downsample(s.x, s.y, xd[0], xd[1], Math.ceil(plotW / 2), valid));
    return m;
  }, [visible, xd, plotW, valid]);

  const yd = useMemo<[number, number]>(() => {
    if (yDomain) return yDomain;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const pts of reduced.values()) {
      const e = extentOf(pts.y, valid);
      if (e) {
        lo = Math.min(lo, e[0]);
        hi = Math.max(hi, e[1]);
      }
    }
    if (!(lo <= hi)) return logY ? [0.1, 10] : [0, 1];
    if (logY) return lo === hi ? [lo / 2, hi * 2] : [lo / 1.15, hi * 1.15];
    // A constant series (a fixed learning rate) sits mid-chart with a scale of its own size, not ±1 around 0.01.
    if (lo === hi) return lo === 0 ? [-1, 1] : [Math.min(0, lo * 2), Math.max(0, hi * 2)];
    return [lo, hi];
  }, [reduced, yDomain, logY, valid]);

  const x = useMemo(
    () =>
      scaleLinear()
        .domain(xd)
        .range([M.left, M.left + plotW]),
    [xd, plotW],
  );
  const y = useMemo(() => {
    const r: [number, number] = [height - M.bottom, M.top];
    return logY ? scaleLog().domain(yd).range(r) : scaleLinear().domain(yd).range(r).nice(5);
  }, [yd, height, logY]);

  const paths = useMemo(
    () => visible.map((s) => ({ s, d: linePath(reduced.get(s.id) ?? { x: [], y: [] }, x, (v) => y(v)) })),
    [visible, reduced, x, y],
  );

  // Crosshair: snap to the nearest x of the longest visible series.
  const hover = useMemo(() => {
    if (hoverX === null) return null;
    const ref0 = visible.reduce<LineSeries | undefined>(
      (a, s) => (!a || Math.min(s.x.length, s.y.length) > Math.min(a.x.length, a.y.length) ? s : a),
      undefined,
    );
    if (!ref0) return null;
    const i0 = nearestIndex(ref0.x, hoverX, Math.min(ref0.x.length, ref0.y.length));
    if (i0 < 0) return null;
    const xv = ref0.x[i0];
    const rows = visible.map((s) => {
      const n = Math.min(s.x.length, s.y.length);
      const i = nearestIndex(s.x, xv, n);
      const yv = i >= 0 && Math.abs(s.x[i] - xv) <= (xd[1] - xd[0]) / 50 ? s.y[i] : Number.NaN;
      return { s, yv };
    });
    return { xv, rows };
  }, [hoverX, visible, xd]);

  const onPointer = (e: PointerEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    setHoverX(x.invert(M.left + e.clientX - box.left));
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const span = xd[1] - xd[0];
    const stepBy = (e.shiftKey ? 0.1 : 0.01) * span;
    const cur = hoverX ?? xd[1];
    let next: number | null | undefined;
    if (e.key === 'ArrowLeft') next = cur - stepBy;
    else if (e.key === 'ArrowRight') next = cur + stepBy;
    else if (e.key === 'Home') next = xd[0];
    else if (e.key === 'End') next = xd[1];
    else if (e.key === 'Escape') next = null;
    if (next === undefined) return;
    e.preventDefault();
    setHoverX(next === null ? null : Math.max(xd[0], Math.min(xd[1], next)));
  };

  const summary = useMemo(() => lineSummary(label, visible, xLabel, formatY), [label, visible, xLabel, formatY]);
  const hx = hover ? x(hover.xv) : 0;
  const tipLeft = hx > M.left + plotW * 0.6;
  const colorOf = (s: LineSeries) => colors[series.indexOf(s)];

  return (
    <figure className="plot pl-chart" aria-label={label}>
      <div
        ref={ref}
        className="plot-frame pl-frame"
        role="slider"
        tabIndex={0}
        onKeyDown={onKey}
        onFocus={() => setHoverX((h) => h ?? xd[1])}
        onBlur={() => setHoverX(null)}
        aria-describedby={`${uid}-sum`}
        aria-label={`${label}: arrow keys move the crosshair`}
        aria-valuemin={xd[0]}
        aria-valuemax={xd[1]}
        aria-valuenow={hover?.xv ?? xd[1]}
        aria-valuetext={
          hover
            ? `${xLabel} ${formatX(hover.xv)}: ${hover.rows.map(({ s, yv }) => `${s.label} ${formatY(yv)}`).join(', ')}`
            : summary
        }
      >
        <svg width={width} height={height} aria-hidden="true">
          <defs>
            <clipPath id={`${uid}-clip`}>
              <rect x={M.left} y={M.top - 2} width={plotW} height={height - M.top - M.bottom + 4} />
            </clipPath>
          </defs>
          <ChartAxes
            x={x}
            y={y}
            width={width}
            height={height}
            margin={M}
            xLabel={xLabel}
            yLabel={yLabel}
            logY={logY}
            xTicks={width < 480 ? 4 : 7}
            yTicks={height < 200 ? 4 : 5}
            xFormat={formatX}
            yFormat={logY ? undefined : formatY}
          />
          {markers.map((mk) => {
            const mx = x(mk.x);
            if (!(mx >= M.left && mx <= M.left + plotW)) return null;
            const flip = mx > M.left + plotW * 0.7;
            return (
              <g key={`${mk.x}-${mk.label}`} className={`pl-marker pl-marker-${mk.tone ?? 'danger'}`}>
                <line x1={mx} x2={mx} y1={M.top} y2={height - M.bottom} />
                <text x={mx + (flip ? -5 : 5)} y={M.top + 10} textAnchor={flip ? 'end' : 'start'}>
                  {mk.label}
                </text>
              </g>
            );
          })}
          <g clipPath={`url(#${uid}-clip)`}>
            {paths.map(({ s, d }) => (
              <path
                key={s.id}
                d={d}
                className="pl-series"
                style={{ stroke: colorOf(s), strokeDasharray: s.dashed ? '5 4' : undefined }}
              />
            ))}
          </g>
          {hover && (
            <g className="pl-crosshair">
              <line x1={hx} x2={hx} y1={M.top} y2={height - M.bottom} />
              {hover.rows.map(({ s, yv }) =>
                valid(yv) ? <circle key={s.id} cx={hx} cy={y(yv)} r={3.5} style={{ fill: colorOf(s) }} /> : null,
              )}
            </g>
          )}
          <rect
            x={M.left}
            y={M.top}
            width={plotW}
            height={Math.max(0, height - M.top - M.bottom)}
            fill="transparent"
            onPointerMove={onPointer}
            onPointerDown={onPointer}
            onPointerLeave={() => setHoverX(null)}
          />
        </svg>
        {hover && (
          <div
            className="pl-tooltip"
            style={{
              top: M.top,
              left: tipLeft ? undefined : hx + 10,
              right: tipLeft ? width - hx + 10 : undefined,
            }}
          >
            <div className="pl-tooltip-head">
              {xLabel} {formatX(hover.xv)}
            </div>
            {hover.rows.slice(0, 14).map(({ s, yv }) => (
              <div key={s.id} className="pl-tooltip-row">
                <span className={`pl-swatch${s.dashed ? ' dashed' : ''}`} style={{ borderColor: colorOf(s) }} />
                <span className="pl-tooltip-label">{s.label}</span>
                <span className="pl-tooltip-value">{formatY(yv)}</span>
              </div>
            ))}
            {hover.rows.length > 14 && <div className="pl-tooltip-more">+{hover.rows.length - 14} more</div>}
          </div>
        )}
      </div>
      <p id={`${uid}-sum`} className="pl-sr-only">
        {summary}
      </p>
      {legend && series.length > 0 && (
        <ul className={`pl-legend${series.length > 6 ? ' compact' : ''}`} aria-label={`${label} series`}>
          {series.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                className="pl-legend-item"
                aria-pressed={!hidden.has(s.id)}
                title={hidden.has(s.id) ? `Show ${s.label}` : `Hide ${s.label}`}
                onClick={() =>
                  setHidden((h) => {
                    const next = new Set(h);
                    if (next.has(s.id)) next.delete(s.id);
                    else next.add(s.id);
                    return next;
                  })
                }
              >
                <span className={`pl-swatch${s.dashed ? ' dashed' : ''}`} style={{ borderColor: colors[i] }} />
                {s.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

/** Memoised: re-renders only when its props change (the Lab re-renders often while training). */
export const LineChart = memo(LineChartImpl);

export default LineChart;
