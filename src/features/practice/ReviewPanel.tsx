// The Review tab: the decks with their due and new counts, the practice settings, and the review session itself.
// Keyboard: Space shows the answer, 1–4 rate (Again, Hard, Good, Easy), on predict cards 1–3 pick a curve first,
// U undoes the last rating. Each rating button shows the interval ts-fsrs would give.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useProgress } from '../../state/progress';
import {
  type DeckCounts,
  deckCounts,
  NEW_PER_DAY_RANGE,
  nextCardId,
  previewCard,
  RETENTION_RANGE,
  rateCard,
  setPracticeSettings,
  undoLastRating,
} from '../../state/reviews';
import { CardView, type TrainLiveSlot } from './CardView';
import type { Deck, PracticeCard } from './decks';

const deckLike = (d: Deck) => ({ id: d.id, cardIds: d.cards.map((c) => c.id) });

function useNow(): [Date, () => void] {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(t);
  }, []);
  return [now, useCallback(() => setNow(new Date()), [])];
}

export function ReviewPanel({ decks, trainLive }: { decks: Deck[]; trainLive?: TrainLiveSlot }) {
  const data = useProgress();
  const [now, tick] = useNow();
  const [selected, setSelected] = useState<string>('all');
  const [studying, setStudying] = useState(false);
  const counts = useMemo(() => decks.map((d) => deckCounts(deckLike(d), data, now)), [decks, data, now]);
  const start = (deck: string) => {
    setSelected(deck);
    setStudying(true);
    tick();
  };
  const active = selected === 'all' ? decks : decks.filter((d) => d.id === selected);

  return (
    <div className="review-panel">
      {studying ? (
        <Session
          decks={active}
          title={selected === 'all' ? 'All decks' : (active[0]?.title ?? 'Deck')}
          now={now}
          tick={tick}
          onExit={() => setStudying(false)}
          trainLive={trainLive}
        />
      ) : (
        <DeckList decks={decks} counts={counts} onStudy={start} />
      )}
      <SettingsPanel />
    </div>
  );
}

function DeckList({
  decks,
  counts,
  onStudy,
}: {
  decks: Deck[];
  counts: DeckCounts[];
  onStudy: (deck: string) => void;
}) {
  const sum = (k: keyof DeckCounts) => counts.reduce((a, c) => a + c[k], 0);
  const newAll = Math.min(
    sum('unseen'),
    counts.reduce((m, c) => Math.max(m, c.new), 0),
  );
  const anything = sum('due') + newAll > 0;
  return (
    <section className="deck-list" aria-labelledby="deck-list-title">
      <div className="deck-list-head">
        <div>
          <h2 id="deck-list-title">Today</h2>
          <p className="deck-list-sum" data-testid="due-total">
            <strong>{sum('due')}</strong> due · <strong>{newAll}</strong> new
          </p>
        </div>
        <button
          type="button"
          className="button button-primary"
          onClick={() => onStudy('all')}
          disabled={!anything}
          data-testid="study-all"
        >
          {anything ? 'Study all decks' : 'All caught up'}
        </button>
      </div>
      <table className="deck-table">
        <thead>
          <tr>
            <th scope="col">Deck</th>
            <th scope="col" className="num">
              Due
            </th>
            <th scope="col" className="num">
              New
            </th>
            <th scope="col" className="num">
              Cards
            </th>
            <th scope="col">
              <span className="visually-hidden">Study</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {decks.map((d, i) => (
            <tr key={d.id} data-deck={d.id}>
              <th scope="row">
                <span className="deck-title">{d.title}</span>
                <span className={`deck-level level-${d.level}`}>{d.level}</span>
                {d.sample && <span className="deck-level">sample</span>}
                {d.summary && <span className="deck-summary">{d.summary}</span>}
              </th>
              <td className="num due" data-testid={`due-${d.id}`}>
                {counts[i].due}
              </td>
              <td className="num new">{counts[i].new}</td>
              <td className="num">{counts[i].total}</td>
              <td>
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => onStudy(d.id)}
                  disabled={counts[i].due + counts[i].new === 0}
                  aria-label={`Study ${d.title}`}
                >
                  Study
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SettingsPanel() {
  const settings = useProgress((s) => s.settings);
  const id = useId();
  return (
    <details className="practice-settings">
      <summary>Settings</summary>
      <div className="practice-settings-body">
        <label htmlFor={`${id}-n`}>
          New cards per day
          <input
            id={`${id}-n`}
            type="number"
            min={NEW_PER_DAY_RANGE[0]}
            max={NEW_PER_DAY_RANGE[1]}
            value={settings.newCardsPerDay}
            onChange={(e) => setPracticeSettings({ newCardsPerDay: Number(e.target.value) })}
          />
        </label>
        <label htmlFor={`${id}-r`}>
          Desired retention <output htmlFor={`${id}-r`}>{Math.round(settings.desiredRetention * 100)}%</output>
          <input
            id={`${id}-r`}
            type="range"
            min={RETENTION_RANGE[0]}
            max={RETENTION_RANGE[1]}
            step={0.01}
            value={settings.desiredRetention}
            onChange={(e) => setPracticeSettings({ desiredRetention: Number(e.target.value) })}
          />
        </label>
        <p className="practice-settings-note">
          The chance of still remembering a card when it comes back. Higher means shorter intervals and more reviews.
        </p>
      </div>
    </details>
  );
}

function Session({
  decks,
  title,
  now,
  tick,
  onExit,
  trainLive,
}: {
  decks: Deck[];
  title: string;
  now: Date;
  tick: () => void;
  onExit: () => void;
  trainLive?: TrainLiveSlot;
}) {
  const data = useProgress();
  const [revealed, setRevealed] = useState(false);
  const [choice, setChoice] = useState<string | null>(null);
  const [forced, setForced] = useState<string | null>(null);
  const [done, setDone] = useState(0);
  const cardRef = useRef<HTMLElement>(null);
  const byId = useMemo(() => new Map(decks.flatMap((d) => d.cards.map((c) => [c.id, c] as const))), [decks]);
  const list = useMemo(() => decks.map(deckLike), [decks]);
  const nextId = forced && byId.has(forced) ? forced : nextCardId(list, data, now);
  const card: PracticeCard | undefined = nextId ? byId.get(nextId) : undefined;
  const previews = useMemo(() => (card ? previewCard(card.id, now, data) : []), [card, now, data]);
  const canUndo = data.reviewLogs.length > 0 && done > 0;
  const counts = useMemo(
    () =>
      list.reduce(
        (a, d) => {
          const c = deckCounts(d, data, now);
          return { due: a.due + c.due, unseen: a.unseen + c.unseen, new: Math.max(a.new, c.new) };
        },
        { due: 0, unseen: 0, new: 0 },
      ),
    [list, data, now],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new card takes the focus
  useEffect(() => {
    cardRef.current?.focus({ preventScroll: true });
  }, [card?.id]);

  const reveal = useCallback(() => setRevealed(true), []);
  const rate = useCallback(
    (rating: 1 | 2 | 3 | 4) => {
      if (!card || !revealed) return;
      rateCard(card.id, rating, new Date());
      setRevealed(false);
      setChoice(null);
      setForced(null);
      setDone((n) => n + 1);
      tick();
    },
    [card, revealed, tick],
  );
  const choose = useCallback(
    (c: string) => {
      if (revealed) return;
      setChoice(c);
      setRevealed(true);
    },
    [revealed],
  );
  const undo = useCallback(() => {
    const log = undoLastRating();
    if (!log) return;
    setForced(log.cardId);
    setRevealed(false);
    setChoice(null);
    setDone((n) => Math.max(0, n - 1));
    tick();
  }, [tick]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input, textarea, select, [contenteditable="true"], details')) return;
      const onControl = t?.closest('button, a, [role="slider"]');
      if (e.key === ' ' || e.key === 'Enter') {
        if (onControl) return; // the focused control's own activation
        if (card && !revealed && card.type !== 'predict') {
          e.preventDefault();
          reveal();
        }
        return;
      }
      if (e.key === 'u' || e.key === 'U') {
        if (canUndo) {
          e.preventDefault();
          undo();
        }
        return;
      }
      const n = Number(e.key);
      if (!card || !Number.isInteger(n) || n < 1 || n > 4) return;
      e.preventDefault();
      if (!revealed && card.type === 'predict') {
        if (n <= card.choices.length) choose(card.choices[n - 1]);
      } else if (revealed) rate(n as 1 | 2 | 3 | 4);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [card, revealed, reveal, rate, choose, undo, canUndo]);

  const deckOf = card ? decks.find((d) => d.id === card.deck) : undefined;
  return (
    <section className="session" aria-labelledby="session-title">
      <div className="session-head">
        <div>
          <p className="eyebrow">Reviewing</p>
          <h2 id="session-title">{title}</h2>
        </div>
        <p className="session-counts" aria-live="polite" data-testid="session-counts">
          <span>
            <strong>{counts.due}</strong> due
          </span>
          <span>
            <strong>{counts.new}</strong> new
          </span>
          <span>
            <strong>{done}</strong> reviewed
          </span>
        </p>
        <div className="session-tools">
          <button type="button" className="button button-small" onClick={undo} disabled={!canUndo}>
            Undo <kbd>U</kbd>
          </button>
          <button type="button" className="button button-small" onClick={onExit}>
            End session
          </button>
        </div>
      </div>
      {card ? (
        <section
          ref={cardRef}
          className={`review-card type-${card.type}${revealed ? ' revealed' : ''}`}
          tabIndex={-1}
          aria-label={`Card: ${card.type === 'qa' ? 'question' : card.type === 'cloze' ? 'fill in the blank' : 'predict the loss curve'}`}
          data-card={card.id}
          data-testid="review-card"
        >
          <p className="review-card-meta">
            <span>{deckOf?.title}</span>
            <span>{data.cards[card.id] ? stateName(data.cards[card.id].state) : 'New card'}</span>
          </p>
          <CardView card={card} revealed={revealed} choice={choice} onChoose={choose} trainLive={trainLive} />
          <div className="review-actions">
            {!revealed ? (
              card.type !== 'predict' && (
                <button type="button" className="button button-primary reveal-button" onClick={reveal}>
                  Show answer <kbd>Space</kbd>
                </button>
              )
            ) : (
              <fieldset className="rating-buttons">
                <legend className="visually-hidden">How well did you remember?</legend>
                {previews.map((p) => (
                  <button
                    key={p.rating}
                    type="button"
                    className={`rating-button rating-${p.rating}`}
                    onClick={() => rate(p.rating)}
                    aria-label={`${p.label}: next review in ${p.interval} (key ${p.rating})`}
                    data-rating={p.rating}
                  >
                    <span className="rating-interval">{p.interval}</span>
                    <span className="rating-label">{p.label}</span>
                    <kbd>{p.rating}</kbd>
                  </button>
                ))}
              </fieldset>
            )}
          </div>
        </section>
      ) : (
        <div className="session-done" role="status" ref={cardRef as React.RefObject<HTMLDivElement>} tabIndex={-1}>
          <h3>{done ? 'Session done' : 'Nothing due right now'}</h3>
          <p>
            {done
              ? `You reviewed ${done} card${done === 1 ? '' : 's'}. The next ones come back when they are due.`
              : 'No cards are due and the new cards for today are used up.'}
          </p>
          <button type="button" className="button" onClick={onExit}>
            Back to the decks
          </button>
        </div>
      )}
    </section>
  );
}

const stateName = (s: number) => ['New', 'Learning', 'Review', 'Relearning'][s] ?? '';
