// A classifier's (or regressor's) output over the input plane: a canvas heatmap of a res × res grid of outputs with
// the data on top (training points filled, validation outlined, misclassified ringed), axes in data coordinates,
// and, when onAddPoint is given, click (or arrow keys + Enter) to add a point.
import { scaleLinear } from 'd3';
import { type KeyboardEvent, type MouseEvent, memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ChartAxes } from './ChartAxes';
import { paintValues, prepareCanvas, scratchImage, useScratch } from './canvas';
import { classPalette, divergingLut, lutIndex, opacityLut, parseColor, type RGB, twoClassLut } from './colors';
import { fmt, fmtInt } from './format';
import { type ChartTheme, useChartTheme } from './theme';
import { useWidth } from './useWidth';
import './plots.css';

export interface PointSet {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Class index (classification) or target value (regression). */
  label: ArrayLike<number>;
  /** The model's predicted class, to mark misclassified points. */
  predicted?: ArrayLike<number>;
}

export interface DecisionBoundaryProps {
  /** Accessible name; default "Decision boundary". */
  label?: string;
  /** res × res × outputs, index (row * res + col) * outputs; row 0 is at yRange[0] (the bottom). */
  grid: Float32Array;
  res: number;
  /** Values per grid cell: 1 (sigmoid probability or regression value) or k (class probabilities). */
  outputs: number;
  kind?: 'classes' | 'regression';
  xRange: [number, number];
  yRange: [number, number];
  /** Regression colour range; default symmetric around 0 from the grid. */
  valueRange?: [number, number];
  train?: PointSet;
  validation?: PointSet;
  markMisclassified?: boolean;
  step?: number;
  classNames?: string[];
  xLabel?: string;
  yLabel?: string;
  /** Largest side of the square plot in CSS pixels (default 380). */
  size?: number;
  onAddPoint?: (x: number, y: number, info: { shiftKey: boolean }) => void;
}

const M = { top: 8, right: 10, bottom: 36, left: 44 };

function countMisclassified(p?: PointSet): number {
  if (!p?.predicted) return 0;
  let n = 0;
  const len = Math.min(p.label.length, p.predicted.length);
  for (let i = 0; i < len; i++) if (p.predicted[i] !== p.label[i]) n++;
  return n;
}

export function boundarySummary(p: {
  kind: 'classes' | 'regression';
  classes: number;
  step?: number;
  train?: PointSet;
  validation?: PointSet;
  markMisclassified?: boolean;
  range?: [number, number];
}): string {
  const head = p.kind === 'regression' ? 'Regression output' : 'Decision boundary';
  const at = p.step === undefined ? '' : ` at step ${fmtInt(p.step)}`;
  const parts: string[] = [];
  if (p.kind === 'classes') parts.push(`${p.classes} classes`);
  else if (p.range) parts.push(`values from ${fmt(p.range[0])} to ${fmt(p.range[1])}`);
  parts.push(`${fmtInt(p.train?.x.length ?? 0)} training points`);
  if (p.validation) parts.push(`${fmtInt(p.validation.x.length)} validation points`);
  if (p.markMisclassified && p.kind === 'classes') {
    const wrong = countMisclassified(p.train) + countMisclassified(p.validation);
    parts.push(`${fmtInt(wrong)} misclassified`);
  }
  return `${head}${at}: ${parts.join(', ')}.`;
}

/** Colour tables for the current theme and class count. */
function useLuts(theme: ChartTheme, classes: number) {
  return useMemo(() => {
    const bg = theme.surface;
    const palette = classPalette(classes, theme.css.classA, theme.css.classB).map((c) => parseColor(c, theme.text));
    return {
      two: twoClassLut(theme.classA, theme.classB, bg),
      perClass: palette.map((c) => opacityLut(c, bg)),
      diverging: divergingLut(theme.classBStrong, bg, theme.classAStrong),
      palette,
    };
  }, [theme, classes]);
}

/** Fill RGBA for the grid (top row first) by the kind of output. */
export function paintBoundary(
  out: Uint8ClampedArray,
  grid: Float32Array,
  res: number,
  outputs: number,
  kind: 'classes' | 'regression',
  luts: { two: Uint8ClampedArray; perClass: Uint8ClampedArray[]; diverging: Uint8ClampedArray },
  range: [number, number],
): void {
  if (kind === 'regression' || (outputs === 1 && kind !== 'classes')) {
    paintValues(out, grid, res, res, luts.diverging, range[0], range[1], { stride: outputs, flipY: true });
    return;
  }
  if (outputs === 1) {
    paintValues(out, grid, res, res, luts.two, 0, 1, { stride: 1, flipY: true });
    return;
  }
  const k = outputs;
  for (let r = 0; r < res; r++) {
    const dst = (res - 1 - r) * res;
    for (let c = 0; c < res; c++) {
      const base = (r * res + c) * k;
      let lut: Uint8ClampedArray;
      let idx: number;
      if (k === 2) {
        const s = grid[base] + grid[base + 1];
        lut = luts.two;
        idx = lutIndex(s > 0 ? grid[base + 1] / s : 0.5, 0, 1);
      } else {
        let best = 0;
        for (let j = 1; j < k; j++) if (grid[base + j] > grid[base + best]) best = j;
        lut = luts.perClass[best] ?? luts.perClass[0];
        idx = lutIndex(grid[base + best], 1 / k, 1);
      }
      const o = (dst + c) * 4;
      out[o] = lut[idx * 4];
      out[o + 1] = lut[idx * 4 + 1];
      out[o + 2] = lut[idx * 4 + 2];
      out[o + 3] = 255;
    }
  }
}

function DecisionBoundaryImpl({
  label = 'Decision boundary',
  grid,
  res,
  outputs,
  kind = 'classes',
  xRange,
  yRange,
  valueRange,
  train,
  validation,
  markMisclassified = false,
  step,
  classNames,
  xLabel = 'x₁',
  yLabel = 'x₂',
  size = 380,
  onAddPoint,
}: DecisionBoundaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref, 360);
  const theme = useChartTheme();
  const uid = useId();
  const heatRef = useRef<HTMLCanvasElement>(null);
  const dotsRef = useRef<HTMLCanvasElement>(null);
  const scratch = useScratch();
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const [focused, setFocused] = useState(false);
  const classes = kind === 'classes' ? (outputs === 1 ? 2 : outputs) : 0;
  const luts = useLuts(theme, Math.max(classes, 2));

  const side = Math.max(120, Math.min(size, width - M.left - M.right));
  const w = side + M.left + M.right;
  const h = side + M.top + M.bottom;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain(xRange)
        .range([M.left, M.left + side]),
    [xRange, side],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain(yRange)
        .range([M.top + side, M.top]),
    [yRange, side],
  );

  const range = useMemo<[number, number]>(() => {
    if (valueRange) return valueRange;
    if (kind !== 'regression') return [0, 1];
    let m = 0;
    for (let i = 0; i < grid.length; i++) if (Math.abs(grid[i]) > m) m = Math.abs(grid[i]);
    return [-(m || 1), m || 1];
  }, [grid, kind, valueRange]);

  // The heatmap: paint res × res into a scratch canvas, then scale it smoothly onto the visible one.
  useEffect(() => {
    const canvas = heatRef.current;
    if (!canvas || res <= 0 || grid.length < res * res * outputs) return;
    const ctx = prepareCanvas(canvas, side, side);
    if (!ctx) return;
    const img = scratchImage(scratch.current, res, res, (rgba) =>
      paintBoundary(rgba, grid, res, outputs, kind, luts, range),
    );
    if (!img) return;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img, 0, 0, side, side);
  }, [grid, res, outputs, kind, luts, range, side, scratch]);

  // The points: repainted only when they, the scales or the theme change.
  useEffect(() => {
    const canvas = dotsRef.current;
    if (!canvas) return;
    const ctx = prepareCanvas(canvas, side, side);
    if (!ctx) return;
    const px = (v: number) => x(v) - M.left;
    const py = (v: number) => y(v) - M.top;
    const colorOf = (v: number): RGB => {
      if (kind === 'regression') {
        const k = lutIndex(v, range[0], range[1]) * 4;
        return [luts.diverging[k], luts.diverging[k + 1], luts.diverging[k + 2]];
      }
      return luts.palette[Math.max(0, Math.min(luts.palette.length - 1, Math.round(v)))];
    };
    const rgb = (c: RGB) => `rgb(${c[0]} ${c[1]} ${c[2]})`;
    const r = side < 240 ? 2.6 : 3.4;
    // A thin edge that separates a point from a same-coloured region on either theme.
    const edge = theme.dark ? 'rgba(10, 12, 18, 0.85)' : 'rgba(20, 22, 30, 0.55)';
    const draw = (p: PointSet | undefined, filled: boolean) => {
      if (!p) return;
      const n = Math.min(p.x.length, p.y.length, p.label.length);
      for (let i = 0; i < n; i++) {
        const cx = px(p.x[i]);
        const cy = py(p.y[i]);
        if (!Number.isFinite(cx) || !Number.isFinite(cy)) continue;
        const c = rgb(colorOf(p.label[i]));
        ctx.beginPath();
        ctx.arc(cx, cy, r, 0, Math.PI * 2);
        if (filled) {
          ctx.fillStyle = c;
          ctx.fill();
          ctx.lineWidth = 1;
          ctx.strokeStyle = edge;
          ctx.stroke();
        } else {
          ctx.fillStyle = theme.css.surface;
          ctx.fill();
          ctx.lineWidth = 1.8;
          ctx.strokeStyle = c;
          ctx.stroke();
        }
        if (markMisclassified && kind === 'classes' && p.predicted && p.predicted[i] !== p.label[i]) {
          ctx.beginPath();
          ctx.arc(cx, cy, r + 2.4, 0, Math.PI * 2);
          ctx.lineWidth = 1.3;
          ctx.strokeStyle = theme.css.text;
          ctx.stroke();
        }
      }
    };
    draw(train, true);
    draw(validation, false);
  }, [train, validation, markMisclassified, kind, x, y, side, theme, luts, range]);

  const toData = (e: MouseEvent<SVGRectElement>): [number, number] => {
    const box = e.currentTarget.getBoundingClientRect();
    return [x.invert(M.left + e.clientX - box.left), y.invert(M.top + e.clientY - box.top)];
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const cur = cursor ?? [(xRange[0] + xRange[1]) / 2, (yRange[0] + yRange[1]) / 2];
    const f = e.shiftKey ? 0.1 : 0.025;
    const dx = (xRange[1] - xRange[0]) * f;
    const dy = (yRange[1] - yRange[0]) * f;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-dx, 0],
      ArrowRight: [dx, 0],
      ArrowUp: [0, dy],
      ArrowDown: [0, -dy],
    };
    const mv = moves[e.key];
    if (mv) {
      e.preventDefault();
      setCursor([
        Math.max(xRange[0], Math.min(xRange[1], cur[0] + mv[0])),
        Math.max(yRange[0], Math.min(yRange[1], cur[1] + mv[1])),
      ]);
    } else if ((e.key === 'Enter' || e.key === ' ') && onAddPoint) {
      e.preventDefault();
      onAddPoint(cur[0], cur[1], { shiftKey: e.shiftKey });
      setCursor(cur);
    }
  };

  // The output under the cursor, for the readout line.
  const readout = useMemo(() => {
    if (!cursor || res <= 0) return null;
    const col = Math.round(((cursor[0] - xRange[0]) / (xRange[1] - xRange[0])) * (res - 1));
    const row = Math.round(((cursor[1] - yRange[0]) / (yRange[1] - yRange[0])) * (res - 1));
    if (col < 0 || col >= res || row < 0 || row >= res) return null;
    const base = (row * res + col) * outputs;
    const at = `(${fmt(cursor[0], 2)}, ${fmt(cursor[1], 2)})`;
    if (kind === 'regression') return `${at}: output ${fmt(grid[base])}`;
    const probs = outputs === 1 ? [1 - grid[base], grid[base]] : Array.from(grid.subarray(base, base + outputs));
    let best = 0;
    for (let j = 1; j < probs.length; j++) if (probs[j] > probs[best]) best = j;
    const name = classNames?.[best] ?? `class ${best}`;
    return `${at}: ${name}, p = ${fmt(probs[best], 2)}`;
  }, [cursor, grid, res, outputs, kind, xRange, yRange, classNames]);

  const summary = boundarySummary({ kind, classes, step, train, validation, markMisclassified, range });
  const showCursor = cursor !== null && focused;

  return (
    <figure ref={ref} className="plot pl-chart pl-boundary" aria-label={label}>
      <div
        className="plot-frame pl-frame"
        role="application"
        aria-roledescription="plane"
        aria-label={
          onAddPoint
            ? `${label}: arrow keys move the cursor, Enter adds a point (Shift+Enter for the other class)`
            : `${label}: arrow keys move the cursor to read the output`
        }
        aria-describedby={`${uid}-sum ${uid}-read`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: an application region: arrow keys move a cursor, Enter adds a point
        tabIndex={0}
        onKeyDown={onKey}
        onFocus={() => {
          setFocused(true);
          setCursor((c) => c ?? [(xRange[0] + xRange[1]) / 2, (yRange[0] + yRange[1]) / 2]);
        }}
        onBlur={() => setFocused(false)}
      >
        <div className="pl-stack" style={{ width: w, height: h }}>
          <canvas
            ref={heatRef}
            className="pl-canvas pl-heat"
            style={{ left: M.left, top: M.top, width: side, height: side }}
          />
          <canvas ref={dotsRef} className="pl-canvas" style={{ left: M.left, top: M.top, width: side, height: side }} />
          <svg width={w} height={h} aria-hidden="true">
            <rect className="pl-plot-border" x={M.left} y={M.top} width={side} height={side} />
            <ChartAxes
              x={x}
              y={y}
              width={w}
              height={h}
              margin={M}
              xLabel={xLabel}
              yLabel={yLabel}
              xTicks={side < 260 ? 4 : 6}
              yTicks={side < 260 ? 4 : 6}
              grid={false}
              xFormat={(v) => fmt(v)}
            />
            {showCursor && cursor && (
              <g className="pl-cursor" transform={`translate(${x(cursor[0])} ${y(cursor[1])})`}>
                <circle r={7} />
                <line x1={-12} x2={-4} />
                <line x1={4} x2={12} />
                <line y1={-12} y2={-4} />
                <line y1={4} y2={12} />
              </g>
            )}
            {/* biome-ignore lint/a11y/noStaticElementInteractions: the pointer way; the region's arrow keys and Enter are the keyboard way */}
            <rect
              x={M.left}
              y={M.top}
              width={side}
              height={side}
              fill="transparent"
              style={{ cursor: onAddPoint ? 'crosshair' : 'default' }}
              onMouseMove={(e) => setCursor(toData(e))}
              onClick={(e) => {
                if (!onAddPoint) return;
                const [px, py] = toData(e);
                onAddPoint(px, py, { shiftKey: e.shiftKey });
              }}
            />
          </svg>
        </div>
      </div>
      <p className="pl-readout" id={`${uid}-read`} aria-live="polite">
        {readout ?? (onAddPoint ? 'Click to add a point (Shift-click for the other class).' : ' ')}
      </p>
      <p id={`${uid}-sum`} className="pl-sr-only">
        {summary}
      </p>
    </figure>
  );
}

/** Memoised: re-renders only when its props change (the Lab re-renders often while training). */
export const DecisionBoundary = memo(DecisionBoundaryImpl);

export default DecisionBoundary;
