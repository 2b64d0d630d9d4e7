// Four learning-rate schedules over the same run and peak rate; pick one to bring it forward.
import { line, scaleLinear } from 'd3';
import { useMemo, useRef, useState } from 'react';
import { GridAxes } from './GridAxes';
import { EPOCHS, PEAK, SCHEDULES } from './lrSchedules';
import { useWidth } from './useWidth';
import './plots.css';

const COLORS: Record<string, string> = {
  step: 'var(--danger)',
  cosine: 'var(--accent)',
  warmup: 'var(--accent-a)',
  'one-cycle': 'var(--warn)',
};

export default function LrSchedulesPlot() {
  const [selected, setSelected] = useState('warmup');
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const height = width < 480 ? 220 : 270;
  const m = { top: 12, right: 14, bottom: 44, left: 44 };
  const x = scaleLinear()
    .domain([0, EPOCHS])
    .range([m.left, width - m.right]);
  const y = scaleLinear()
    .domain([0, PEAK * 1.05])
    .range([height - m.bottom, m.top]);
  const ts = useMemo(() => Array.from({ length: EPOCHS * 4 + 1 }, (_, i) => i / 4), []);
  const paths = SCHEDULES.map((s) => ({
    s,
    d:
      line<number>()
        .x((t) => x(t))
        .y((t) => y(s.lr(t)))(ts) ?? '',
  }));
  const current = SCHEDULES.find((s) => s.id === selected) ?? SCHEDULES[0];
  return (
    <div className="plot">
      <div className="plot-controls">
        {SCHEDULES.map((s) => (
          <button
            key={s.id}
            type="button"
            aria-pressed={s.id === selected}
            className="plot-chip"
            onClick={() => setSelected(s.id)}
          >
            <span className="chip-swatch" style={{ background: COLORS[s.id] }} />
            {s.name}
          </button>
        ))}
      </div>
      <div ref={ref} className="plot-frame">
        <svg width={width} height={height} role="img" aria-label={`Learning rate over ${EPOCHS} epochs`}>
          <GridAxes x={x} y={y} width={width} height={height} margin={m} xTicks={width < 480 ? 4 : 10} yTicks={4} />
          <text className="plot-label" x={(m.left + width - m.right) / 2} y={height - 4} textAnchor="middle">
            epoch
          </text>
          {paths
            .filter((p) => p.s.id !== selected)
            .map((p) => (
              <path
                key={p.s.id}
                d={p.d}
                className="plot-line"
                stroke={COLORS[p.s.id]}
                strokeWidth={1.4}
                opacity={0.35}
              />
            ))}
          {paths
            .filter((p) => p.s.id === selected)
            .map((p) => (
              <path key={p.s.id} d={p.d} className="plot-line" stroke={COLORS[p.s.id]} strokeWidth={3} />
            ))}
        </svg>
      </div>
      <p className="plot-readout">
        <strong>{current.name}</strong>: {current.note}. Peak rate {PEAK}.
      </p>
    </div>
  );
}
