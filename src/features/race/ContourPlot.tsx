// The race's main figure: the surface as log-spaced contour bands, the optima, each contestant's path up to the
// animation's frame with its marker at the head, and the start point, which moves by dragging, clicking on the
// plot, or the arrow keys (Shift for bigger steps) when focused. Everything is SVG, so it scales and prints.
import { geoPath, geoTransform, interpolateViridis, scaleLinear, symbol } from 'd3';
import { type KeyboardEvent, memo, type PointerEvent, useMemo, useRef, useState } from 'react';
import type { RaceTrace, Surface } from '../../../engine/index';
import { ChartAxes } from '../../plots/ChartAxes';
import { mix, parseColor, toCss } from '../../plots/colors';
import { useChartTheme } from '../../plots/theme';
import { useWidth } from '../../plots/useWidth';
import type { ContourField } from './contour';
import type { RacerLook } from './palette';

export interface PlottedTrace {
  trace: RaceTrace;
  label: string;
  look: RacerLook;
}

interface Props {
  surface: Surface;
  field: ContourField;
  traces: PlottedTrace[];
  /** Steps shown (the animation's position). */
  frame: number;
  start: [number, number];
  onStart: (p: [number, number]) => void;
}

const M = { top: 12, right: 14, bottom: 40, left: 48 };

export function ContourPlot({ surface, field, traces, frame, start, onStart }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const width = Math.min(useWidth(ref, 560), 640);
  const theme = useChartTheme();
  const [dragging, setDragging] = useState(false);
  const plot = Math.max(120, width - M.left - M.right);
  const height = plot + M.top + M.bottom;
  const { x: vx, y: vy } = surface.view;
  const sx = useMemo(
    () =>
      scaleLinear()
        .domain(vx)
        .range([M.left, M.left + plot]),
    [vx, plot],
  );
  const sy = useMemo(
    () =>
      scaleLinear()
        .domain(vy)
        .range([M.top + plot, M.top]),
    [vy, plot],
  );

  const bands = useMemo(() => {
    const { n } = field;
    const project = geoTransform({
      point(gx, gy) {
        this.stream.point(sx(vx[0] + (gx / n) * (vx[1] - vx[0])), sy(vy[0] + (gy / n) * (vy[1] - vy[0])));
      },
    });
    const path = geoPath(project);
    const k = field.bands.length;
    return field.bands.map((b, i) => {
      // Viridis, washed towards the page so the coloured paths on top stay the strongest marks.
      const t = k <= 1 ? 0 : i / (k - 1);
      const tone = parseColor(interpolateViridis(0.95 - 0.85 * t), theme.surface);
      return { d: path(b) ?? '', fill: toCss(mix(theme.surface, tone, theme.dark ? 0.38 : 0.42)) };
    });
  }, [field, sx, sy, vx, vy, theme.surface, theme.dark]);

  const toView = (e: PointerEvent<SVGSVGElement>): [number, number] | null => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * width;
    const py = ((e.clientY - r.top) / r.height) * height;
    const x = sx.invert(px);
    const y = sy.invert(py);
    const clamp = (v: number, [a, b]: [number, number]) => Math.min(b, Math.max(a, v));
    if (px < M.left - 4 || px > M.left + plot + 4 || py < M.top - 4 || py > M.top + plot + 4) return null;
    return [Number(clamp(x, vx).toFixed(3)), Number(clamp(y, vy).toFixed(3))];
  };
  const onDown = (e: PointerEvent<SVGSVGElement>) => {
    const p = toView(e);
    if (!p) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    setDragging(true);
    onStart(p);
  };
  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    if (!dragging) return;
    const p = toView(e);
    if (p) onStart(p);
  };
  const onKey = (e: KeyboardEvent<SVGGElement>) => {
    const step = (e.shiftKey ? 0.1 : 0.02) * (vx[1] - vx[0]);
    const d: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    const m = d[e.key];
    if (!m) return;
    e.preventDefault();
    const clamp = (v: number, [a, b]: [number, number]) => Math.min(b, Math.max(a, v));
    onStart([Number(clamp(start[0] + m[0], vx).toFixed(3)), Number(clamp(start[1] + m[1], vy).toFixed(3))]);
  };

  const fmt = (v: number) => v.toFixed(2);
  return (
    <div ref={ref} className="race-contour">
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={() => setDragging(false)}
        onPointerCancel={() => setDragging(false)}
        className={dragging ? 'is-dragging' : undefined}
      >
        <title>{`${surface.name}: contour plot with each optimizer's path`}</title>
        <defs>
          <clipPath id={`race-clip-${surface.id}`}>
            <rect x={M.left} y={M.top} width={plot} height={plot} />
          </clipPath>
        </defs>
        <rect x={M.left} y={M.top} width={plot} height={plot} fill={theme.css.surface} />
        <g clipPath={`url(#race-clip-${surface.id})`}>
          <Bands bands={bands} />
          {traces.map(({ trace, look }) => {
            const n = Math.min(frame, trace.steps);
            let d = '';
            for (let i = 0; i <= n; i++)
              d += `${i === 0 ? 'M' : 'L'}${sx(trace.x[i]).toFixed(1)},${sy(trace.y[i]).toFixed(1)}`;
            return (
              <g key={trace.id}>
                <path d={d} className="race-path-halo" />
                <path d={d} className="race-path" stroke={look.color} />
              </g>
            );
          })}
          {surface.optima.map(([x, y]) => (
            <g key={`${x},${y}`} transform={`translate(${sx(x)} ${sy(y)})`} className="race-optimum">
              <circle r={5} />
              <title>{`Optimum at (${fmt(x)}, ${fmt(y)})`}</title>
            </g>
          ))}
          {traces.map(({ trace, look }) => {
            const n = Math.min(frame, trace.steps);
            return (
              <path
                key={trace.id}
                transform={`translate(${sx(trace.x[n])} ${sy(trace.y[n])})`}
                d={symbol(look.symbol, 70)() ?? ''}
                fill={look.color}
                className="race-head"
              />
            );
          })}
        </g>
        <ChartAxes
          x={sx}
          y={sy}
          width={width}
          height={height}
          margin={M}
          xLabel="x"
          yLabel="y"
          grid={false}
          xTicks={plot < 360 ? 4 : 8}
          yTicks={plot < 360 ? 4 : 8}
        />
        {/* biome-ignore lint/a11y/useSemanticElements: an SVG handle; a <button> cannot sit inside an <svg> */}
        <g
          role="button"
          tabIndex={0}
          aria-roledescription="draggable start point"
          aria-label={`Start point at x ${fmt(start[0])}, y ${fmt(start[1])}. Drag it, click the plot, or use the arrow keys`}
          className="race-start"
          transform={`translate(${sx(start[0])} ${sy(start[1])})`}
          onKeyDown={onKey}
        >
          <circle r={11} className="race-start-ring" />
          <circle r={4} className="race-start-dot" />
        </g>
      </svg>
    </div>
  );
}

/** The contour bands change only with the surface, the size or the theme, not with the animation's frame. */
const Bands = memo(function Bands({ bands }: { bands: { d: string; fill: string }[] }) {
  return (
    <>
      {bands.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: bands are one per level, in level order
        <path key={i} d={b.d} fill={b.fill} className="race-band" />
      ))}
    </>
  );
});
