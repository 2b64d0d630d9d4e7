// Practice: spaced-repetition review of the card decks, review statistics, and the Problems and Quizzes tabs that
// their features fill. The tab is in the URL (?tab=statistics) so a view can be linked.
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { PageHeader } from '../../app/PageHeader';
import { navigate, useLocation } from '../../app/router';
import { initProgress, useProgress } from '../../state/progress';
import { type Deck, loadDecks } from './decks';
import { ProblemsTab } from './ProblemsTab';
import { QuizzesTab } from './QuizzesTab';
import { RecoveryNotice } from './RecoveryNotice';
import { ReviewPanel } from './ReviewPanel';
import { StatsPanel } from './StatsPanel';
import { trainLive } from './trainLive';
import './practice.css';

const TABS = [
  { id: 'review', label: 'Review' },
  { id: 'statistics', label: 'Statistics' },
  { id: 'problems', label: 'Problems' },
  { id: 'quizzes', label: 'Quizzes' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export default function PracticePage() {
  const search = useLocation((l) => l.search);
  const param = new URLSearchParams(search).get('tab');
  const tab: TabId = TABS.some((t) => t.id === param) ? (param as TabId) : 'review';
  const [decks, setDecks] = useState<Deck[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loaded = useProgress((s) => s.loaded);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    void initProgress();
    loadDecks().then(setDecks, (e) => setError((e as Error).message));
  }, []);

  const select = (id: TabId, focus = false) => {
    navigate(id === 'review' ? '/practice' : `/practice?tab=${id}`, { replace: true });
    if (focus) tabRefs.current[TABS.findIndex((t) => t.id === id)]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (i + TABS.length - 1) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    select(TABS[next].id, true);
  };

  return (
    <div className="page practice-page">
      <PageHeader eyebrow="Practice" title="Make it stick">
        <p>
          Short daily reviews that bring each card back just before you would forget it, and the numbers behind them.
        </p>
      </PageHeader>
      <RecoveryNotice />
      <div className="practice-tabs" role="tablist" aria-label="Practice" onKeyDown={onKey}>
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`practice-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`practice-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="practice-tab"
            onClick={() => select(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        className="practice-panel"
        role="tabpanel"
        id={`practice-panel-${tab}`}
        aria-labelledby={`practice-tab-${tab}`}
      >
        {error && <p className="storage-notice">The decks could not be loaded: {error}</p>}
        {(tab === 'review' || tab === 'statistics') && (!decks || !loaded) && !error && (
          <div className="page-loading" role="status">
            <span className="spinner" aria-hidden="true" /> Loading your cards…
          </div>
        )}
        {decks && loaded && tab === 'review' && <ReviewPanel decks={decks} trainLive={trainLive} />}
        {decks && loaded && tab === 'statistics' && <StatsPanel decks={decks} />}
        {tab === 'problems' && <ProblemsTab />}
        {tab === 'quizzes' && <QuizzesTab />}
      </div>
    </div>
  );
}
