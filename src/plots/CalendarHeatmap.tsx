// Reviews per day as a calendar heatmap: one column per week (Monday on top), one cell per day, shaded by count on
// a colour-blind-safe sequential scale (viridis, trimmed for the theme); empty days are the quiet surface colour.
// Arrow keys read a day (left/right a day, up/down a week); the summary sentence carries the gist for everyone.
import { useId, useMemo, useRef } from 'react';
import { sequential } from './colors';
import { fmtInt } from './format';
import { useChartTheme } from './theme';
import { useReadout } from './useReadout';
import { useWidth } from './useWidth';
import './plots.css';

export interface CalendarHeatmapProps {
  label: string;
  /** Consecutive days, oldest first, ending today: { day: 'YYYY-MM-DD', count }. */
  days: { day: string; count: number }[];
  unit?: [string, string];
}

const DOW = ['Mon', '', 'Wed', '', 'Fri', '', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const parse = (k: string) => {
  const [y, m, d] = k.split('-').map(Number);
  return new Date(y, m - 1, d);
};
const longDate = (k: string) =>
  parse(k).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

export function calendarSummary(label: string, days: { day: string; count: number }[], unit = ['review', 'reviews']) {
  const active = days.filter((d) => d.count > 0);
  const total = active.reduce((a, d) => a + d.count, 0);
  if (!total) return `${label}: no ${unit[1]} in the last ${days.length} days.`;
  const best = active.reduce((a, d) => (d.count > a.count ? d : a));
  let streak = 0;
  for (let i = days.length - 1; i >= 0 && days[i].count > 0; i--) streak++;
  return `${label}: ${fmtInt(total)} ${total === 1 ? unit[0] : unit[1]} on ${active.length} of the last ${days.length} days; the most (${fmtInt(best.count)}) on ${longDate(best.day)}; ${streak ? `${streak}-day streak up to today` : 'none yet today'}.`;
}

export function CalendarHeatmap({ label, days, unit = ['review', 'reviews'] }: CalendarHeatmapProps) {
  const ref = useRef<HTMLElement>(null);
  const width = useWidth(ref, 640);
  const theme = useChartTheme();
  const uid = useId();
  const lead = days.length ? (parse(days[0].day).getDay() + 6) % 7 : 0; // Monday = 0
  const weeks = Math.ceil((lead + days.length) / 7);
  const left = 30;
  const top = 16;
  const gap = 2;
  const cell = Math.max(6, Math.min(16, Math.floor((width - left) / weeks) - gap));
  const height = top + 7 * (cell + gap) + 4;
  const max = useMemo(() => days.reduce((a, d) => Math.max(a, d.count), 0), [days]);
  // Darker means more on the light theme, brighter means more on the dark one.
  const shade = (t: number) => sequential(theme.dark ? t : 1 - t, theme.dark);
  const fill = (n: number) =>
    n === 0 ? 'var(--surface-2)' : shade(0.15 + (0.85 * Math.sqrt(n)) / Math.sqrt(max || 1));
  const { index, setIndex, onKeyDown, onBlur } = useReadout(days.length, {
    ArrowUp: -1,
    ArrowDown: 1,
    ArrowLeft: -7,
    ArrowRight: 7,
  });
  const text = (i: number) =>
    `${longDate(days[i].day)}: ${fmtInt(days[i].count)} ${days[i].count === 1 ? unit[0] : unit[1]}`;
  const summary = calendarSummary(label, days, unit);
  const pos = (i: number) => {
    const k = lead + i;
    return { x: left + Math.floor(k / 7) * (cell + gap), y: top + (k % 7) * (cell + gap) };
  };
  const monthLabels = days.flatMap((d, i) => {
    const date = parse(d.day);
    return date.getDate() === 1 || i === 0 ? [{ i, text: MONTHS[date.getMonth()] }] : [];
  });

  return (
    <figure ref={ref} className="plot pl-chart pl-calendar" aria-label={label}>
      <div
        className="plot-frame pl-frame"
        role="slider"
        tabIndex={0}
        aria-label={`${label}: arrow keys read the days`}
        aria-describedby={`${uid}-s`}
        aria-valuemin={1}
        aria-valuemax={Math.max(1, days.length)}
        aria-valuenow={(index ?? days.length - 1) + 1}
        aria-valuetext={index !== null ? text(index) : summary}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      >
        <svg width={width} height={height} aria-hidden="true" onPointerLeave={() => setIndex(null)}>
          {DOW.map((d, r) =>
            d ? (
              <text key={d} className="plot-label" x={0} y={top + r * (cell + gap) + cell - 2}>
                {d}
              </text>
            ) : null,
          )}
          {monthLabels.map((m, j) =>
            // skip a first-column label that would collide with the next month's
            j === 0 && monthLabels[1] && monthLabels[1].i - m.i < 14 ? null : (
              <text key={`${m.i}`} className="plot-label" x={pos(m.i).x} y={top - 5}>
                {m.text}
              </text>
            ),
          )}
          {days.map((d, i) => {
            const p = pos(i);
            return (
              <rect
                key={d.day}
                x={p.x}
                y={p.y}
                width={cell}
                height={cell}
                rx={2}
                className={`pl-cal-cell${index === i ? ' active' : ''}`}
                style={{ fill: fill(d.count) }}
                onPointerEnter={() => setIndex(i)}
              />
            );
          })}
        </svg>
      </div>
      <div className="pl-cal-foot">
        <p className="pl-readout">{index !== null ? text(index) : ' '}</p>
        <span className="pl-cal-legend" aria-hidden="true">
          Less
          {[0, 0.25, 0.5, 0.75, 1].map((t) => (
            <i key={t} style={{ background: t === 0 ? 'var(--surface-2)' : shade(0.15 + 0.85 * t) }} />
          ))}
          More
        </span>
      </div>
      <p id={`${uid}-s`} className="pl-summary">
        {summary}
      </p>
    </figure>
  );
}

export default CalendarHeatmap;
