// A loss landscape as a heatmap (viridis: dark is low) with contour lines (d3-contour) and an optional path on top
// (the training trajectory projected onto the plane). Arrow keys move a cell cursor whose loss is read out; the
// readout also follows the pointer. Takes a grid of values and its axes; knows nothing of training.
import { contours, geoPath, geoTransform, scaleLinear } from 'd3';
import { type KeyboardEvent, type PointerEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ChartAxes } from './ChartAxes';
import { paintValues, prepareCanvas, scratchImage, useScratch } from './canvas';
import { viridisLut } from './colors';
import { fmt } from './format';
import { landscapeScale } from './landscapeScale';
import { useChartTheme } from './theme';
import './plots.css';

export interface LossLandscape2DProps {
  label: string;
  /** n x n, row-major: values[i * n + j] at xs[j], ys[i]. */
  values: ArrayLike<number>;
  n: number;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** (x, y) pairs, oldest first. */
  path?: ArrayLike<number> | null;
  logScale?: boolean;
  xLabel?: string;
  yLabel?: string;
  size: number;
  /** Contour levels (default 12). */
  levels?: number;
}

const M = { top: 10, right: 12, bottom: 40, left: 48 };

export function LossLandscape2D({
  label,
  values,
  n,
  xs,
  ys,
  path,
  logScale = false,
  xLabel = 'α (direction 1)',
  yLabel = 'β (direction 2)',
  size,
  levels = 12,
}: LossLandscape2DProps) {
  const theme = useChartTheme();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scratch = useScratch();
  const lut = useMemo(() => viridisLut(), []);
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const titleId = useId();
  const readId = useId();
  const inner = Math.max(80, size - M.left - M.right);
  const width = inner + M.left + M.right;
  const height = inner + M.top + M.bottom;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([xs[0], xs[n - 1]])
        .range([M.left, M.left + inner]),
    [xs, n, inner],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([ys[0], ys[n - 1]])
        .range([M.top + inner, M.top]),
    [ys, n, inner],
  );
  const scale = useMemo(() => landscapeScale(values, logScale), [values, logScale]);

  useEffect(() => {
    const c = canvasRef.current;
    if (!c) return;
    const ctx = prepareCanvas(c, inner, inner);
    if (!ctx) return;
    const img = scratchImage(scratch.current, n, n, (rgba) =>
      paintValues(rgba, scale.mapped, n, n, lut, scale.lo, scale.hi, { flipY: true }),
    );
    if (!img) return;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img, 0, 0, inner, inner);
  }, [scale, n, inner, lut, scratch]);

  const contourPaths = useMemo(() => {
    if (!(scale.hi > scale.lo)) return [];
    const thresholds = Array.from(
      { length: levels },
      (_, k) => scale.lo + ((scale.hi - scale.lo) * (k + 0.5)) / levels,
    );
    const finite = Array.from(scale.mapped, (v) => (Number.isFinite(v) ? v : scale.hi));
    // Grid index space -> pixels: cell centres at xs/ys (index 0 at the axis start).
    const cell = inner / (n - 1);
    const proj = geoTransform({
      point(px, py) {
        this.stream.point(M.left + (px - 0.5) * cell, M.top + inner - (py - 0.5) * cell);
      },
    });
    const gp = geoPath(proj);
    return contours()
      .size([n, n])
      .thresholds(thresholds)(finite)
      .map((c, k) => ({ d: gp(c) ?? '', k }));
  }, [scale, n, levels, inner]);

  const pathD = useMemo(() => {
    if (!path || path.length < 4) return null;
    let d = '';
    for (let t = 0; t < path.length / 2; t++)
      d += `${t === 0 ? 'M' : 'L'}${x(path[2 * t]).toFixed(1)},${y(path[2 * t + 1]).toFixed(1)}`;
    return d;
  }, [path, x, y]);

  const readout = cursor ? { i: cursor[0], j: cursor[1], v: values[cursor[0] * n + cursor[1]] } : null;
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [1, 0],
      ArrowDown: [-1, 0],
      ArrowRight: [0, 1],
      ArrowLeft: [0, -1],
    };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    const [i, j] = cursor ?? [(n - 1) >> 1, (n - 1) >> 1];
    setCursor([Math.max(0, Math.min(n - 1, i + m[0])), Math.max(0, Math.min(n - 1, j + m[1]))]);
  };
  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    if (px < M.left || px > M.left + inner || py < M.top || py > M.top + inner) return setCursor(null);
    const j = Math.round(((px - M.left) / inner) * (n - 1));
    const i = Math.round(((M.top + inner - py) / inner) * (n - 1));
    setCursor([i, j]);
  };
  const start = path && path.length >= 2 ? [path[0], path[1]] : null;
  const end = path && path.length >= 2 ? [path[path.length - 2], path[path.length - 1]] : null;

  return (
    <figure className="plot-frame landscape-2d" style={{ width, margin: 0 }} aria-labelledby={titleId}>
      <div
        style={{ position: 'relative', width, height }}
        role="application"
        aria-roledescription="loss map"
        aria-label={`${label}: arrow keys move a cursor to read the loss`}
        aria-describedby={readId}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: an application region: the arrow keys move a cursor
        tabIndex={0}
        onKeyDown={onKey}
        onBlur={() => setCursor(null)}
      >
        <canvas
          ref={canvasRef}
          style={{ position: 'absolute', left: M.left, top: M.top, width: inner, height: inner, borderRadius: 2 }}
        />
        <svg
          width={width}
          height={height}
          aria-hidden="true"
          onPointerMove={onMove}
          onPointerLeave={() => setCursor(null)}
          style={{ position: 'absolute', inset: 0 }}
        >
          <ChartAxes
            x={x}
            y={y}
            width={width}
            height={height}
            margin={M}
            xLabel={xLabel}
            yLabel={yLabel}
            grid={false}
          />
          <g className="landscape-contours" fill="none">
            {contourPaths.map((c) => (
              <path
                key={c.k}
                d={c.d}
                stroke={theme.dark ? 'rgb(0 0 0 / 0.45)' : 'rgb(255 255 255 / 0.55)'}
                strokeWidth={0.8}
              />
            ))}
          </g>
          {pathD && (
            <g className="landscape-path" data-testid="landscape-trajectory">
              <path d={pathD} fill="none" stroke="#fff" strokeWidth={4} strokeLinejoin="round" opacity={0.85} />
              <path d={pathD} fill="none" stroke="#d55e00" strokeWidth={2} strokeLinejoin="round" />
              {start && (
                <circle cx={x(start[0])} cy={y(start[1])} r={4.5} fill="#fff" stroke="#d55e00" strokeWidth={2} />
              )}
              {end && (
                <path d={`M${x(end[0])},${y(end[1]) - 7}l6,11h-12z`} fill="#d55e00" stroke="#fff" strokeWidth={1.5} />
              )}
            </g>
          )}
          {readout && (
            <rect
              x={x(xs[readout.j]) - inner / (n - 1) / 2}
              y={y(ys[readout.i]) - inner / (n - 1) / 2}
              width={inner / (n - 1)}
              height={inner / (n - 1)}
              fill="none"
              stroke={theme.css.text}
              strokeWidth={1.5}
            />
          )}
        </svg>
      </div>
      <figcaption id={titleId} className="visually-hidden">
        {label}
      </figcaption>
      <p id={readId} className="plot-readout landscape-readout" aria-live="polite">
        {readout
          ? `α ${fmt(xs[readout.j])}, β ${fmt(ys[readout.i])}: loss ${fmt(readout.v)}`
          : 'Point at the map, or focus it and use the arrow keys, to read a loss.'}
      </p>
    </figure>
  );
}
