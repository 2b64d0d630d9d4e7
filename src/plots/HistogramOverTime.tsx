// A layer's value distribution over training: one histogram per snapshot, side by side as a heatmap (x: step,
// y: value, colour: density with log-ish scaling, so thin tails show next to a tall peak), with the share of dead
// units noted ("dead 43%").
import { scaleLinear } from 'd3';
import { type KeyboardEvent, memo, type PointerEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ChartAxes } from './ChartAxes';
import { prepareCanvas, scratchImage, useScratch } from './canvas';
import { densityLut } from './colors';
import { nearestIndex } from './downsample';
import { fmt, fmtInt, fmtPct } from './format';
import { type HistogramSnapshot, histogramImage, valueRange } from './histogram';
import { useChartTheme } from './theme';
import { useWidth } from './useWidth';
import './plots.css';

export type { HistogramSnapshot } from './histogram';

export interface HistogramOverTimeProps {
  /** The layer's title and accessible name, e.g. "Hidden 2 activations". */
  title: string;
  snapshots: HistogramSnapshot[];
  /** y axis title with units, e.g. "activation". */
  valueLabel?: string;
  xLabel?: string;
  height?: number;
  /** Fixed value range; default the union of the snapshots' ranges. */
  range?: [number, number];
}

const M = { top: 6, right: 10, bottom: 36, left: 50 };
const ROWS = 72;

export function histogramOverTimeSummary(title: string, snapshots: HistogramSnapshot[]): string {
  const last = snapshots[snapshots.length - 1];
  if (!last) return `${title}: no snapshots yet.`;
  const dead = last.dead === undefined ? '' : `, ${fmtPct(last.dead)} of units dead`;
  return `${title}: ${snapshots.length} snapshots up to step ${fmtInt(last.step)}; latest values from ${fmt(last.min)} to ${fmt(last.max)}${dead}.`;
}

const readout = (s: HistogramSnapshot) =>
  `step ${fmtInt(s.step)}: ${fmt(s.min)} to ${fmt(s.max)}${s.dead === undefined ? '' : `, dead ${fmtPct(s.dead)}`}`;

function HistogramOverTimeImpl({
  title,
  snapshots,
  valueLabel = 'value',
  xLabel = 'step',
  height = 170,
  range,
}: HistogramOverTimeProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref, 320);
  const theme = useChartTheme();
  const uid = useId();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scratch = useScratch();
  const [hover, setHover] = useState<number | null>(null);
  const plotW = Math.max(10, width - M.left - M.right);
  const plotH = Math.max(10, height - M.top - M.bottom);
  const lut = useMemo(() => densityLut(theme.surface2, theme.dark), [theme]);
  const vr = useMemo(() => range ?? valueRange(snapshots), [range, snapshots]);
  const first = snapshots[0]?.step ?? 0;
  const lastStep = snapshots[snapshots.length - 1]?.step ?? 1;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain(lastStep > first ? [first, lastStep] : [first - 1, first + 1])
        .range([M.left, M.left + plotW]),
    [first, lastStep, plotW],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain(vr)
        .range([M.top + plotH, M.top]),
    [vr, plotH],
  );

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ctx = prepareCanvas(canvas, plotW, plotH);
    if (!ctx || snapshots.length === 0) return;
    const cols = Math.max(1, Math.min(Math.round(plotW), 480));
    const stepAt = (c: number) => x.invert(M.left + ((c + 0.5) / cols) * plotW);
    const img = histogramImage(snapshots, cols, ROWS, stepAt, vr);
    const c = scratchImage(scratch.current, cols, ROWS, (rgba) => {
      for (let i = 0; i < img.length; i++) {
        const v = img[i];
        const o = i * 4;
        if (v < 0) {
          rgba[o + 3] = 0;
          continue;
        }
        const k = Math.round(v * 255) * 4;
        rgba[o] = lut[k];
        rgba[o + 1] = lut[k + 1];
        rgba[o + 2] = lut[k + 2];
        rgba[o + 3] = 255;
      }
    });
    if (!c) return;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(c, 0, 0, plotW, plotH);
  }, [snapshots, plotW, plotH, x, vr, lut, scratch]);

  const steps = useMemo(() => snapshots.map((s) => s.step), [snapshots]);
  const shown = hover === null ? null : snapshots[hover];
  const last = snapshots[snapshots.length - 1];
  const onPointer = (e: PointerEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const i = nearestIndex(steps, x.invert(M.left + e.clientX - box.left));
    setHover(i < 0 ? null : i);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const n = snapshots.length;
    if (!n) return;
    const cur = hover ?? n - 1;
    const next =
      e.key === 'ArrowLeft'
        ? cur - 1
        : e.key === 'ArrowRight'
          ? cur + 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    setHover(Math.max(0, Math.min(n - 1, next)));
  };
  const hx = shown ? x(shown.step) : 0;

  return (
    <figure ref={ref} className="plot pl-chart pl-hist-time" aria-label={title}>
      <p className="pl-title">
        {title}
        {last?.dead !== undefined && (
          <span className={`pl-note${last.dead >= 0.3 ? ' warn' : ''}`}>dead {fmtPct(last.dead)}</span>
        )}
      </p>
      <div
        className="plot-frame pl-frame"
        role="slider"
        aria-label={`${title}: arrow keys step through the snapshots`}
        aria-describedby={`${uid}-s`}
        aria-valuemin={first}
        aria-valuemax={lastStep}
        aria-valuenow={shown?.step ?? lastStep}
        aria-valuetext={shown ? readout(shown) : histogramOverTimeSummary(title, snapshots)}
        tabIndex={0}
        onKeyDown={onKey}
        onBlur={() => setHover(null)}
      >
        <div className="pl-stack" style={{ height }}>
          <canvas
            ref={canvasRef}
            className="pl-canvas"
            style={{ left: M.left, top: M.top, width: plotW, height: plotH }}
          />
          <svg width={width} height={height} aria-hidden="true">
            <rect className="pl-plot-border" x={M.left} y={M.top} width={plotW} height={plotH} />
            <ChartAxes
              x={x}
              y={y}
              width={width}
              height={height}
              margin={M}
              xLabel={xLabel}
              yLabel={valueLabel}
              xTicks={width < 400 ? 3 : 6}
              yTicks={4}
              grid={false}
              xFormat={fmtInt}
            />
            {shown && <line className="pl-hover-line" x1={hx} x2={hx} y1={M.top} y2={M.top + plotH} />}
            <rect
              x={M.left}
              y={M.top}
              width={plotW}
              height={plotH}
              fill="transparent"
              onPointerMove={onPointer}
              onPointerLeave={() => setHover(null)}
            />
          </svg>
        </div>
      </div>
      <p className="pl-readout" id={`${uid}-r`}>
        {shown ? readout(shown) : ' '}
      </p>
      <p id={`${uid}-s`} className="pl-sr-only">
        {histogramOverTimeSummary(title, snapshots)}
      </p>
    </figure>
  );
}

/** Memoised: re-renders only when its props change (the Lab re-renders often while training). */
export const HistogramOverTime = memo(HistogramOverTimeImpl);

export default HistogramOverTime;
