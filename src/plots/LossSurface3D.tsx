// A loss landscape as a rotatable 3-D surface: the grid as a mesh of quads projected orthographically and painted
// back to front (no WebGL needed for a few thousand quads), coloured by height with viridis, and the training path
// drawn on the surface. Drag to rotate; the arrow keys turn it (left/right) and tilt it (up/down).
import { type KeyboardEvent, type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import { prepareCanvas } from './canvas';
import { viridisLut } from './colors';
import { landscapeScale, sampleGrid } from './landscapeScale';
import { useChartTheme } from './theme';
import './plots.css';

export interface LossSurface3DProps {
  label: string;
  values: ArrayLike<number>;
  n: number;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  path?: ArrayLike<number> | null;
  logScale?: boolean;
  size: number;
}

/** Quads per axis at most (a finer grid is sampled down: the eye cannot tell, the painter's sort can). */
const MAX_QUADS = 48;
const HEIGHT = 0.9;

/** Moves to the first point and draws lines through the rest. */
function trace(ctx: CanvasRenderingContext2D, points: readonly (readonly number[])[]): void {
  points.forEach(([px, py], i) => {
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
}

interface View {
  yaw: number;
  pitch: number;
}

export function LossSurface3D({ label, values, n, xs, ys, path, logScale = false, size }: LossSurface3DProps) {
  const theme = useChartTheme();
  const ref = useRef<HTMLCanvasElement>(null);
  const lut = useMemo(() => viridisLut(), []);
  const [view, setView] = useState<View>({ yaw: -35, pitch: 32 });
  const drag = useRef<{ x: number; y: number; view: View } | null>(null);
  const scale = useMemo(() => landscapeScale(values, logScale), [values, logScale]);
  const width = size;
  const height = Math.round(size * 0.8);

  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const ctx = prepareCanvas(c, width, height);
    if (!ctx) return;
    const m = Math.min(MAX_QUADS, n - 1);
    const yaw = (view.yaw * Math.PI) / 180;
    const el = (view.pitch * Math.PI) / 180;
    const cy = Math.cos(yaw);
    const sy = Math.sin(yaw);
    const ce = Math.cos(el);
    const se = Math.sin(el);
    const s = Math.min(width, height) * 0.36;
    const ox = width / 2;
    const oy = height * 0.56;
    const span = scale.hi - scale.lo;
    // World: X, Y in [-1, 1] over the grid, Z = height of the (clamped) plotted loss.
    const zOf = (v: number) =>
      (Number.isFinite(v) ? Math.max(0, Math.min(1.15, (v - scale.lo) / span)) : 1.15) * HEIGHT;
    const project = (X: number, Y: number, Z: number): [number, number, number] => {
      const xr = X * cy - Y * sy;
      const yr = X * sy + Y * cy;
      const up = (Z - HEIGHT / 2) * ce + yr * se;
      return [ox + xr * s, oy - up * s, yr * ce - (Z - HEIGHT / 2) * se];
    };
    const at = (a: number) => (a / m) * (n - 1);
    const pts: [number, number, number][] = [];
    const zs: number[] = [];
    for (let r = 0; r <= m; r++)
      for (let q = 0; q <= m; q++) {
        const v = sampleGrid(scale.mapped, n, at(r), at(q));
        const z = zOf(v);
        zs.push(v);
        pts.push(project((q / m) * 2 - 1, (r / m) * 2 - 1, z));
      }
    const quads: { depth: number; k: number; v: number }[] = [];
    for (let r = 0; r < m; r++)
      for (let q = 0; q < m; q++) {
        const k = r * (m + 1) + q;
        const idx = [k, k + 1, k + m + 2, k + m + 1];
        const depth = idx.reduce((a, i) => a + pts[i][2], 0) / 4;
        const v = idx.reduce((a, i) => a + zs[i], 0) / 4;
        quads.push({ depth, k, v });
      }
    quads.sort((a, b) => b.depth - a.depth);
    // The floor, under everything.
    const floor = [project(-1, -1, 0), project(1, -1, 0), project(1, 1, 0), project(-1, 1, 0)];
    ctx.beginPath();
    trace(ctx, floor);
    ctx.closePath();
    ctx.strokeStyle = theme.css.muted;
    ctx.globalAlpha = 0.5;
    ctx.stroke();
    ctx.globalAlpha = 1;
    const edge = theme.dark ? 'rgba(0,0,0,0.35)' : 'rgba(255,255,255,0.35)';
    const nl = lut.length >> 2;
    for (const { k, v } of quads) {
      const idx = [k, k + 1, k + m + 2, k + m + 1];
      const t = Number.isFinite(v) ? Math.max(0, Math.min(1, (v - scale.lo) / span)) : 1;
      const li = Math.round(t * (nl - 1)) * 4;
      ctx.beginPath();
      trace(
        ctx,
        idx.map((i) => pts[i]),
      );
      ctx.closePath();
      ctx.fillStyle = `rgb(${lut[li]},${lut[li + 1]},${lut[li + 2]})`;
      ctx.fill();
      ctx.strokeStyle = edge;
      ctx.lineWidth = 0.5;
      ctx.stroke();
    }
    if (path && path.length >= 4) {
      const col = (a: number) => ((a - xs[0]) / (xs[n - 1] - xs[0])) * (n - 1);
      const row = (b: number) => ((b - ys[0]) / (ys[n - 1] - ys[0])) * (n - 1);
      const line: [number, number][] = [];
      for (let t = 0; t < path.length / 2; t++) {
        const cq = col(path[2 * t]);
        const rr = row(path[2 * t + 1]);
        const z = zOf(sampleGrid(scale.mapped, n, rr, cq)) + 0.02;
        const [px, py] = project((cq / (n - 1)) * 2 - 1, (rr / (n - 1)) * 2 - 1, z);
        line.push([px, py]);
      }
      for (const [w, color] of [
        [4, '#fff'],
        [2, '#d55e00'],
      ] as const) {
        ctx.beginPath();
        trace(ctx, line);
        ctx.strokeStyle = color;
        ctx.lineWidth = w;
        ctx.lineJoin = 'round';
        ctx.stroke();
      }
      const [ex, ey] = line[line.length - 1];
      ctx.beginPath();
      ctx.arc(ex, ey, 4, 0, 2 * Math.PI);
      ctx.fillStyle = '#d55e00';
      ctx.fill();
    }
    // Axis names at the floor's edges.
    ctx.fillStyle = theme.css.muted;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    const [ax, ay] = project(0, -1.18, 0);
    ctx.fillText('α', ax, ay);
    const [bx, by] = project(1.18, 0, 0);
    ctx.fillText('β', bx, by);
  }, [view, scale, n, xs, ys, path, width, height, lut, theme]);

  const onKey = (e: KeyboardEvent) => {
    const turn: Record<string, Partial<View>> = {
      ArrowLeft: { yaw: view.yaw - 10 },
      ArrowRight: { yaw: view.yaw + 10 },
      ArrowUp: { pitch: Math.min(85, view.pitch + 5) },
      ArrowDown: { pitch: Math.max(5, view.pitch - 5) },
    };
    const t = turn[e.key];
    if (!t) return;
    e.preventDefault();
    setView({ ...view, ...t });
  };
  const onDown = (e: PointerEvent<HTMLCanvasElement>) => {
    drag.current = { x: e.clientX, y: e.clientY, view };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const onMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (!d) return;
    setView({
      yaw: d.view.yaw + (e.clientX - d.x) * 0.5,
      pitch: Math.max(5, Math.min(85, d.view.pitch + (e.clientY - d.y) * 0.3)),
    });
  };

  return (
    <figure className="plot-frame landscape-3d" style={{ width, margin: 0 }}>
      <div
        role="application"
        aria-roledescription="3-D surface"
        aria-label={`${label}. Turned ${Math.round(((view.yaw % 360) + 360) % 360)} degrees, tilted ${Math.round(view.pitch)} degrees: the arrow keys turn and tilt it.`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: an application region: the arrow keys turn the surface
        tabIndex={0}
        onKeyDown={onKey}
        className="landscape-3d-frame"
      >
        <canvas
          ref={ref}
          style={{ width, height, touchAction: 'none', cursor: 'grab', display: 'block' }}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={() => {
            drag.current = null;
          }}
          onPointerCancel={() => {
            drag.current = null;
          }}
        />
      </div>
      <p className="plot-readout">Drag to rotate, or focus the surface and use the arrow keys.</p>
    </figure>
  );
}
