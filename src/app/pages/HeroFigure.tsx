// A static picture of what the lab shows: two classes on a spiral and a learned decision boundary.
// Drawn from a closed-form field so the first route needs neither d3 nor the engine.

const POINTS = Array.from({ length: 80 }, (_, k) => {
  const cls = k % 2;
  const t = (Math.floor(k / 2) / 40) * 2.6 + 0.35;
  const a = t * 2.4 + cls * Math.PI;
  const r = t * 0.16;
  const jitter = Math.sin(k * 12.9898) * 0.012;
  return { x: 0.5 + r * Math.cos(a) + jitter, y: 0.5 + r * Math.sin(a) - jitter, cls };
});

/** Soft nearest-neighbour field: how much closer a cell is to class A's points than to class B's. */
function confidence(x: number, y: number): number {
  let da = Number.POSITIVE_INFINITY;
  let db = Number.POSITIVE_INFINITY;
  for (const p of POINTS) {
    const d = Math.hypot(p.x - x, p.y - y);
    if (p.cls) db = Math.min(db, d);
    else da = Math.min(da, d);
  }
  return Math.tanh((db - da) * 40);
}

const N = 32;
const CELLS = Array.from({ length: N * N }, (_, k) => {
  const i = k % N;
  const j = Math.floor(k / N);
  return { i, j, v: confidence((i + 0.5) / N, (j + 0.5) / N) };
});

export function HeroFigure() {
  const size = 320;
  const cell = size / N;
  return (
    <figure className="hero-figure" aria-label="A decision boundary learned on a two-class spiral">
      <svg viewBox={`0 0 ${size} ${size}`} role="img">
        <title>Decision boundary on a spiral dataset</title>
        {CELLS.map((c) => (
          <rect
            key={`${c.i}-${c.j}`}
            x={c.i * cell}
            y={c.j * cell}
            width={cell}
            height={cell}
            shapeRendering="crispEdges"
            fill={c.v > 0 ? 'var(--class-a)' : 'var(--class-b)'}
            opacity={0.1 + 0.32 * Math.abs(c.v)}
          />
        ))}
        {POINTS.map((p) => (
          <circle
            key={`${p.x.toFixed(4)}-${p.y.toFixed(4)}`}
            cx={p.x * size}
            cy={p.y * size}
            r={4}
            fill={p.cls ? 'var(--class-b-strong)' : 'var(--class-a-strong)'}
            stroke="var(--surface)"
            strokeWidth={1.5}
          />
        ))}
      </svg>
      <figcaption>
        <span className="legend-swatch a" /> class A <span className="legend-swatch b" /> class B · a 2-16-16-2 network
        after training
      </figcaption>
    </figure>
  );
}
