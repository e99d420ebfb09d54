/**
 * The lab's saved runs: an IndexedDB store of finished and stopped runs (settings, curves, final
 * accuracies, backend, speed, date and the trained networks as tfjs IO artifacts). One job:
 * open, save, list, delete. Every failure is a typed result, never a thrown error, so the
 * lab keeps working where storage is unavailable (private mode) or full.
 */
import type { SavedRun, StoreProblem, Stored } from './types';

const DB_NAME = 'bn-live-lab';
const STORE = 'runs';
const VERSION = 1;

const problemOf = (err: unknown): StoreProblem => {
  const name = err instanceof DOMException ? err.name : err instanceof Error ? err.name : '';
  const message = err instanceof Error || err instanceof DOMException ? err.message : String(err);
  if (name === 'QuotaExceededError') return { kind: 'full', message: message || name };
  if (name === 'SecurityError' || name === 'InvalidStateError' || name === 'UnknownError') return { kind: 'unavailable', message: message || name };
  return { kind: 'failed', message: message || name || 'unknown error' };
};

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });

/** The store of saved runs, or why there is none. Resolves, never rejects. */
export interface RunStore {
  save(run: SavedRun): Promise<Stored<void>>;
  list(): Promise<Stored<SavedRun[]>>;
  delete(id: string): Promise<Stored<void>>;
  close(): void;
}

export async function openRunStore(): Promise<Stored<RunStore>> {
  let db: IDBDatabase;
  try {
    if (typeof indexedDB === 'undefined' || !indexedDB) return { ok: false, problem: { kind: 'unavailable', message: 'this browser offers no IndexedDB' } };
    const open = indexedDB.open(DB_NAME, VERSION);
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    db = await new Promise<IDBDatabase>((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new DOMException('IndexedDB could not be opened', 'UnknownError'));
      open.onblocked = () => reject(new DOMException('IndexedDB is blocked by another tab', 'InvalidStateError'));
    });
  } catch (err) {
    const p = problemOf(err);
    return { ok: false, problem: p.kind === 'failed' ? { kind: 'unavailable', message: p.message } : p };
  }
  // Another tab upgrading the database: let it, and stop using this connection.
  db.onversionchange = () => db.close();

  /** One transaction; resolves when it commits (a put's quota error surfaces only at commit). */
  const run = async <T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<Stored<T>> => {
    try {
      const tx = db.transaction(STORE, mode);
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error ?? new DOMException('the transaction was aborted', 'AbortError'));
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      });
      // Rejections are handled by the await below; the second handler only keeps them from being unhandled.
      done.catch(() => undefined);
      const value = await request(body(tx.objectStore(STORE)));
      await done;
      return { ok: true, value };
    } catch (err) {
      return { ok: false, problem: problemOf(err) };
    }
  };

  const runStore: RunStore = {
    save: async (r) => {
      const result = await run('readwrite', (s) => s.put(r));
      return result.ok ? { ok: true, value: undefined } : result;
    },
    list: async () => {
      const result = await run('readonly', (s) => s.getAll() as IDBRequest<SavedRun[]>);
      return result.ok ? { ok: true, value: result.value.sort((a, b) => b.date.localeCompare(a.date)) } : result;
    },
    delete: async (id) => {
      const result = await run('readwrite', (s) => s.delete(id));
      return result.ok ? { ok: true, value: undefined } : result;
    },
    close: () => db.close(),
  };
  return { ok: true, value: runStore };
}

/** A new run's id: its start time, with a random tail so two tabs never collide. */
export const newRunId = (now = new Date()): string => `${now.toISOString()}-${Math.random().toString(36).slice(2, 8)}`;

const base64 = (buffer: ArrayBuffer): string => {
  const bytes = new Uint8Array(buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** A saved run as one JSON document; each network's weights as base64 beside their specs. */
export function savedRunJson(r: SavedRun): string {
  const models = Object.fromEntries(
    Object.entries(r.models).map(([name, m]) => [name, { config: m.config, weightSpecs: m.weightSpecs, weightDataBase64: base64(m.weightData) }]),
  );
  return JSON.stringify({ format: 'bn-live-saved-run', version: 1, ...r, models }, null, 2);
}
