import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { type Card, createEmptyCard, fsrs, type Grade } from 'ts-fsrs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  exportProgress,
  exportReadable,
  importProgress,
  initProgress,
  lastExport,
  markConceptDone,
  progressSaved,
  resetProgressForTests,
  useProgress,
} from './progress';
import { closeProgressDb, DB_NAME, readAll } from './progressDb';
import { type KnownIds, SCHEMA_VERSION } from './progressSchema';
import {
  deckCounts,
  nextCardId,
  previewCard,
  rateCard,
  recordProblemResult,
  recordQuizAnswer,
  setPracticeSettings,
  undoLastRating,
} from './reviews';
import { forecast, maturity, reviewsPerDay, trueRetention } from './reviewsStats';

const known: KnownIds = { concepts: new Set(['adam', 'dropout']) };

async function reload() {
  await progressSaved();
  await closeProgressDb();
  resetProgressForTests();
  await initProgress();
}

async function freshBrowser() {
  await progressSaved();
  await closeProgressDb();
  globalThis.indexedDB = new IDBFactory();
  resetProgressForTests();
}

// localStorage for the "last export" kept outside IndexedDB.
const store = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
    removeItem: (k: string) => store.delete(k),
  },
});

beforeEach(async () => {
  store.clear();
  await freshBrowser();
  await initProgress();
});

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const at = (days: number, minutes = 0) => new Date(T0 + days * 86_400_000 + minutes * 60_000);

/** A scripted history over three cards: learning steps, lapses, an early review, a long gap. */
const HISTORY: [string, 1 | 2 | 3 | 4, Date][] = [
  ['a', 3, at(0)],
  ['b', 1, at(0, 1)],
  ['c', 4, at(0, 2)],
  ['b', 3, at(0, 3)],
  ['a', 3, at(0, 11)],
  ['b', 3, at(0, 14)],
  ['a', 3, at(3)],
  ['c', 2, at(4)],
  ['a', 1, at(12)],
  ['a', 3, at(12, 10)],
  ['b', 4, at(13)],
  ['c', 3, at(15)],
  ['a', 2, at(20)],
  ['b', 3, at(60)],
];

function expected(history: typeof HISTORY, retention = 0.9): Map<string, Card> {
  const f = fsrs({ request_retention: retention, enable_fuzz: false });
  const cards = new Map<string, Card>();
  for (const [id, rating, now] of history) {
    const card: Card = cards.get(id) ?? createEmptyCard(now);
    cards.set(id, f.next(card, now, rating as Grade).card);
  }
  return cards;
}

function expectSameAsFsrs(want: Map<string, Card>) {
  const { cards } = useProgress.getState();
  expect(Object.keys(cards).sort()).toEqual([...want.keys()].sort());
  for (const [id, card] of want) {
    const got = cards[id];
    expect(got.due, `due of ${id}`).toBe(card.due.toISOString());
    expect(got.state, `state of ${id}`).toBe(card.state);
    expect(got.stability).toBeCloseTo(card.stability, 10);
    expect(got.difficulty).toBeCloseTo(card.difficulty, 10);
    expect(got.reps).toBe(card.reps);
    expect(got.lapses).toBe(card.lapses);
    expect(got.scheduled_days).toBe(card.scheduled_days);
  }
}

describe('scheduling with ts-fsrs', () => {
  it('gives every card the due date and state ts-fsrs computes for the same history, also after a reload', async () => {
    for (const [id, rating, now] of HISTORY) rateCard(id, rating, now);
    const want = expected(HISTORY);
    expectSameAsFsrs(want);
    expect(useProgress.getState().reviewLogs).toHaveLength(HISTORY.length);
    await reload();
    expectSameAsFsrs(want);
  });

  it('passes the desired retention to FSRS as request_retention', async () => {
    setPracticeSettings({ desiredRetention: 0.8 });
    for (const [id, rating, now] of HISTORY) rateCard(id, rating, now);
    expectSameAsFsrs(expected(HISTORY, 0.8));
    expect(useProgress.getState().cards.a.due).not.toBe(expected(HISTORY, 0.9).get('a')?.due.toISOString());
    await reload();
    expect(useProgress.getState().settings).toEqual({ newCardsPerDay: 20, desiredRetention: 0.8 });
  });

  it('previews each button with what ts-fsrs would schedule', () => {
    rateCard('a', 3, at(0));
    const now = at(0, 11);
    const f = fsrs({ request_retention: 0.9, enable_fuzz: false });
    const preview = f.repeat(f.next(createEmptyCard(at(0)), at(0), 3).card, now);
    const mine = previewCard('a', now);
    expect(mine.map((p) => p.due.toISOString())).toEqual(
      ([1, 2, 3, 4] as Grade[]).map((g) => preview[g].card.due.toISOString()),
    );
    expect(mine.map((p) => p.label)).toEqual(['Again', 'Hard', 'Good', 'Easy']);
    expect(previewCard('new-card', now)[0].interval).toBe('1m');
  });

  it('undoes the last rating (rollback), and a first rating makes the card new again', async () => {
    rateCard('a', 3, at(0));
    rateCard('a', 3, at(0, 11));
    const before = structuredClone(useProgress.getState().cards.a);
    rateCard('a', 1, at(3));
    expect(undoLastRating()?.cardId).toBe('a');
    expect(useProgress.getState().cards.a).toEqual(before);
    expect(useProgress.getState().reviewLogs).toHaveLength(2);
    rateCard('b', 3, at(3));
    undoLastRating();
    expect(useProgress.getState().cards.b).toBeUndefined();
    await reload();
    expect(useProgress.getState().cards.a).toEqual(before);
    expect(useProgress.getState().cards.b).toBeUndefined();
    expect(useProgress.getState().reviewLogs).toHaveLength(2);
  });
});

describe('the queue', () => {
  const deck = { id: 'd', cardIds: ['a', 'b', 'c', 'd', 'e'] };

  it('counts due and new cards per deck, within the daily new-card limit', () => {
    setPracticeSettings({ newCardsPerDay: 3 });
    const now = new Date();
    expect(deckCounts(deck, useProgress.getState(), now)).toMatchObject({ due: 0, new: 3, unseen: 5, total: 5 });
    rateCard('a', 3, now);
    rateCard('b', 4, now);
    const later = new Date(now.getTime() + 15 * 60_000);
    const c = deckCounts(deck, useProgress.getState(), later);
    expect(c).toMatchObject({ due: 1, learning: 1, new: 1, unseen: 3 });
    expect(nextCardId([deck], useProgress.getState(), later)).toBe('a');
    rateCard('c', 3, later);
    expect(deckCounts(deck, useProgress.getState(), later).new).toBe(0);
  });
});

describe('recording quiz answers and problem results', () => {
  it('keeps every attempt, through a reload and an export/import round trip', async () => {
    recordQuizAnswer('adam-sgd-1', 'adam', false);
    recordQuizAnswer('adam-sgd-1', 'adam', true);
    recordProblemResult('fix-nan-lr', { passed: true, metric: 'val_accuracy', value: 0.93, steps: 2000 });
    rateCard('a', 3, at(0));
    markConceptDone('dropout');
    await reload();
    const s = useProgress.getState();
    expect(s.quizAnswers.map((a) => a.correct)).toEqual([false, true]);
    expect(s.problemResults[0]).toMatchObject({ problemId: 'fix-nan-lr', passed: true, value: 0.93 });

    const json = exportProgress();
    const file = JSON.parse(json);
    expect(file.schemaVersion).toBe(SCHEMA_VERSION);
    expect(file.data.cards).toHaveLength(1);
    expect(file.data.reviewLogs).toHaveLength(1);
    expect(file.data.quizAnswers).toHaveLength(2);
    expect(file.data.problemResults).toHaveLength(1);
    expect(file.data.meta.settings).toEqual({ newCardsPerDay: 20, desiredRetention: 0.9 });
    const pick = () => {
      const { cards, reviewLogs, quizAnswers, problemResults, settings, concepts } = useProgress.getState();
      return structuredClone({ cards, reviewLogs, quizAnswers, problemResults, settings, concepts });
    };
    const before = pick();

    await freshBrowser();
    await initProgress();
    expect(await importProgress(json, { known, mode: 'replace' })).toMatchObject({ ok: true });
    expect(pick()).toEqual(before);
    await reload();
    expect(pick()).toEqual(before);
    // Merging the same file again duplicates nothing.
    expect(await importProgress(json, { known, mode: 'merge' })).toMatchObject({ ok: true });
    expect(pick()).toEqual(before);
  });

  it('refuses a file with a damaged review record and changes nothing', async () => {
    rateCard('a', 3, at(0));
    await progressSaved();
    const file = JSON.parse(exportProgress());
    file.data.cards[0].due = 'soon';
    const dbBefore = await readAll();
    const result = await importProgress(JSON.stringify(file), { known, mode: 'replace' });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/card "a": due "soon" is not a date/) });
    expect(await readAll()).toEqual(dbBefore);
    const bad = JSON.parse(exportProgress());
    bad.data.meta.settings = { newCardsPerDay: 20, desiredRetention: 2 };
    expect(await importProgress(JSON.stringify(bad), { known })).toMatchObject({ ok: false });
  });
});

describe('schema 1 to 2', () => {
  it('upgrades a schema-1 database: progress kept, practice stores added with default settings', async () => {
    await closeProgressDb();
    globalThis.indexedDB = new IDBFactory();
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('concepts', { keyPath: 'id' });
        db.createObjectStore('pathways', { keyPath: 'id' });
        db.createObjectStore('meta');
      };
      req.onsuccess = () => {
        const db = req.result;
        const tx = db.transaction(['concepts', 'pathways', 'meta'], 'readwrite');
        tx.objectStore('concepts').put({ id: 'adam', readAt: '2026-01-06T00:00:00.000Z' });
        tx.objectStore('pathways').put({ id: 'critical-path', currentStep: 2, completed: {} });
        tx.objectStore('meta').put(1, 'schemaVersion');
        tx.objectStore('meta').put('critical-path', 'activePathway');
        tx.objectStore('meta').put(null, 'lastLocation');
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
      req.onerror = () => reject(req.error);
    });
    resetProgressForTests();
    await initProgress();
    const s = useProgress.getState();
    expect(s.loadProblems).toEqual([]);
    expect(s.concepts.adam.readAt).toBe('2026-01-06T00:00:00.000Z');
    expect(s.activePathway).toBe('critical-path');
    expect(s.pathways['critical-path'].currentStep).toBe(2);
    expect(s.settings).toEqual({ newCardsPerDay: 20, desiredRetention: 0.9 });
    const raw = await readAll();
    expect(raw.meta.schemaVersion).toBe(2);
    expect(raw.cards).toEqual([]);
    rateCard('a', 3, at(0));
    await reload();
    expect(useProgress.getState().cards.a).toBeDefined();
    expect(useProgress.getState().concepts.adam.readAt).toBe('2026-01-06T00:00:00.000Z');
  });

  it('imports a schema-1 export file (no practice records)', async () => {
    const file = {
      app: 'gradient-atlas',
      kind: 'progress',
      schemaVersion: 1,
      exportedAt: '2026-01-07T00:00:00.000Z',
      data: { concepts: [{ id: 'adam', doneAt: '2026-01-07T00:00:00.000Z' }], pathways: [], meta: {} },
    };
    expect(await importProgress(JSON.stringify(file), { known })).toEqual({
      ok: true,
      concepts: 1,
      pathways: 0,
      migratedFrom: 1,
    });
    expect(useProgress.getState().settings.newCardsPerDay).toBe(20);
  });
});

describe('a damaged store', () => {
  it('is detected on load, never wiped, and offers what could be read and the last export', async () => {
    rateCard('a', 3, at(0));
    rateCard('b', 3, at(0, 1));
    markConceptDone('adam');
    const lastJson = exportProgress();
    await progressSaved();
    // Something corrupts one card record and one log record in the database.
    const db = await (await import('./progressDb')).openProgressDb();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['cards', 'reviewLogs'], 'readwrite');
      tx.objectStore('cards').put({ id: 'b', due: 42, state: 'weird' });
      tx.objectStore('reviewLogs').put({ id: 'broken-log', rating: 9 });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    const rawBefore = await readAll();
    await reload();
    const s = useProgress.getState();
    expect(s.loadProblems.length).toBe(2);
    expect(s.loadProblems.join(' ')).toMatch(/card "b"/);
    expect(s.cards.a).toBeDefined(); // the readable records load
    expect(s.concepts.adam.doneAt).toBeDefined();
    expect(s.loadRaw).not.toBeNull();
    // Nothing was rewritten or deleted.
    expect(await readAll()).toEqual(rawBefore);
    // The learner is offered the last export and a file of what could be read (importable, damaged part kept).
    expect(lastExport()?.text).toBe(lastJson);
    const readable = JSON.parse(exportReadable());
    expect(readable.data.cards.map((c: { id: string }) => c.id)).toEqual(['a']);
    expect(readable.unreadable.cards).toContainEqual({ id: 'b', due: 42, state: 'weird' });
    expect(readable.problems).toHaveLength(2);
    // Writing on: other records save, the damaged ones stay until the learner replaces them.
    rateCard('c', 3, at(1));
    await reload();
    expect(useProgress.getState().cards.c).toBeDefined();
    expect((await readAll()).cards).toContainEqual({ id: 'b', due: 42, state: 'weird' });
    // Restoring from the last export (replace) repairs the store.
    expect(await importProgress(lastJson, { known, mode: 'replace' })).toMatchObject({ ok: true });
    await reload();
    expect(useProgress.getState().loadProblems).toEqual([]);
    expect(useProgress.getState().cards.b).toBeDefined();
  });
});

describe('statistics', () => {
  it('reviews per day, true retention, maturity and the forecast', () => {
    for (const [id, rating, now] of HISTORY) rateCard(id, rating, now);
    const s = useProgress.getState();
    const now = at(61);
    const perDay = reviewsPerDay(s.reviewLogs, now, 70);
    expect(perDay).toHaveLength(70);
    expect(perDay.reduce((a, d) => a + d.count, 0)).toBe(HISTORY.length);
    const r = trueRetention(s.reviewLogs, now, 12);
    const reviewLogs = s.reviewLogs.filter((l) => l.state === 2);
    expect(r.reviews).toBe(reviewLogs.length);
    expect(r.passed).toBe(reviewLogs.filter((l) => l.rating > 1).length);
    expect(r.buckets.reduce((a, b) => a + b.reviews, 0)).toBe(r.reviews);
    const m = maturity(['a', 'b', 'c', 'z'], s.cards);
    expect(m.new).toBe(1);
    expect(m.new + m.learning + m.young + m.mature).toBe(4);
    const f = forecast(['a', 'b', 'c', 'z'], s.cards, now, 30);
    expect(f).toHaveLength(30);
    expect(f.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3);
  });
});
