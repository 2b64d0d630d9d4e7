// The IndexedDB side of learner progress: one database, 'gradient-atlas', with a store per record kind.
// This file knows object stores, transactions and storage errors; it does not know what the records mean
// (progress.ts and progressSchema.ts do). Every failure comes back as a StorageProblem with a sentence for the learner.
import { RECORD_STORES, type RecordStore } from './progressSchema';

export const DB_NAME = 'gradient-atlas';

/**
 * Structural upgrades of the database, by IndexedDB version: entry i moves the database from version i to i + 1.
 * Append, never edit: a browser that last saw version 1 runs entries 1.. on its next open. Later features (cards,
 * problems) add their stores here. Record *shapes* migrate separately (progressSchema.ts MIGRATIONS).
 */
const STORE_UPGRADES: ((db: IDBDatabase) => void)[] = [
  (db) => {
    db.createObjectStore('concepts', { keyPath: 'id' });
    db.createObjectStore('pathways', { keyPath: 'id' });
    db.createObjectStore('meta');
  },
  (db) => {
    // Practice (progress schema 2): card review states, the review log, quiz answers, problem results.
    for (const name of ['cards', 'reviewLogs', 'quizAnswers', 'problemResults'])
      db.createObjectStore(name, { keyPath: 'id' });
  },
];

export const DB_VERSION = STORE_UPGRADES.length;

export type StoreName = RecordStore | 'meta';
const ALL_STORES: StoreName[] = [...RECORD_STORES, 'meta'];

export interface StorageProblem {
  kind: 'unavailable' | 'quota' | 'blocked' | 'error';
  message: string;
}

export class StorageError extends Error {
  constructor(readonly problem: StorageProblem) {
    super(problem.message);
  }
}

/** Turns whatever IndexedDB threw into a sentence a learner can act on. */
export function describeStorageError(error: unknown): StorageProblem {
  if (error instanceof StorageError) return error.problem;
  const name = (error as { name?: string } | null)?.name ?? '';
  const detail = (error as { message?: string } | null)?.message ?? String(error);
  if (name === 'QuotaExceededError' || /quota/i.test(detail)) {
    return {
      kind: 'quota',
      message:
        'Your browser’s storage for this site is full, so new progress is kept only for this session. ' +
        'Export your progress to keep a copy, or free some space and reload.',
    };
  }
  if (name === 'InvalidStateError' || name === 'SecurityError' || /indexeddb|private|not allowed/i.test(detail)) {
    return {
      kind: 'unavailable',
      message:
        'This browser does not let the site save data (a private window or blocked storage?), so progress is ' +
        'kept only for this session. Export it before you close the tab.',
    };
  }
  return {
    kind: 'error',
    message: `Progress could not be saved (${name || 'error'}: ${detail}). It is kept for this session; export it to keep a copy.`,
  };
}

let opening: Promise<IDBDatabase> | undefined;

/** Opens (and upgrades) the database once per page; later calls share the connection. */
export function openProgressDb(): Promise<IDBDatabase> {
  if (!opening) {
    opening = openDb().catch((e) => {
      opening = undefined;
      throw e;
    });
  }
  return opening;
}

/** Closes the shared connection (tests, and before deleting the database). */
export async function closeProgressDb(): Promise<void> {
  const pending = opening;
  opening = undefined;
  if (pending) (await pending.catch(() => undefined))?.close();
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined' || !indexedDB) {
      reject(new StorageError(describeStorageError(new Error('IndexedDB is not available in this browser'))));
      return;
    }
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(DB_NAME, DB_VERSION);
    } catch (e) {
      reject(new StorageError(describeStorageError(e)));
      return;
    }
    request.onupgradeneeded = (event) => {
      const db = request.result;
      for (let v = event.oldVersion; v < DB_VERSION; v++) STORE_UPGRADES[v](db);
    };
    request.onblocked = () =>
      reject(
        new StorageError({
          kind: 'blocked',
          message: 'Another tab holds an older version of Gradient Atlas open. Close it and reload to save progress.',
        }),
      );
    request.onerror = () => reject(new StorageError(describeStorageError(request.error)));
    request.onsuccess = () => {
      const db = request.result;
      // A newer tab wants to upgrade: let it, and reopen on the next write.
      db.onversionchange = () => {
        db.close();
        opening = undefined;
      };
      resolve(db);
    };
  });
}

export type RawContents = Record<RecordStore, unknown[]> & { meta: Record<string, unknown> };

/** Reads every record of every progress store in one transaction. */
export async function readAll(): Promise<RawContents> {
  const db = await openProgressDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(ALL_STORES, 'readonly');
    const out = { meta: {} } as RawContents;
    for (const store of RECORD_STORES) {
      out[store] = [];
      const all = tx.objectStore(store).getAll();
      all.onsuccess = () => {
        out[store] = all.result;
      };
    }
    const metaStore = tx.objectStore('meta');
    const keys = metaStore.getAllKeys();
    const values = metaStore.getAll();
    values.onsuccess = () => {
      keys.result.forEach((k, i) => {
        out.meta[String(k)] = values.result[i];
      });
    };
    tx.oncomplete = () => resolve(out);
    tx.onerror = () => reject(new StorageError(describeStorageError(tx.error)));
    tx.onabort = () => reject(new StorageError(describeStorageError(tx.error)));
  });
}

export interface WriteBatch {
  /** Empty the stores first (replace-all imports, migrations). */
  clear?: boolean;
  concepts?: { id: string }[];
  pathways?: { id: string }[];
  deleteConcepts?: string[];
  deletePathways?: string[];
  /** Records to put and ids to delete, by store (any record store). */
  put?: Partial<Record<RecordStore, { id: string }[]>>;
  delete?: Partial<Record<RecordStore, string[]>>;
  meta?: Record<string, unknown>;
}

/** Applies a batch in one readwrite transaction: all of it lands or none of it does. */
export async function writeBatch(batch: WriteBatch): Promise<void> {
  let db: IDBDatabase;
  try {
    db = await openProgressDb();
  } catch (e) {
    throw new StorageError(describeStorageError(e));
  }
  return new Promise((resolve, reject) => {
    let tx: IDBTransaction;
    try {
      tx = db.transaction(ALL_STORES, 'readwrite');
    } catch (e) {
      reject(new StorageError(describeStorageError(e)));
      return;
    }
    const fail = () => reject(new StorageError(describeStorageError(tx.error)));
    tx.oncomplete = () => resolve();
    tx.onerror = fail;
    tx.onabort = fail;
    try {
      const meta = tx.objectStore('meta');
      if (batch.clear) for (const name of ALL_STORES) tx.objectStore(name).clear();
      const puts = { ...batch.put, concepts: [...(batch.concepts ?? []), ...(batch.put?.concepts ?? [])] };
      puts.pathways = [...(batch.pathways ?? []), ...(batch.put?.pathways ?? [])];
      const dels = { ...batch.delete };
      dels.concepts = [...(batch.deleteConcepts ?? []), ...(batch.delete?.concepts ?? [])];
      dels.pathways = [...(batch.deletePathways ?? []), ...(batch.delete?.pathways ?? [])];
      for (const name of RECORD_STORES) {
        const store = tx.objectStore(name);
        for (const id of dels[name] ?? []) store.delete(id);
        for (const rec of puts[name] ?? []) store.put(rec);
      }
      for (const [key, value] of Object.entries(batch.meta ?? {})) meta.put(value, key);
    } catch (e) {
      tx.abort();
      reject(new StorageError(describeStorageError(e)));
    }
  });
}
