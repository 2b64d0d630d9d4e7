// A small attention matrix: rows are queries, columns are keys, each row a softmax of scaled dot-product scores, so
// every row sums to 1. The scores are made up to look like a trained head; the causal mask is the decoder's variant.
import { useMemo, useRef, useState } from 'react';
import { useWidth } from './useWidth';
import './plots.css';

const TOKENS = ['The', 'cat', 'sat', 'on', 'the', 'mat'];
// Hand-set query·key scores (already divided by √d): nouns look at their determiners, the verb at its subject...
const SCORES = [
  [2.2, 0.6, 0.1, -0.4, 0.3, 0.0],
  [2.0, 1.6, 0.5, -0.6, 0.1, 0.4],
  [0.1, 2.4, 1.0, 0.7, -0.3, 1.1],
  [-0.5, 0.2, 1.9, 1.1, 0.4, 1.6],
  [0.6, -0.2, -0.1, 1.4, 1.7, 0.9],
  [0.2, 1.0, 0.4, 1.5, 1.9, 1.5],
];

export function softmaxRows(scores: number[][], causal: boolean): number[][] {
  return scores.map((row, i) => {
    const masked = row.map((s, j) => (causal && j > i ? Number.NEGATIVE_INFINITY : s));
    const max = Math.max(...masked);
    const exp = masked.map((s) => Math.exp(s - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    return exp.map((e) => e / sum);
  });
}

export default function AttentionHeatmap() {
  const [causal, setCausal] = useState(false);
  const [hover, setHover] = useState<[number, number] | null>(null);
  const weights = useMemo(() => softmaxRows(SCORES, causal), [causal]);
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const label = 46;
  const top = 26;
  const cell = Math.floor(Math.min(58, (width - label - 8) / TOKENS.length));
  const size = cell * TOKENS.length;
  const h = hover ?? [2, 1];

  return (
    <div className="plot">
      <div className="plot-controls">
        <button type="button" className="plot-chip" aria-pressed={!causal} onClick={() => setCausal(false)}>
          Encoder (all keys)
        </button>
        <button type="button" className="plot-chip" aria-pressed={causal} onClick={() => setCausal(true)}>
          Decoder (causal mask)
        </button>
      </div>
      <div ref={ref} className="plot-frame" style={{ display: 'flex', justifyContent: 'center' }}>
        <svg
          width={label + size + 4}
          height={top + size + 4}
          role="img"
          aria-label="Attention weights of a six-token sentence"
          onMouseLeave={() => setHover(null)}
        >
          <text className="plot-label" x={label + size / 2} y={10} textAnchor="middle">
            keys →
          </text>
          {TOKENS.map((t, j) => (
            <text
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed tokens
              key={`k${j}`}
              className="plot-label"
              x={label + j * cell + cell / 2}
              y={top - 6}
              textAnchor="middle"
              style={{ fontWeight: h[1] === j ? 700 : 400 }}
            >
              {t}
            </text>
          ))}
          {weights.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed tokens
            <g key={i}>
              <text
                className="plot-label"
                x={label - 8}
                y={top + i * cell + cell / 2}
                dy="0.32em"
                textAnchor="end"
                style={{ fontWeight: h[0] === i ? 700 : 400 }}
              >
                {TOKENS[i]}
              </text>
              {row.map((w, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey lint/a11y/noStaticElementInteractions: fixed tokens; hover readout only
                <g key={j} onMouseEnter={() => setHover([i, j])}>
                  <rect
                    x={label + j * cell + 1}
                    y={top + i * cell + 1}
                    width={cell - 2}
                    height={cell - 2}
                    rx={5}
                    fill={w === 0 ? 'var(--surface-2)' : 'var(--accent)'}
                    fillOpacity={w === 0 ? 1 : 0.08 + 0.92 * Math.min(1, w / 0.7)}
                    stroke={hover && hover[0] === i && hover[1] === j ? 'var(--text)' : 'none'}
                    strokeWidth={1.5}
                  />
                  {cell >= 34 && (
                    <text
                      className="heat-cell-text"
                      x={label + j * cell + cell / 2}
                      y={top + i * cell + cell / 2}
                      dy="0.32em"
                      textAnchor="middle"
                      fill={w / 0.7 > 0.5 ? 'var(--accent-text)' : 'var(--text-2)'}
                    >
                      {w === 0 ? '–' : w.toFixed(2).replace(/^0/, '')}
                    </text>
                  )}
                </g>
              ))}
            </g>
          ))}
        </svg>
      </div>
      <p className="plot-readout">
        Query <strong>{TOKENS[h[0]]}</strong> gives key <strong>{TOKENS[h[1]]}</strong> weight{' '}
        <strong>{weights[h[0]][h[1]].toFixed(2)}</strong>; its row sums to 1.
        {causal && ' Keys after the query are masked out (−∞ before the softmax).'}
      </p>
    </div>
  );
}
