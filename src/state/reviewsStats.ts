// Review statistics for the Practice page's charts: reviews per day, true retention against the desired one, card
// maturity and the due forecast. Pure functions of the stored records and a "now"; local calendar days.
import type { CardRecord, ReviewLogRecord } from './reviewsSchema';

/** A card is mature once its interval reaches this many days (Anki's convention). */
export const MATURE_DAYS = 21;
const DAY = 86_400_000;

export const dayKey = (t: Date | number | string): string => {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const midnight = (t: Date | number) => {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d;
};

/** Whole local days from a to b (b later is positive), robust to daylight-saving shifts. */
export const daysBetween = (a: Date | number, b: Date | number) =>
  Math.round((midnight(b).getTime() - midnight(a).getTime()) / DAY);

/** Reviews per local day: [{ day: 'YYYY-MM-DD', count }] for the `days` days ending today, oldest first. */
export function reviewsPerDay(logs: ReviewLogRecord[], now: Date, days: number): { day: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const l of logs) {
    const k = dayKey(l.review);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const out: { day: string; count: number }[] = [];
  const today = midnight(now);
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(today);
    d.setDate(d.getDate() - i);
    const k = dayKey(d);
    out.push({ day: k, count: counts.get(k) ?? 0 });
  }
  return out;
}

export interface RetentionBucket {
  /** First day of the week (local), 'YYYY-MM-DD'. */
  week: string;
  reviews: number;
  passed: number;
}

/**
 * True retention: of the reviews of cards in the Review state (scheduled recall, not learning steps), the share not
 * rated Again. Weekly buckets for the `weeks` weeks ending this week, and the total.
 */
export function trueRetention(
  logs: ReviewLogRecord[],
  now: Date,
  weeks: number,
): { buckets: RetentionBucket[]; reviews: number; passed: number } {
  const start = midnight(now);
  start.setDate(start.getDate() - ((start.getDay() + 6) % 7)); // Monday
  const buckets: RetentionBucket[] = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const d = new Date(start);
    d.setDate(d.getDate() - 7 * i);
    buckets.push({ week: dayKey(d), reviews: 0, passed: 0 });
  }
  let reviews = 0;
  let passed = 0;
  for (const l of logs) {
    if (l.state !== 2) continue;
    reviews++;
    if (l.rating > 1) passed++;
    const back = daysBetween(new Date(l.review), start); // > 0 when the review is before this Monday
    const idx = back <= 0 ? weeks - 1 : weeks - 1 - Math.ceil(back / 7);
    if (idx >= 0 && idx < weeks) {
      buckets[idx].reviews++;
      if (l.rating > 1) buckets[idx].passed++;
    }
  }
  return { buckets, reviews, passed };
}

export interface Maturity {
  new: number;
  learning: number;
  young: number;
  mature: number;
}

/** Cards by maturity: never rated, in (re)learning, reviewed with an interval under 21 days, and 21 days or more. */
export function maturity(cardIds: string[], cards: Record<string, CardRecord>): Maturity {
  const out: Maturity = { new: 0, learning: 0, young: 0, mature: 0 };
  for (const id of cardIds) {
    const c = cards[id];
    if (!c || c.state === 0) out.new++;
    else if (c.state === 1 || c.state === 3) out.learning++;
    else if (c.scheduled_days >= MATURE_DAYS) out.mature++;
    else out.young++;
  }
  return out;
}

/** Seen cards coming due on each of the next `days` days (today first; overdue cards count today). */
export function forecast(cardIds: string[], cards: Record<string, CardRecord>, now: Date, days = 30): number[] {
  const out = new Array<number>(days).fill(0);
  for (const id of cardIds) {
    const c = cards[id];
    if (!c) continue;
    const d = Math.max(0, daysBetween(now, Date.parse(c.due)));
    if (d < days) out[d]++;
  }
  return out;
}
