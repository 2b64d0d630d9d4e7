// Cards by maturity as one stacked bar with a legend of counts: new, learning, young (interval under 21 days) and
// mature. Okabe-Ito hues in a fixed order, each segment also named in the legend, so colour is never the only cue.
import './plots.css';

export interface MaturityCounts {
  new: number;
  learning: number;
  young: number;
  mature: number;
}

const PARTS: { key: keyof MaturityCounts; label: string; color: string; note: string }[] = [
  { key: 'new', label: 'New', color: 'var(--border-strong)', note: 'never reviewed' },
  { key: 'learning', label: 'Learning', color: '#E69F00', note: 'in learning steps' },
  { key: 'young', label: 'Young', color: '#56B4E9', note: 'interval under 21 days' },
  { key: 'mature', label: 'Mature', color: '#009E73', note: 'interval of 21 days or more' },
];

export function maturitySummary(label: string, c: MaturityCounts): string {
  const total = c.new + c.learning + c.young + c.mature;
  if (!total) return `${label}: no cards.`;
  return `${label}: ${PARTS.map((p) => `${c[p.key]} ${p.label.toLowerCase()}`).join(', ')} of ${total} cards.`;
}

export function MaturityChart({ label, counts }: { label: string; counts: MaturityCounts }) {
  const total = counts.new + counts.learning + counts.young + counts.mature;
  return (
    <figure className="plot pl-chart pl-maturity" aria-label={label}>
      <div className="pl-maturity-bar" role="img" aria-label={maturitySummary(label, counts)}>
        {PARTS.map((p) =>
          counts[p.key] > 0 ? (
            <span
              key={p.key}
              className={`pl-maturity-seg seg-${p.key}`}
              style={{ flexGrow: counts[p.key], background: p.color }}
              title={`${p.label}: ${counts[p.key]}`}
            />
          ) : null,
        )}
        {total === 0 && <span className="pl-maturity-seg" style={{ flexGrow: 1, background: 'var(--surface-2)' }} />}
      </div>
      <ul className="pl-maturity-legend">
        {PARTS.map((p) => (
          <li key={p.key}>
            <i style={{ background: p.color }} aria-hidden="true" />
            <strong>{p.label}</strong> <span className="pl-maturity-count">{counts[p.key]}</span>
            <span className="pl-maturity-note">
              {total ? ` · ${Math.round((100 * counts[p.key]) / total)}%` : ''} · {p.note}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

export default MaturityChart;
