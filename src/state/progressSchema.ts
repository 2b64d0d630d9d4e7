// The shape of learner progress, its schema versions and migrations, and the export file format.
// Pure functions only (no IndexedDB, no React), so the same code validates the database on load and a file on import.
//
// The stored form and the export form are the same "contents": { concepts: [...], pathways: [...], meta: {...} },
// the records of the object stores. A migration takes the contents of version n to version n + 1.
// Schema 2 adds practice: cards, reviewLogs, quizAnswers, problemResults and meta.settings (reviewsSchema.ts), and
// concepts' labRunAt (the mini-lab was run).
import { emptyPractice, mergePractice, type PracticeData, parsePractice } from './reviewsSchema';

export const SCHEMA_VERSION = 2;
export const APP_ID = 'gradient-atlas';
export const FILE_KIND = 'progress';

export type StepHow = 'read' | 'manual';

export interface ConceptProgress {
  /** ISO time the learner finished reading the page (scrolled through it with enough time on it). */
  readAt?: string;
  /** ISO time the learner marked it done by hand. */
  doneAt?: string;
  /** ISO time the page's mini-lab first trained MINI_LAB_RUN_STEPS steps after the learner pressed play. */
  labRunAt?: string;
}

export interface StepRecord {
  how: StepHow;
  at: string;
}

export interface PathwayProgress {
  /** The step the learner is on (0-based); "Continue" resumes here. */
  currentStep: number;
  startedAt?: string;
  /** Completed steps by step index. */
  completed: Record<number, StepRecord>;
}

export interface LastLocation {
  path: string;
  at: string;
}

export interface ProgressData extends PracticeData {
  concepts: Record<string, ConceptProgress>;
  pathways: Record<string, PathwayProgress>;
  activePathway: string | null;
  lastLocation: LastLocation | null;
}

export const EMPTY_PROGRESS: ProgressData = {
  concepts: {},
  pathways: {},
  activePathway: null,
  lastLocation: null,
  ...emptyPractice(),
};

/** The object stores holding records with an `id` (meta is keyed by name). */
export const RECORD_STORES = ['concepts', 'pathways', 'cards', 'reviewLogs', 'quizAnswers', 'problemResults'] as const;
export type RecordStore = (typeof RECORD_STORES)[number];
/** Stores added by schema 2. */
export const PRACTICE_STORES = ['cards', 'reviewLogs', 'quizAnswers', 'problemResults'] as const;

/** The records of the object stores; what the database holds and what an export file carries under `data`. */
export interface ProgressContents {
  concepts: unknown[];
  pathways: unknown[];
  meta: Record<string, unknown>;
  /** Schema 2 and later. */
  cards?: unknown[];
  reviewLogs?: unknown[];
  quizAnswers?: unknown[];
  problemResults?: unknown[];
}

export interface ProgressFile {
  app: typeof APP_ID;
  kind: typeof FILE_KIND;
  schemaVersion: number;
  exportedAt: string;
  data: ProgressContents;
}

/** What the app knows exists: imports naming anything else are refused. */
export interface KnownIds {
  concepts: ReadonlySet<string>;
  /** Pathway id to its number of steps. */
  pathways?: ReadonlyMap<string, number>;
}

// ---------------------------------------------------------------------------------------------------------------
// Migrations: MIGRATIONS[n] takes contents of schema n to schema n + 1. Append only.
//
// Version 0 is the prototype's shape, kept to prove the mechanism and to read any file it wrote:
//   concepts: { id, status: 'read' | 'done', updated: epoch ms }
//   pathways: { id, step: number, done: number[] }   (steps done, all by hand)
//   meta:     { active?: pathway id }

type Migration = (contents: ProgressContents) => ProgressContents;

export const MIGRATIONS: Migration[] = [
  function v0ToV1(c) {
    const iso = (ms: unknown) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : ms);
    return {
      concepts: c.concepts.map((r) => {
        const rec = r as { id?: unknown; status?: unknown; updated?: unknown };
        if (!isObject(rec) || (rec.status !== 'read' && rec.status !== 'done')) return r; // left for validation
        const at = iso(rec.updated);
        return rec.status === 'done' ? { id: rec.id, doneAt: at, readAt: at } : { id: rec.id, readAt: at };
      }),
      pathways: c.pathways.map((r) => {
        const rec = r as { id?: unknown; step?: unknown; done?: unknown };
        if (!isObject(rec) || !Array.isArray(rec.done)) return r;
        const completed: Record<string, unknown> = {};
        for (const i of rec.done) completed[String(i)] = { how: 'manual', at: new Date(0).toISOString() };
        return { id: rec.id, currentStep: rec.step, completed };
      }),
      meta: { activePathway: c.meta.active ?? null, lastLocation: null },
    };
  },
  function v1ToV2(c) {
    // Practice arrives: empty record lists and the default settings; everything else is kept as it is.
    return {
      ...c,
      cards: c.cards ?? [],
      reviewLogs: c.reviewLogs ?? [],
      quizAnswers: c.quizAnswers ?? [],
      problemResults: c.problemResults ?? [],
      meta: { ...c.meta, settings: c.meta.settings ?? { ...emptyPractice().settings } },
    };
  },
];

/** Runs the migrations from `from` up to the current schema. */
export function migrate(contents: ProgressContents, from: number): ProgressContents {
  let out = contents;
  for (let v = from; v < SCHEMA_VERSION; v++) out = MIGRATIONS[v](out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation: contents (current schema) to ProgressData, or every problem found, each saying where and what.

/** The records that passed, and every problem found (empty when all is well). */
export interface Parsed<T> {
  value: T;
  problems: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDate(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d\d-\d\d/.test(v) && Number.isFinite(Date.parse(v));
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

export function parseContents(contents: unknown, known?: KnownIds): Parsed<ProgressData> {
  const problems: string[] = [];
  if (!isObject(contents)) return { value: { ...EMPTY_PROGRESS }, problems: ['"data" is not an object'] };
  const { concepts, pathways, meta } = contents;
  const out: ProgressData = { ...EMPTY_PROGRESS, concepts: {}, pathways: {} };

  if (!Array.isArray(concepts)) problems.push('"data.concepts" is not a list');
  else
    for (const [i, rec] of concepts.entries()) {
      const where = `concept record ${i + 1}`;
      if (!isObject(rec)) {
        problems.push(`${where} is not an object`);
        continue;
      }
      const { id, readAt, doneAt, labRunAt, ...extra } = rec;
      if (typeof id !== 'string' || !id) {
        problems.push(`${where} has no concept id`);
        continue;
      }
      const at = `concept "${id}"`;
      if (known && !known.concepts.has(id)) problems.push(`${at} is not a concept of this atlas`);
      if (out.concepts[id]) problems.push(`${at} appears twice`);
      if (readAt !== undefined && !isDate(readAt)) problems.push(`${at}: readAt ${show(readAt)} is not a date`);
      if (doneAt !== undefined && !isDate(doneAt)) problems.push(`${at}: doneAt ${show(doneAt)} is not a date`);
      if (labRunAt !== undefined && !isDate(labRunAt)) problems.push(`${at}: labRunAt ${show(labRunAt)} is not a date`);
      const unknownKeys = Object.keys(extra);
      if (unknownKeys.length) problems.push(`${at} has unknown fields: ${unknownKeys.join(', ')}`);
      const p: ConceptProgress = {};
      if (isDate(readAt)) p.readAt = readAt;
      if (isDate(doneAt)) p.doneAt = doneAt;
      if (isDate(labRunAt)) p.labRunAt = labRunAt;
      out.concepts[id] = p;
    }

  if (!Array.isArray(pathways)) problems.push('"data.pathways" is not a list');
  else
    for (const [i, rec] of pathways.entries()) {
      const where = `pathway record ${i + 1}`;
      if (!isObject(rec)) {
        problems.push(`${where} is not an object`);
        continue;
      }
      const { id, currentStep, startedAt, completed, ...extra } = rec;
      if (typeof id !== 'string' || !id) {
        problems.push(`${where} has no pathway id`);
        continue;
      }
      const at = `pathway "${id}"`;
      const steps = known?.pathways?.get(id);
      if (known?.pathways && steps === undefined) problems.push(`${at} is not a pathway of this atlas`);
      if (out.pathways[id]) problems.push(`${at} appears twice`);
      const inRange = (n: unknown): n is number =>
        typeof n === 'number' && Number.isInteger(n) && n >= 0 && (steps === undefined || n < steps);
      if (!inRange(currentStep)) problems.push(`${at}: current step ${show(currentStep)} is not a step of it`);
      if (startedAt !== undefined && !isDate(startedAt))
        problems.push(`${at}: startedAt ${show(startedAt)} is not a date`);
      const unknownKeys = Object.keys(extra);
      if (unknownKeys.length) problems.push(`${at} has unknown fields: ${unknownKeys.join(', ')}`);
      const p: PathwayProgress = { currentStep: inRange(currentStep) ? currentStep : 0, completed: {} };
      if (isDate(startedAt)) p.startedAt = startedAt;
      if (!isObject(completed)) problems.push(`${at}: "completed" is not an object of steps`);
      else
        for (const [key, step] of Object.entries(completed)) {
          const index = /^\d+$/.test(key) ? Number(key) : Number.NaN;
          if (!inRange(index)) problems.push(`${at}: completed step ${show(key)} is not a step of it`);
          else if (!isObject(step) || (step.how !== 'read' && step.how !== 'manual') || !isDate(step.at))
            problems.push(`${at}: completed step ${key} should be { how: "read" | "manual", at: date }`);
          else p.completed[index] = { how: step.how, at: step.at };
        }
      out.pathways[id] = p;
    }

  if (!isObject(meta)) problems.push('"data.meta" is not an object');
  else {
    const { activePathway, lastLocation } = meta; // settings: parsePractice above
    if (activePathway !== undefined && activePathway !== null) {
      if (typeof activePathway !== 'string') problems.push(`active pathway ${show(activePathway)} is not an id`);
      else if (known?.pathways && !known.pathways.has(activePathway))
        problems.push(`active pathway "${activePathway}" is not a pathway of this atlas`);
      else out.activePathway = activePathway;
    }
    if (lastLocation !== undefined && lastLocation !== null) {
      if (!isObject(lastLocation) || typeof lastLocation.path !== 'string' || !lastLocation.path.startsWith('/'))
        problems.push(`last location ${show(lastLocation)} should be { path: "/...", at: date }`);
      else if (!isDate(lastLocation.at)) problems.push(`last location time ${show(lastLocation.at)} is not a date`);
      else out.lastLocation = { path: lastLocation.path, at: lastLocation.at };
    }
  }
  const practice = parsePractice(
    {
      cards: contents.cards,
      reviewLogs: contents.reviewLogs,
      quizAnswers: contents.quizAnswers,
      problemResults: contents.problemResults,
    },
    isObject(meta) ? meta.settings : undefined,
    problems,
  );
  return { value: { ...out, ...practice }, problems };
}

export type StoreRecords = Record<RecordStore, { id: string }[]>;

/** The store records for ProgressData (inverse of parseContents). */
export function toContents(data: ProgressData): StoreRecords & {
  concepts: ({ id: string } & ConceptProgress)[];
  pathways: ({ id: string } & PathwayProgress)[];
  meta: {
    schemaVersion: number;
    activePathway: string | null;
    lastLocation: LastLocation | null;
    settings: PracticeData['settings'];
  };
} {
  return {
    concepts: Object.entries(data.concepts).map(([id, p]) => ({ id, ...p })),
    pathways: Object.entries(data.pathways).map(([id, p]) => ({ id, ...p })),
    cards: Object.entries(data.cards).map(([id, c]) => ({ id, ...c })),
    reviewLogs: data.reviewLogs,
    quizAnswers: data.quizAnswers,
    problemResults: data.problemResults,
    meta: {
      schemaVersion: SCHEMA_VERSION,
      activePathway: data.activePathway,
      lastLocation: data.lastLocation,
      settings: data.settings,
    },
  };
}

/** Reads what the database holds: a missing schemaVersion with records present means the v0 prototype. */
export function contentsVersion(contents: ProgressContents): number {
  const v = contents.meta.schemaVersion;
  if (typeof v === 'number') return v;
  return contents.concepts.length || contents.pathways.length || Object.keys(contents.meta).length ? 0 : SCHEMA_VERSION;
}

export function withoutSchemaVersion(contents: ProgressContents): ProgressContents {
  const { schemaVersion: _, ...meta } = contents.meta;
  return { ...contents, meta };
}

// ---------------------------------------------------------------------------------------------------------------
// The export file.

export function toFile(data: ProgressData, now = new Date()): ProgressFile {
  const { meta, ...records } = toContents(data);
  const { schemaVersion: _, ...fileMeta } = meta;
  return {
    app: APP_ID,
    kind: FILE_KIND,
    schemaVersion: SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    data: { ...records, meta: fileMeta },
  };
}

export type FileCheck = { ok: true; data: ProgressData; migratedFrom?: number } | { ok: false; error: string };

/** Checks an export file completely, migrating older schemas; names the first problems it finds. */
export function readFile(json: string, known?: KnownIds): FileCheck {
  let file: unknown;
  try {
    file = JSON.parse(json);
  } catch (e) {
    return { ok: false, error: `This is not a JSON file (${(e as Error).message}).` };
  }
  if (!isObject(file)) return { ok: false, error: 'This file does not hold a progress export (expected an object).' };
  if (file.app !== APP_ID)
    return {
      ok: false,
      error:
        file.app === undefined
          ? 'This file was not exported by Gradient Atlas (it has no "app": "gradient-atlas").'
          : `This file belongs to another app (${show(file.app)}), not Gradient Atlas.`,
    };
  if (file.kind !== FILE_KIND)
    return { ok: false, error: `This Gradient Atlas file holds ${show(file.kind)}, not learner progress.` };
  const version = file.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0)
    return { ok: false, error: `The file's schemaVersion ${show(version)} is not a version number.` };
  if (version > SCHEMA_VERSION)
    return {
      ok: false,
      error: `This file was written by a newer Gradient Atlas (progress schema ${version}; this one reads up to ${SCHEMA_VERSION}). Update the app and try again.`,
    };
  const data = file.data;
  if (!isObject(data) || !Array.isArray(data.concepts) || !Array.isArray(data.pathways))
    return { ok: false, error: 'The file has no progress records ("data" with "concepts" and "pathways" lists).' };
  const contents: ProgressContents = {
    concepts: data.concepts,
    pathways: data.pathways,
    meta: isObject(data.meta) ? data.meta : {},
  };
  for (const store of PRACTICE_STORES) if (store in data) contents[store] = data[store] as unknown[];
  const parsed = parseContents(migrate(contents, version), known);
  if (parsed.problems.length) {
    const [first, ...rest] = parsed.problems;
    const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    return { ok: false, error: `The file is damaged or does not match this atlas: ${first}${more}.` };
  }
  return version < SCHEMA_VERSION
    ? { ok: true, data: parsed.value, migratedFrom: version }
    : { ok: true, data: parsed.value };
}

// ---------------------------------------------------------------------------------------------------------------
// Merging: nothing the learner has is lost, nothing the file has is dropped.

const earliest = (a?: string, b?: string) => (a && b ? (Date.parse(a) <= Date.parse(b) ? a : b) : (a ?? b));
const latestLocation = (a: LastLocation | null, b: LastLocation | null) =>
  a && b ? (Date.parse(a.at) >= Date.parse(b.at) ? a : b) : (a ?? b);

export function mergeProgress(mine: ProgressData, theirs: ProgressData): ProgressData {
  const concepts: Record<string, ConceptProgress> = { ...mine.concepts };
  for (const [id, p] of Object.entries(theirs.concepts)) {
    const m = concepts[id] ?? {};
    const merged: ConceptProgress = {};
    const readAt = earliest(m.readAt, p.readAt);
    const doneAt = earliest(m.doneAt, p.doneAt);
    const labRunAt = earliest(m.labRunAt, p.labRunAt);
    if (readAt) merged.readAt = readAt;
    if (doneAt) merged.doneAt = doneAt;
    if (labRunAt) merged.labRunAt = labRunAt;
    concepts[id] = merged;
  }
  const pathways: Record<string, PathwayProgress> = { ...mine.pathways };
  for (const [id, p] of Object.entries(theirs.pathways)) {
    const m = pathways[id];
    if (!m) {
      pathways[id] = p;
      continue;
    }
    const completed: Record<number, StepRecord> = { ...p.completed, ...m.completed };
    const merged: PathwayProgress = { currentStep: Math.max(m.currentStep, p.currentStep), completed };
    const startedAt = earliest(m.startedAt, p.startedAt);
    if (startedAt) merged.startedAt = startedAt;
    pathways[id] = merged;
  }
  return {
    concepts,
    pathways,
    activePathway: mine.activePathway ?? theirs.activePathway,
    lastLocation: latestLocation(mine.lastLocation, theirs.lastLocation),
    ...mergePractice(mine, theirs),
  };
}
