// A schematic loss curve, one per word of the predict-card vocabulary (decreases, plateau, diverges, noisy, slow,
// overfits): a small SVG drawing, not data. Overfits draws two curves, training (solid) and validation (dashed).
import './plots.css';

export type LossShapeKind = 'decreases' | 'plateau' | 'diverges' | 'noisy' | 'slow' | 'overfits';

export const LOSS_SHAPE_TEXT: Record<LossShapeKind, string> = {
  decreases: 'falls steadily towards zero',
  plateau: 'drops a little, then stays flat at a high loss',
  diverges: 'dips, then shoots up and leaves the chart',
  noisy: 'falls on average but jumps up and down from step to step',
  slow: 'falls only slowly, almost a straight gentle slope',
  overfits: 'training loss keeps falling while validation loss turns back up',
};

const N = 40;
// A fixed jitter so the noisy curve looks the same on every render.
const JITTER = Array.from({ length: N + 1 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453).map(
  (v) => v - Math.floor(v),
);

/** Loss in [0, 1] (1 = top of the box) at t in [0, 1]; values above 1 leave the box. */
function curve(kind: LossShapeKind, t: number, i: number): number {
  switch (kind) {
    case 'decreases':
      return 0.08 + 0.82 * Math.exp(-4.2 * t);
    case 'plateau':
      return 0.62 + 0.28 * Math.exp(-9 * t);
    case 'diverges':
      return t < 0.35 ? 0.7 - 0.4 * t : 0.56 + 4 * (t - 0.35) ** 2;
    case 'noisy':
      return 0.14 + 0.7 * Math.exp(-3.2 * t) + (JITTER[i] - 0.5) * 0.26 * (1 - 0.4 * t);
    case 'slow':
      return 0.88 - 0.3 * t;
    case 'overfits':
      return 0.06 + 0.84 * Math.exp(-4.5 * t);
  }
}

const validation = (t: number) => 0.3 + 0.6 * Math.exp(-6 * t) + 0.42 * Math.max(0, t - 0.35) ** 1.4;

function path(f: (t: number, i: number) => number, w: number, h: number, pad: number): string {
  const pts: string[] = [];
  for (let i = 0; i <= N; i++) {
    const t = i / N;
    const y = Math.max(-0.15, Math.min(1.08, f(t, i)));
    pts.push(`${(pad + t * (w - 2 * pad)).toFixed(1)},${(h - pad - y * (h - 2 * pad)).toFixed(1)}`);
    if (y <= -0.15 || y >= 1.08) break;
  }
  return `M${pts.join('L')}`;
}

export function LossShape({
  kind,
  width = 120,
  height = 72,
  className,
}: {
  kind: LossShapeKind;
  width?: number;
  height?: number;
  className?: string;
}) {
  const pad = 6;
  return (
    <svg
      className={`loss-shape${className ? ` ${className}` : ''}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Loss ${LOSS_SHAPE_TEXT[kind]}`}
    >
      <line className="loss-shape-axis" x1={pad} y1={pad} x2={pad} y2={height - pad} />
      <line className="loss-shape-axis" x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} />
      <path
        className="loss-shape-line"
        d={path(
          (t, i) => (kind === 'diverges' ? Math.min(curve(kind, t, i), 1.2) : curve(kind, t, i)),
          width,
          height,
          pad,
        )}
      />
      {kind === 'overfits' && (
        <path className="loss-shape-line loss-shape-val" d={path(validation, width, height, pad)} />
      )}
      {kind === 'diverges' && (
        <text className="loss-shape-note" x={width - pad - 2} y={pad + 8} textAnchor="end">
          ↑ NaN
        </text>
      )}
    </svg>
  );
}
