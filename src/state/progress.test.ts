import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  conceptStatus,
  exportProgress,
  importProgress,
  initProgress,
  knownConceptIds,
  markConceptDone,
  markConceptRead,
  markStepDone,
  progressSaved,
  recordMiniLabRun,
  refreshFromDb,
  resetProgressForTests,
  setActivePathway,
  setCurrentStep,
  unmarkConceptDone,
  unmarkStep,
  useProgress,
} from './progress';
import { closeProgressDb, DB_NAME, openProgressDb, readAll, writeBatch } from './progressDb';
import { type KnownIds, SCHEMA_VERSION } from './progressSchema';

const known: KnownIds = {
  concepts: new Set(['adam', 'learning-rate', 'batch-normalization', 'skip-connections', 'resnet', 'dropout']),
  pathways: new Map([
    ['critical-path', 5],
    ['foundations-first', 8],
  ]),
};

/** Simulates a page reload: drop the in-memory store and the connection, keep the database. */
async function reload() {
  await progressSaved();
  await closeProgressDb();
  resetProgressForTests();
  await initProgress();
}

function snapshot() {
  const { concepts, pathways, activePathway } = useProgress.getState();
  return structuredClone({ concepts, pathways, activePathway });
}

beforeEach(async () => {
  await progressSaved();
  await closeProgressDb();
  globalThis.indexedDB = new IDBFactory();
  resetProgressForTests();
  await initProgress();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('progress store', () => {
  it('starts empty and records reading, done marks, steps and the active pathway', () => {
    expect(conceptStatus('adam')).toBe('new');
    markConceptRead('adam');
    expect(conceptStatus('adam')).toBe('read');
    markConceptDone('adam');
    expect(conceptStatus('adam')).toBe('done');
    unmarkConceptDone('adam');
    expect(conceptStatus('adam')).toBe('read');

    setActivePathway('critical-path');
    markStepDone('critical-path', 0, 'read');
    markStepDone('critical-path', 2, 'manual');
    setCurrentStep('critical-path', 3);
    const p = useProgress.getState().pathways['critical-path'];
    expect(useProgress.getState().activePathway).toBe('critical-path');
    expect(p.currentStep).toBe(3);
    expect(p.completed[0].how).toBe('read');
    expect(p.completed[2].how).toBe('manual');
    unmarkStep('critical-path', 2);
    expect(useProgress.getState().pathways['critical-path'].completed[2]).toBeUndefined();
  });

  it('a manual mark is not downgraded by a later read', () => {
    markStepDone('critical-path', 1, 'manual');
    markStepDone('critical-path', 1, 'read');
    expect(useProgress.getState().pathways['critical-path'].completed[1].how).toBe('manual');
  });

  it('survives a reload', async () => {
    markConceptRead('batch-normalization');
    markConceptDone('dropout');
    setActivePathway('critical-path');
    markStepDone('critical-path', 2, 'manual');
    setCurrentStep('critical-path', 2);
    const before = snapshot();
    await reload();
    expect(useProgress.getState().loaded).toBe(true);
    expect(useProgress.getState().storage.state).toBe('saved');
    expect(snapshot()).toEqual(before);
    const raw = await readAll();
    expect(raw.meta.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('changes made before the saved progress loads are merged, not lost', async () => {
    markConceptDone('resnet');
    await reload();
    resetProgressForTests();
    markConceptRead('adam'); // before init finishes
    await initProgress();
    expect(conceptStatus('resnet')).toBe('done');
    expect(conceptStatus('adam')).toBe('read');
    await reload();
    expect(conceptStatus('adam')).toBe('read');
  });
});

describe('mini-lab runs', () => {
  it('are recorded once, kept by unmarking done, and survive a reload', async () => {
    recordMiniLabRun('adam');
    const first = useProgress.getState().concepts.adam.labRunAt;
    expect(first).toEqual(expect.any(String));
    recordMiniLabRun('adam');
    expect(useProgress.getState().concepts.adam.labRunAt).toBe(first);
    markConceptDone('adam');
    unmarkConceptDone('adam'); // never read: the record stays for the run
    expect(useProgress.getState().concepts.adam).toEqual({ labRunAt: first });
    await reload();
    expect(useProgress.getState().concepts.adam).toEqual({ labRunAt: first });
    expect(conceptStatus('adam')).toBe('new');
  });

  it('are exported and imported (replace and merge, the earliest run kept)', async () => {
    recordMiniLabRun('dropout');
    markConceptRead('adam');
    const json = exportProgress();
    expect(JSON.parse(json).data.concepts).toContainEqual({ id: 'dropout', labRunAt: expect.any(String) });
    const run = useProgress.getState().concepts.dropout.labRunAt;
    await progressSaved();
    await closeProgressDb();
    globalThis.indexedDB = new IDBFactory(); // another browser
    resetProgressForTests();
    await initProgress();
    recordMiniLabRun('adam');
    expect(await importProgress(json, { known, mode: 'merge' })).toMatchObject({ ok: true });
    const s = useProgress.getState().concepts;
    expect(s.dropout).toEqual({ labRunAt: run });
    expect(s.adam.readAt).toEqual(expect.any(String));
    expect(s.adam.labRunAt).toEqual(expect.any(String));
    await reload();
    expect(useProgress.getState().concepts.dropout).toEqual({ labRunAt: run });
  });
});

describe('other tabs', () => {
  it("takes records another tab saved, without losing this tab's unsaved changes", async () => {
    markStepDone('critical-path', 0, 'manual');
    markConceptRead('adam');
    await progressSaved();
    // Another tab completes step 1 and marks dropout done, writing straight to the database.
    const at = new Date().toISOString();
    const pathways = [
      { id: 'critical-path', currentStep: 1, completed: { 0: { how: 'manual', at }, 1: { how: 'manual', at } } },
    ];
    const concepts = [{ id: 'dropout', doneAt: at }];
    await writeBatch({ pathways, concepts });
    markConceptDone('resnet'); // this tab's change, not yet flushed
    await refreshFromDb();
    expect(conceptStatus('dropout')).toBe('done');
    expect(conceptStatus('resnet')).toBe('done');
    expect(conceptStatus('adam')).toBe('read');
    // Now this tab marks step 2: step 1 from the other tab must survive the write.
    markStepDone('critical-path', 2, 'manual');
    await reload();
    expect(Object.keys(useProgress.getState().pathways['critical-path'].completed).sort()).toEqual(['0', '1', '2']);
    expect(conceptStatus('resnet')).toBe('done');
  });
});

describe('export and import', () => {
  it('exports one file that imports back to the same progress', async () => {
    markConceptRead('adam');
    markConceptDone('skip-connections');
    setActivePathway('critical-path');
    markStepDone('critical-path', 0, 'read');
    const before = snapshot();
    const json = exportProgress();
    const file = JSON.parse(json);
    expect(file).toMatchObject({ app: 'gradient-atlas', kind: 'progress', schemaVersion: SCHEMA_VERSION });
    expect(Date.parse(file.exportedAt)).not.toBeNaN();
    expect(file.data.concepts).toHaveLength(2);

    await progressSaved();
    await closeProgressDb();
    globalThis.indexedDB = new IDBFactory(); // another browser
    resetProgressForTests();
    await initProgress();
    expect(conceptStatus('adam')).toBe('new');
    const result = await importProgress(json, { known, mode: 'replace' });
    expect(result).toEqual({ ok: true, concepts: 2, pathways: 1 });
    expect(snapshot()).toEqual(before);
    await reload();
    expect(snapshot()).toEqual(before);
  });

  it('merge keeps both sides; replace takes the file', async () => {
    markConceptRead('adam');
    markStepDone('critical-path', 0, 'manual');
    const json = exportProgress();
    unmarkStep('critical-path', 0);
    markConceptDone('dropout');
    markStepDone('critical-path', 1, 'read');
    await progressSaved();

    expect(await importProgress(json, { known, mode: 'merge' })).toMatchObject({ ok: true });
    expect(conceptStatus('adam')).toBe('read');
    expect(conceptStatus('dropout')).toBe('done');
    expect(Object.keys(useProgress.getState().pathways['critical-path'].completed).sort()).toEqual(['0', '1']);

    expect(await importProgress(json, { known, mode: 'replace' })).toMatchObject({ ok: true });
    expect(conceptStatus('dropout')).toBe('new');
    await reload();
    expect(conceptStatus('dropout')).toBe('new');
    expect(conceptStatus('adam')).toBe('read');
  });

  const good = () => JSON.parse(exportProgress());
  const cases: [string, () => unknown, RegExp][] = [
    ['not JSON', () => '{"app": "gradient-atlas",', /not a JSON file/],
    ['a foreign app', () => ({ ...good(), app: 'other-tutor' }), /another app \("other-tutor"\)/],
    ['no app field', () => ({ kind: 'progress', schemaVersion: 1, data: good().data }), /not exported by Gradient/],
    ['the wrong kind', () => ({ ...good(), kind: 'cards' }), /holds "cards", not learner progress/],
    ['a newer schema', () => ({ ...good(), schemaVersion: SCHEMA_VERSION + 1 }), /newer Gradient Atlas/],
    ['no records', () => ({ ...good(), data: { concepts: 'x' } }), /no progress records/],
    [
      'a malformed date',
      () => ({ ...good(), data: { ...good().data, concepts: [{ id: 'adam', readAt: 'yesterday' }] } }),
      /concept "adam": readAt "yesterday" is not a date/,
    ],
    [
      'an unknown concept id',
      () => ({ ...good(), data: { ...good().data, concepts: [{ id: 'quantum-gravity', doneAt: good().exportedAt }] } }),
      /concept "quantum-gravity" is not a concept of this atlas/,
    ],
    [
      'a mini-lab run that is not a date',
      () => ({ ...good(), data: { ...good().data, concepts: [{ id: 'adam', labRunAt: 'after lunch' }] } }),
      /concept "adam": labRunAt "after lunch" is not a date/,
    ],
    [
      'a duplicate record',
      () => ({ ...good(), data: { ...good().data, concepts: [{ id: 'adam' }, { id: 'adam' }] } }),
      /concept "adam" appears twice/,
    ],
    [
      'a step out of range',
      () => ({
        ...good(),
        data: { ...good().data, pathways: [{ id: 'critical-path', currentStep: 9, completed: {} }] },
      }),
      /current step 9 is not a step of it/,
    ],
    [
      'an unknown pathway',
      () => ({ ...good(), data: { ...good().data, pathways: [{ id: 'nowhere', currentStep: 0, completed: {} }] } }),
      /pathway "nowhere" is not a pathway of this atlas/,
    ],
  ];

  for (const [name, make, message] of cases) {
    it(`rejects ${name} with a message and changes nothing`, async () => {
      markConceptRead('learning-rate');
      setActivePathway('foundations-first');
      markStepDone('foundations-first', 3, 'manual');
      await progressSaved();
      const before = snapshot();
      const dbBefore = await readAll();
      const made = make();
      const result = await importProgress(typeof made === 'string' ? made : JSON.stringify(made), {
        known,
        mode: 'replace',
      });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(message);
      expect(snapshot()).toEqual(before);
      expect(await readAll()).toEqual(dbBefore);
    });
  }

  it('reports how many more problems there are', async () => {
    const file = { ...good(), data: { concepts: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], pathways: [], meta: {} } };
    const result = await importProgress(JSON.stringify(file), { known });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/and 2 more problems/) });
  });

  it('knows the atlas concept ids from the content files by default', () => {
    const ids = knownConceptIds();
    expect(ids.has('batch-normalization')).toBe(true);
    expect(ids.size).toBeGreaterThan(50);
  });
});

describe('schema migrations', () => {
  const v0 = {
    concepts: [
      { id: 'adam', status: 'done', updated: Date.UTC(2026, 0, 5) },
      { id: 'dropout', status: 'read', updated: Date.UTC(2026, 0, 6) },
    ],
    pathways: [{ id: 'critical-path', step: 2, done: [0, 1] }],
    meta: { active: 'critical-path' },
  };

  it('upgrades v0 records found in the database to v1 and rewrites them', async () => {
    await closeProgressDb();
    globalThis.indexedDB = new IDBFactory();
    const db = await openProgressDb();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['concepts', 'pathways', 'meta'], 'readwrite');
      for (const r of v0.concepts) tx.objectStore('concepts').put(r);
      for (const r of v0.pathways) tx.objectStore('pathways').put(r);
      tx.objectStore('meta').put(v0.meta.active, 'active');
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    resetProgressForTests();
    await initProgress();
    const s = useProgress.getState();
    expect(s.loadProblems).toEqual([]);
    expect(conceptStatus('adam')).toBe('done');
    expect(conceptStatus('dropout')).toBe('read');
    expect(s.concepts.dropout.readAt).toBe('2026-01-06T00:00:00.000Z');
    expect(s.activePathway).toBe('critical-path');
    expect(s.pathways['critical-path']).toMatchObject({ currentStep: 2, completed: { 0: { how: 'manual' } } });

    const raw = await readAll();
    expect(raw.meta).toEqual({
      schemaVersion: SCHEMA_VERSION,
      activePathway: 'critical-path',
      lastLocation: null,
      settings: { newCardsPerDay: 20, desiredRetention: 0.9 },
    });
    expect(raw.concepts).toContainEqual({ id: 'dropout', readAt: '2026-01-06T00:00:00.000Z' });
    expect(raw.pathways[0]).not.toHaveProperty('done');
  });

  it('imports a v0 export file through the same migrations', async () => {
    const file = { app: 'gradient-atlas', kind: 'progress', schemaVersion: 0, exportedAt: '2026-01-07', data: v0 };
    const result = await importProgress(JSON.stringify(file), { known });
    expect(result).toEqual({ ok: true, concepts: 2, pathways: 1, migratedFrom: 0 });
    expect(conceptStatus('adam')).toBe('done');
  });
});

describe('storage failures', () => {
  it('a full disk keeps progress in memory, says so, keeps what was saved, and retries later', async () => {
    markConceptDone('adam');
    await progressSaved();
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    markConceptRead('dropout');
    await progressSaved();
    const storage = useProgress.getState().storage;
    expect(storage.state).toBe('memory-only');
    if (storage.state === 'memory-only') {
      expect(storage.problem.kind).toBe('quota');
      expect(storage.problem.message).toMatch(/storage .* is full/);
    }
    expect(conceptStatus('dropout')).toBe('read'); // still in memory
    expect((await readAll()).concepts).toEqual([{ id: 'adam', doneAt: expect.any(String) }]); // saved data intact

    put.mockRestore();
    markConceptRead('resnet'); // the next write carries the queued record too
    await reload();
    expect(conceptStatus('adam')).toBe('done');
    expect(conceptStatus('dropout')).toBe('read');
    expect(conceptStatus('resnet')).toBe('read');
  });

  it('without IndexedDB (private mode) the store works in memory and explains why', async () => {
    await closeProgressDb();
    const saved = globalThis.indexedDB;
    // @ts-expect-error: simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      resetProgressForTests();
      await initProgress();
      const storage = useProgress.getState().storage;
      expect(storage.state).toBe('memory-only');
      if (storage.state === 'memory-only') expect(storage.problem.message).toMatch(/does not let the site save/);
      markConceptDone('adam');
      await progressSaved();
      expect(conceptStatus('adam')).toBe('done');
      const result = await importProgress(exportProgress(), { known });
      expect(result).toMatchObject({ ok: true, warning: expect.stringMatching(/session/) });
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});

it('uses the gradient-atlas database', () => {
  expect(DB_NAME).toBe('gradient-atlas');
});
