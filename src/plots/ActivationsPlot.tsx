// The activation functions and their derivatives on one set of axes: pick one to see f (solid) and f' (dashed);
// the others stay faintly in the background for comparison.
import { line, scaleLinear } from 'd3';
import { useMemo, useRef, useState } from 'react';
import { ACTIVATIONS } from './activations';
import { GridAxes } from './GridAxes';
import { useWidth } from './useWidth';
import './plots.css';

const X: [number, number] = [-4, 4];
const Y: [number, number] = [-1.25, 3.25];
const SAMPLES = 241;

export default function ActivationsPlot() {
  const [selected, setSelected] = useState('gelu');
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const height = width < 480 ? 240 : 300;
  const m = { top: 12, right: 14, bottom: 28, left: 34 };
  const x = scaleLinear()
    .domain(X)
    .range([m.left, width - m.right]);
  const y = scaleLinear()
    .domain(Y)
    .range([height - m.bottom, m.top]);
  const xs = useMemo(() => Array.from({ length: SAMPLES }, (_, i) => X[0] + ((X[1] - X[0]) * i) / (SAMPLES - 1)), []);
  const path = (fn: (v: number) => number) =>
    line<number>()
      .x((v) => x(v))
      .y((v) => y(Math.max(Y[0] - 1, Math.min(Y[1] + 1, fn(v)))))(xs) ?? '';
  const act = ACTIVATIONS.find((a) => a.id === selected) ?? ACTIVATIONS[0];

  return (
    <div className="plot">
      <div className="plot-controls">
        {ACTIVATIONS.map((a) => (
          <button
            key={a.id}
            type="button"
            aria-pressed={a.id === selected}
            className="plot-chip"
            onClick={() => setSelected(a.id)}
          >
            {a.name}
          </button>
        ))}
      </div>
      <div ref={ref} className="plot-frame">
        <svg width={width} height={height} role="img" aria-label={`${act.name} and its derivative for x from -4 to 4`}>
          <clipPath id="act-clip">
            <rect x={m.left} y={m.top} width={width - m.left - m.right} height={height - m.top - m.bottom} />
          </clipPath>
          <GridAxes x={x} y={y} width={width} height={height} margin={m} xTicks={width < 480 ? 4 : 8} yTicks={5} />
          <g clipPath="url(#act-clip)">
            {ACTIVATIONS.filter((a) => a.id !== selected).map((a) => (
              <path key={a.id} d={path(a.f)} className="plot-line plot-faint" />
            ))}
            <path d={path(act.df)} className="plot-line plot-derivative" />
            <path d={path(act.f)} className="plot-line plot-main" />
          </g>
        </svg>
      </div>
      <div className="plot-legend">
        <span className="legend-item">
          <span className="legend-line" />
          <span>
            {act.name}: <code>{act.formula}</code>
          </span>
        </span>
        <span className="legend-item">
          <span className="legend-line derivative" />
          <span>its derivative</span>
        </span>
      </div>
    </div>
  );
}
