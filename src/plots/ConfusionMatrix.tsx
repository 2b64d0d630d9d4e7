// k × k counts of (true class, predicted class), coloured by the row-normalised rate (how the examples of each true
// class were predicted), counts written in the cells, and the same numbers in a visually hidden table.
import { memo, useId, useMemo, useRef, useState } from 'react';
import { densityLut, type RGB, textOn } from './colors';
import { fmtCompact, fmtInt, fmtPct } from './format';
import { useChartTheme } from './theme';
import { useWidth } from './useWidth';
import './plots.css';

export interface ConfusionMatrixProps {
  /** Row-major k × k: counts[true * k + predicted]. */
  counts: ArrayLike<number>;
  /** k class names. */
  labels: string[];
  /** Accessible name and title; default "Confusion matrix". */
  title?: string;
  /** Largest cell side in CSS pixels (default 40). */
  cell?: number;
}

/** Row-normalised rates: each row divided by its sum (rows with no examples stay 0). */
export function rowRates(counts: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let r = 0; r < k; r++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += counts[r * k + c] ?? 0;
    if (s > 0) for (let c = 0; c < k; c++) out[r * k + c] = (counts[r * k + c] ?? 0) / s;
  }
  return out;
}

export function confusionSummary(title: string, counts: ArrayLike<number>, labels: string[]): string {
  const k = labels.length;
  let total = 0;
  let right = 0;
  let worst = { n: 0, r: 0, c: 0 };
  for (let r = 0; r < k; r++)
    for (let c = 0; c < k; c++) {
      const n = counts[r * k + c] ?? 0;
      total += n;
      if (r === c) right += n;
      else if (n > worst.n) worst = { n, r, c };
    }
  if (total === 0) return `${title}: no examples yet.`;
  const conf =
    worst.n > 0
      ? ` Most common mistake: true ${labels[worst.r]} predicted as ${labels[worst.c]} (${fmtInt(worst.n)}).`
      : '';
  return `${title}: ${k} classes, ${fmtInt(total)} examples, ${fmtPct(right / total)} correct.${conf}`;
}

function ConfusionMatrixImpl({ counts, labels, title = 'Confusion matrix', cell: maxCell = 40 }: ConfusionMatrixProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref, 360);
  const theme = useChartTheme();
  const uid = useId();
  const [hover, setHover] = useState<[number, number] | null>(null);
  const k = labels.length;
  const rates = useMemo(() => rowRates(counts, k), [counts, k]);
  const lut = useMemo(() => densityLut(theme.surface2, theme.dark), [theme]);
  const left = 52;
  const top = 34;
  const cell = Math.max(14, Math.min(maxCell, Math.floor((width - left - 8) / Math.max(1, k))));
  const size = cell * k;
  const color = (t: number): RGB => {
    const i = Math.round(Math.max(0, Math.min(1, t)) * 255) * 4;
    return [lut[i], lut[i + 1], lut[i + 2]];
  };
  const fontSize = cell >= 34 ? 11 : cell >= 24 ? 9.5 : 0;

  return (
    <figure ref={ref} className="plot pl-chart pl-confusion" aria-labelledby={`${uid}-t`}>
      <p className="pl-title" id={`${uid}-t`}>
        {title}
      </p>
      <svg width={left + size + 4} height={top + size + 4} aria-hidden="true" onPointerLeave={() => setHover(null)}>
        <text className="pl-axis-title" x={left + size / 2} y={10} textAnchor="middle">
          predicted class
        </text>
        <text className="pl-axis-title" transform={`translate(10 ${top + size / 2}) rotate(-90)`} textAnchor="middle">
          true class
        </text>
        {labels.map((l, i) => (
          <g key={l}>
            <text
              className="plot-label"
              x={left + i * cell + cell / 2}
              y={top - 6}
              textAnchor="middle"
              style={{ fontWeight: hover?.[1] === i ? 700 : 400 }}
            >
              {l}
            </text>
            <text
              className="plot-label"
              x={left - 6}
              y={top + i * cell + cell / 2}
              dy="0.32em"
              textAnchor="end"
              style={{ fontWeight: hover?.[0] === i ? 700 : 400 }}
            >
              {l}
            </text>
          </g>
        ))}
        {Array.from({ length: k * k }, (_, idx) => {
          const r = Math.floor(idx / k);
          const c = idx % k;
          const fill = color(rates[idx]);
          const on = hover?.[0] === r && hover?.[1] === c;
          return (
            <g key={`${labels[r]}-${labels[c]}`} onPointerEnter={() => setHover([r, c])}>
              <rect
                x={left + c * cell + 0.5}
                y={top + r * cell + 0.5}
                width={cell - 1}
                height={cell - 1}
                rx={Math.min(4, cell / 8)}
                style={{ fill: `rgb(${fill[0]} ${fill[1]} ${fill[2]})` }}
                className={`pl-cm-cell${r === c ? ' diag' : ''}${on ? ' on' : ''}`}
              />
              {fontSize > 0 && (
                <text
                  className="heat-cell-text"
                  x={left + c * cell + cell / 2}
                  y={top + r * cell + cell / 2}
                  dy="0.34em"
                  textAnchor="middle"
                  style={{ fill: textOn(fill), fontSize }}
                >
                  {cell >= 40 ? fmtInt(counts[idx] ?? 0) : fmtCompact(counts[idx] ?? 0)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <p className="pl-readout">
        {hover
          ? `true ${labels[hover[0]]}, predicted ${labels[hover[1]]}: ${fmtInt(counts[hover[0] * k + hover[1]] ?? 0)} (${fmtPct(rates[hover[0] * k + hover[1]])} of true ${labels[hover[0]]})`
          : 'Colour: share of each true class (row) given each prediction.'}
      </p>
      <p className="pl-sr-only" id={`${uid}-s`}>
        {confusionSummary(title, counts, labels)}
      </p>
      <table className="pl-sr-only">
        <caption>{title}: rows are the true class, columns the predicted class; counts.</caption>
        <thead>
          <tr>
            <th scope="col">true \ predicted</th>
            {labels.map((l) => (
              <th key={l} scope="col">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((l, r) => (
            <tr key={l}>
              <th scope="row">{l}</th>
              {labels.map((m, c) => (
                <td key={m}>{fmtInt(counts[r * k + c] ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Memoised: re-renders only when its props change (the Lab re-renders often while training). */
export const ConfusionMatrix = memo(ConfusionMatrixImpl);

export default ConfusionMatrix;
