// Learner progress: which concepts were read or marked done, where the learner is on each pathway, which pathway is
// active and where they were last. A zustand store that is the truth for the UI, persisted to IndexedDB behind it.
//
// Changes apply in memory at once and are written in the background, one transaction per flush. If the database is
// unavailable or full, the store keeps working in memory, `storage` says why in a sentence, and nothing already saved
// is touched; the unsaved records stay queued and go out with the next successful write.
import { create } from 'zustand';
import { type RawContents, readAll, StorageError, type StorageProblem, writeBatch } from './progressDb';
import {
  contentsVersion,
  EMPTY_PROGRESS,
  type KnownIds,
  mergeProgress,
  migrate,
  type ProgressContents,
  type ProgressData,
  parseContents,
  RECORD_STORES,
  type RecordStore,
  readFile,
  SCHEMA_VERSION,
  type StepHow,
  toContents,
  toFile,
  withoutSchemaVersion,
} from './progressSchema';

export type { ConceptProgress, PathwayProgress, ProgressData, StepHow, StepRecord } from './progressSchema';
export { SCHEMA_VERSION } from './progressSchema';

export type StorageStatus =
  | { state: 'loading' }
  | { state: 'saved' }
  | { state: 'memory-only'; problem: StorageProblem };

export interface ProgressState extends ProgressData {
  /** True once the saved progress has been read (or found unreadable). */
  loaded: boolean;
  storage: StorageStatus;
  /** Problems found in the saved records on load (those records are left untouched in the database). */
  loadProblems: string[];
  /** When there were problems: everything the database held, as read, so the learner can download it. */
  loadRaw: RawContents | null;
}

const initial = (): ProgressState => ({
  ...EMPTY_PROGRESS,
  loaded: false,
  storage: { state: 'loading' },
  loadProblems: [],
  loadRaw: null,
});

export const useProgress = create<ProgressState>(initial);

export type ConceptStatus = 'new' | 'read' | 'done';

export function conceptStatus(
  id: string,
  state: Pick<ProgressData, 'concepts'> & Partial<ProgressData> = useProgress.getState(),
): ConceptStatus {
  const p = state.concepts[id];
  if (p?.doneAt) return 'done';
  if (p?.readAt) return 'read';
  return 'new';
}

/** React hook: the status of one concept, re-rendering only when it changes. */
export function useConceptStatus(id: string): ConceptStatus {
  return useProgress((s) => conceptStatus(id, s));
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

let loading: Promise<void> | undefined;

/** Reads saved progress once (later calls share the promise); runs schema migrations; idempotent. */
export function initProgress(): Promise<void> {
  if (!loading) loading = load();
  return loading;
}

async function load(): Promise<void> {
  try {
    const raw = await readAll();
    const version = contentsVersion(raw);
    let contents = withoutSchemaVersion(raw);
    if (version > SCHEMA_VERSION) {
      throw new StorageError({
        kind: 'error',
        message: `Your saved progress was written by a newer Gradient Atlas (schema ${version}). It is left untouched; this tab keeps progress only for this session. Reload to get the newer app.`,
      });
    }
    if (version < SCHEMA_VERSION) contents = migrate(contents, version);
    const { value, problems } = parseContents(contents);
    if (problems.length) console.warn('Gradient Atlas: some saved progress records were not understood', problems);
    if (version < SCHEMA_VERSION && problems.length === 0) {
      // Rewrite the migrated records in one transaction: either all are upgraded or none are.
      const { meta, ...put } = toContents(value);
      await writeBatch({ clear: true, put, meta });
    }
    const memory = useProgress.getState();
    // Anything the learner did before the load finished wins over (and merges with) what was saved.
    const merged = mergeProgress(pick(memory), value);
    if (!dirty.meta) merged.settings = value.settings;
    markAllDirty(memory);
    useProgress.setState({
      ...merged,
      loaded: true,
      loadProblems: problems,
      loadRaw: problems.length ? raw : null,
      storage: { state: 'saved' },
    });
    if (hasDirty()) await flush();
  } catch (e) {
    const problem = e instanceof StorageError ? e.problem : { kind: 'error' as const, message: String(e) };
    useProgress.setState({ loaded: true, storage: { state: 'memory-only', problem } });
  }
}

function pick(s: ProgressData): ProgressData {
  return {
    concepts: s.concepts,
    pathways: s.pathways,
    activePathway: s.activePathway,
    lastLocation: s.lastLocation,
    cards: s.cards,
    reviewLogs: s.reviewLogs,
    quizAnswers: s.quizAnswers,
    problemResults: s.problemResults,
    settings: s.settings,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing: dirty ids are flushed in one transaction; a failure keeps them dirty for the next attempt.

const dirty = {
  ...(Object.fromEntries(RECORD_STORES.map((store) => [store, new Set<string>()])) as Record<RecordStore, Set<string>>),
  meta: false,
};
let flushing: Promise<void> = Promise.resolve();

function clearDirty(): void {
  for (const store of RECORD_STORES) dirty[store].clear();
  dirty.meta = false;
}

function markAllDirty(s: ProgressData): void {
  const c = toContents(s);
  for (const store of RECORD_STORES) for (const r of c[store]) dirty[store].add(r.id);
  if (s.activePathway || s.lastLocation) dirty.meta = true;
}

const hasDirty = () => dirty.meta || RECORD_STORES.some((store) => dirty[store].size > 0);

function flush(): Promise<void> {
  flushing = flushing.then(async () => {
    if (!useProgress.getState().loaded || !hasDirty()) return;
    const s = useProgress.getState();
    if (s.storage.state === 'memory-only' && s.storage.problem.kind === 'unavailable') return;
    const ids = Object.fromEntries(RECORD_STORES.map((store) => [store, [...dirty[store]]])) as Record<
      RecordStore,
      string[]
    >;
    const meta = dirty.meta;
    const c = toContents(s);
    const put: Partial<Record<RecordStore, { id: string }[]>> = {};
    const del: Partial<Record<RecordStore, string[]>> = {};
    for (const store of RECORD_STORES) {
      if (!ids[store].length) continue;
      const want = new Set(ids[store]);
      put[store] = c[store].filter((r) => want.has(r.id));
      const present = new Set(put[store].map((r) => r.id));
      del[store] = ids[store].filter((id) => !present.has(id));
    }
    try {
      await writeBatch({ put, delete: del, meta: meta ? c.meta : { schemaVersion: SCHEMA_VERSION } });
      for (const store of RECORD_STORES) for (const id of ids[store]) dirty[store].delete(id);
      if (meta) dirty.meta = false;
      if (useProgress.getState().storage.state !== 'saved') useProgress.setState({ storage: { state: 'saved' } });
      announce();
    } catch (e) {
      const problem = e instanceof StorageError ? e.problem : { kind: 'error' as const, message: String(e) };
      useProgress.setState({ storage: { state: 'memory-only', problem } });
    }
  });
  return flushing;
}

// ---------------------------------------------------------------------------------------------------------------
// Other tabs: each tab writes only the records it changed, and tells the others, which re-read the database. Without
// that, a stale tab would write its old copy of a pathway record over a step another tab completed.

const CHANNEL = 'gradient-atlas-progress';
let channel: BroadcastChannel | undefined;

function announce(): void {
  channel?.postMessage({ type: 'changed' });
}

/** Re-reads the database and takes every record this tab has no unsaved change to. */
export async function refreshFromDb(): Promise<void> {
  if (!useProgress.getState().loaded) return;
  let value: ProgressData;
  try {
    const raw = await readAll();
    if (contentsVersion(raw) !== SCHEMA_VERSION) return; // another version's tab: leave it to a reload
    value = parseContents(withoutSchemaVersion(raw)).value;
  } catch {
    return;
  }
  const s = useProgress.getState();
  const mine = toContents(s);
  const theirs = toContents(value);
  const contents: ProgressContents = { concepts: [], pathways: [], meta: dirty.meta ? mine.meta : theirs.meta };
  for (const store of RECORD_STORES) {
    const own = new Map(mine[store].map((r) => [r.id, r]));
    const list: unknown[] = theirs[store].filter((r) => !dirty[store].has(r.id));
    for (const id of dirty[store]) if (own.has(id)) list.push(own.get(id));
    contents[store] = list;
  }
  const next = parseContents(withoutSchemaVersion(contents)).value;
  useProgress.setState(next);
}

if (typeof window !== 'undefined') {
  if (typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = () => void refreshFromDb();
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refreshFromDb();
  });
}

/** Resolves when every change so far has been written (or has failed to be). */
export function progressSaved(): Promise<void> {
  return initProgress().then(() => flush());
}

export type Touched = Partial<Record<RecordStore, string[]>> & { meta?: boolean };

/**
 * Applies a change to the store and queues the records it touched (ids per store; meta for the active pathway,
 * last location and settings) for the next write. The practice API (reviews.ts) records through this.
 */
export function updateProgress(
  change: (s: ProgressState) => Partial<ProgressData> | undefined,
  touched: Touched,
): void {
  const patch = change(useProgress.getState());
  if (!patch) return;
  useProgress.setState(patch);
  for (const store of RECORD_STORES) for (const id of touched[store] ?? []) dirty[store].add(id);
  if (touched.meta) dirty.meta = true;
  void initProgress().then(() => flush());
}

const update = updateProgress;

const now = () => new Date().toISOString();

// ---------------------------------------------------------------------------------------------------------------
// Actions

/** The learner finished reading the page (scrolled to the end with enough time on it). Keeps the first time. */
export function markConceptRead(id: string): void {
  update(
    (s) =>
      s.concepts[id]?.readAt ? undefined : { concepts: { ...s.concepts, [id]: { ...s.concepts[id], readAt: now() } } },
    { concepts: [id] },
  );
}

export function markConceptDone(id: string): void {
  update(
    (s) =>
      s.concepts[id]?.doneAt ? undefined : { concepts: { ...s.concepts, [id]: { ...s.concepts[id], doneAt: now() } } },
    { concepts: [id] },
  );
}

/** Takes back "done" (reading history stays). */
export function unmarkConceptDone(id: string): void {
  update(
    (s) => {
      const p = s.concepts[id];
      if (!p?.doneAt) return undefined;
      const { doneAt: _, ...rest } = p;
      const concepts = { ...s.concepts };
      if (Object.keys(rest).length) concepts[id] = rest;
      else delete concepts[id];
      return { concepts };
    },
    { concepts: [id] },
  );
}

/** The concept page's mini-lab trained MINI_LAB_RUN_STEPS steps after the learner pressed play. Keeps the first time. */
export function recordMiniLabRun(id: string): void {
  update(
    (s) =>
      s.concepts[id]?.labRunAt
        ? undefined
        : { concepts: { ...s.concepts, [id]: { ...s.concepts[id], labRunAt: now() } } },
    { concepts: [id] },
  );
}

function pathwayOf(s: ProgressData, id: string) {
  return s.pathways[id] ?? { currentStep: 0, completed: {} };
}

export function markStepDone(pathwayId: string, stepIndex: number, how: StepHow): void {
  update(
    (s) => {
      const p = pathwayOf(s, pathwayId);
      const existing = p.completed[stepIndex];
      if (existing && (existing.how === how || existing.how === 'manual')) return undefined;
      return {
        pathways: {
          ...s.pathways,
          [pathwayId]: { ...p, completed: { ...p.completed, [stepIndex]: { how, at: now() } } },
        },
      };
    },
    { pathways: [pathwayId] },
  );
}

export function unmarkStep(pathwayId: string, stepIndex: number): void {
  update(
    (s) => {
      const p = s.pathways[pathwayId];
      if (!p?.completed[stepIndex]) return undefined;
      const completed = { ...p.completed };
      delete completed[stepIndex];
      return { pathways: { ...s.pathways, [pathwayId]: { ...p, completed } } };
    },
    { pathways: [pathwayId] },
  );
}

export function setCurrentStep(pathwayId: string, stepIndex: number): void {
  update(
    (s) => {
      const p = pathwayOf(s, pathwayId);
      return p.currentStep === stepIndex && s.pathways[pathwayId]
        ? undefined
        : { pathways: { ...s.pathways, [pathwayId]: { ...p, currentStep: stepIndex } } };
    },
    { pathways: [pathwayId] },
  );
}

/** Makes a pathway the active one (prev/next on concept pages follow it); null leaves pathways. */
export function setActivePathway(id: string | null): void {
  update(
    (s) => {
      if (s.activePathway === id && (id === null || s.pathways[id])) return undefined;
      if (id === null) return { activePathway: null };
      const p = s.pathways[id] ?? { currentStep: 0, completed: {}, startedAt: now() };
      return { activePathway: id, pathways: { ...s.pathways, [id]: p } };
    },
    { meta: true, pathways: id ? [id] : [] },
  );
}

export function setLastLocation(path: string): void {
  update((s) => (s.lastLocation?.path === path ? undefined : { lastLocation: { path, at: now() } }), { meta: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Export and import

/** The learner's progress as one JSON file's text: { app, kind, schemaVersion, exportedAt, data }. */
export function exportProgress(): string {
  const text = `${JSON.stringify(toFile(pick(useProgress.getState())), null, 2)}\n`;
  rememberExport(text);
  return text;
}

const LAST_EXPORT_KEY = 'atlas.progress.lastExport';

/** Keeps the latest export outside IndexedDB (localStorage), so a damaged database can be recovered from it. */
function rememberExport(text: string): void {
  try {
    globalThis.localStorage?.setItem(LAST_EXPORT_KEY, JSON.stringify({ at: new Date().toISOString(), text }));
  } catch {
    // Too large or storage blocked: the learner still has the downloaded file.
  }
}

/** The last progress export made in this browser, if one was kept. */
export function lastExport(): { at: string; text: string } | null {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(LAST_EXPORT_KEY) ?? 'null');
    return v && typeof v.at === 'string' && typeof v.text === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * When saved records were damaged: a progress file of everything that could be read (importable as it is), with
 * the database's records exactly as found under `unreadable`, so nothing is lost even if a record is beyond repair.
 */
export function exportReadable(): string {
  const s = useProgress.getState();
  const file = { ...toFile(pick(s)), problems: s.loadProblems, unreadable: s.loadRaw };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export type ImportMode = 'merge' | 'replace';
export type ImportResult =
  | { ok: true; concepts: number; pathways: number; migratedFrom?: number; warning?: string }
  | { ok: false; error: string };

/** Concept ids of the atlas: the content files' names (the glob's keys; nothing is loaded). */
export function knownConceptIds(): Set<string> {
  const files = import.meta.glob('/content/concepts/*.md', { query: '?raw', import: 'default' });
  return new Set(Object.keys(files).map((path) => path.replace(/^.*\//, '').replace(/\.md$/, '')));
}

/**
 * Checks a progress file completely, then merges it with (or replaces) the saved progress in one transaction.
 * On any problem, nothing changes and the error says what is wrong.
 */
export async function importProgress(
  json: string,
  options: { mode?: ImportMode; known?: KnownIds } = {},
): Promise<ImportResult> {
  const { mode = 'merge', known = { concepts: knownConceptIds() } } = options;
  const checked = readFile(json, known);
  if (!checked.ok) return { ok: false, error: checked.error };
  await initProgress();
  await flushing;
  const current = pick(useProgress.getState());
  const next = mode === 'replace' ? checked.data : mergeProgress(current, checked.data);
  const counts = {
    concepts: Object.keys(checked.data.concepts).length,
    pathways: Object.keys(checked.data.pathways).length,
    ...(checked.migratedFrom !== undefined ? { migratedFrom: checked.migratedFrom } : {}),
  };
  const storage = useProgress.getState().storage;
  if (storage.state === 'memory-only' && storage.problem.kind === 'unavailable') {
    useProgress.setState(next);
    return { ok: true, ...counts, warning: storage.problem.message };
  }
  const { meta, ...put } = toContents(next);
  try {
    await writeBatch({ clear: mode === 'replace', put, meta });
  } catch (e) {
    const message = e instanceof StorageError ? e.problem.message : String(e);
    return { ok: false, error: `The file is fine but could not be saved, so nothing was changed. ${message}` };
  }
  clearDirty();
  useProgress.setState({ ...next, storage: { state: 'saved' } });
  return { ok: true, ...counts };
}

/** Tests only: forget the in-memory store and the load so the next init reads the database afresh. */
export function resetProgressForTests(): void {
  loading = undefined;
  flushing = Promise.resolve();
  clearDirty();
  useProgress.setState(initial(), true);
}
