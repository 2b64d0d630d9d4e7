// The Statistics tab: reviews per day, true retention against the desired retention, card maturity and the due
// forecast, each a chart from src/plots with a sentence summary.
import { useMemo, useRef } from 'react';
import { CalendarHeatmap } from '../../plots/CalendarHeatmap';
import { ForecastChart } from '../../plots/ForecastChart';
import { MaturityChart } from '../../plots/MaturityChart';
import { RetentionChart } from '../../plots/RetentionChart';
import { useWidth } from '../../plots/useWidth';
import { useProgress } from '../../state/progress';
import { forecast, maturity, reviewsPerDay, trueRetention } from '../../state/reviewsStats';
import type { Deck } from './decks';

export function StatsPanel({ decks }: { decks: Deck[] }) {
  const { reviewLogs, cards, settings } = useProgress();
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref, 1000);
  const now = useMemo(() => new Date(), []);
  const ids = useMemo(() => decks.flatMap((d) => d.cards.map((c) => c.id)), [decks]);
  const days = width < 520 ? 15 * 7 : width < 900 ? 26 * 7 : 52 * 7;
  const perDay = useMemo(() => reviewsPerDay(reviewLogs, now, days), [reviewLogs, now, days]);
  const retention = useMemo(() => trueRetention(reviewLogs, now, width < 520 ? 8 : 12), [reviewLogs, now, width]);
  const counts = useMemo(() => maturity(ids, cards), [ids, cards]);
  const due = useMemo(() => forecast(ids, cards, now, 30), [ids, cards, now]);
  return (
    <div className="stats-grid" ref={ref}>
      <section className="stats-card stats-wide" aria-labelledby="stats-calendar">
        <h2 id="stats-calendar">Reviews per day</h2>
        <CalendarHeatmap label="Reviews per day" days={perDay} />
      </section>
      <section className="stats-card" aria-labelledby="stats-retention">
        <h2 id="stats-retention">True retention</h2>
        <RetentionChart label="True retention by week" weeks={retention.buckets} desired={settings.desiredRetention} />
      </section>
      <section className="stats-card" aria-labelledby="stats-forecast">
        <h2 id="stats-forecast">Due in the next 30 days</h2>
        <ForecastChart label="Cards due per day" counts={due} />
      </section>
      <section className="stats-card stats-wide" aria-labelledby="stats-maturity">
        <h2 id="stats-maturity">Card maturity</h2>
        <MaturityChart label="Cards by maturity" counts={counts} />
      </section>
    </div>
  );
}
