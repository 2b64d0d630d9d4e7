// The UI-side handle on the engine worker: sends typed requests, resolves each with its reply's result by id, and
// fans events out to listeners. Metric batches (and progress) are coalesced per run: however many arrive between two
// frames, listeners get at most one merged metrics event (and the latest progress) per run per frame. The frame scheduler is
// injected (requestAnimationFrame in the app; a manual one in tests). It takes a Worker-like port, so the app
// decides how the worker is bundled and tests can pass a fake.
import { mergeMetrics } from '../live/metrics';
import { DEFAULT_RUN, type MetricsBatch, type ProgressInfo, type RunId } from '../live/types';
import {
  type EngineEvent,
  type EngineRequest,
  type EngineRequestType,
  isEngineEvent,
  type ReplyResults,
} from './protocol';

export interface WorkerPort {
  postMessage(message: EngineRequest, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** Runs a callback before the next frame (requestAnimationFrame's shape). */
export type FrameScheduler = (callback: () => void) => void;

type Listener = (event: EngineEvent) => void;

/** An event that belongs to a run (every session event; backend reports with a decision; session errors). */
export type RunEvent = Extract<EngineEvent, { run: RunId }>;

/** The run an event belongs to, or undefined for worker-level events (the backend report, replies). */
export function runOf(event: EngineEvent): RunId | undefined {
  return 'run' in event ? event.run : undefined;
}

/** What is waiting for the next frame, per run. */
interface Coalesced {
  metrics: MetricsBatch[];
  progress: ProgressInfo | null;
}
type Pending = { resolve: (result: unknown) => void; reject: (error: Error) => void };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type RequestOf<T extends EngineRequestType> = WithoutId<Extract<EngineRequest, { type: T }>>;

function defaultScheduler(): FrameScheduler {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
  return raf ? (cb) => void raf(cb) : (cb) => void setTimeout(cb, 16);
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<Listener>();
  /** Insertion order is the order runs first had something pending since the last flush. */
  private coalesced = new Map<RunId, Coalesced>();
  private frameRequested = false;
  private readonly schedule: FrameScheduler;

  constructor(
    private readonly port: WorkerPort,
    opts: { schedule?: FrameScheduler } = {},
  ) {
    this.schedule = opts.schedule ?? defaultScheduler();
    port.addEventListener('message', (event: MessageEvent) => {
      if (isEngineEvent(event.data)) this.receive(event.data);
    });
    port.addEventListener('error', (event: ErrorEvent) => {
      this.receive({ type: 'error', message: `the engine worker crashed: ${event.message || 'unknown error'}` });
    });
  }

  /** Sends a request; resolves with its reply's result, rejects with the worker's error message. */
  request<T extends EngineRequestType>(request: RequestOf<T> & { type: T }): Promise<ReplyResults[T]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.port.postMessage({ ...request, id } as EngineRequest);
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.port.terminate();
    for (const p of this.pending.values()) p.reject(new Error('the engine worker was stopped'));
    this.pending.clear();
    this.listeners.clear();
    this.coalesced.clear();
  }

  private receive(event: EngineEvent): void {
    if (event.type === 'metrics' || event.type === 'progress') {
      const run = event.run ?? DEFAULT_RUN;
      let c = this.coalesced.get(run);
      if (!c) {
        c = { metrics: [], progress: null };
        this.coalesced.set(run, c);
      }
      if (event.type === 'metrics') c.metrics.push(event.metrics);
      else c.progress = event.progress;
      this.requestFrame();
      return;
    }
    // Anything else goes out at once, after the coalesced events that came before it (order is kept).
    this.flush();
    if (event.type === 'reply') {
      this.pending.get(event.id)?.resolve(event.result ?? null);
      this.pending.delete(event.id);
    } else if (event.type === 'error' && event.id !== undefined) {
      this.pending.get(event.id)?.reject(new Error(event.message));
      this.pending.delete(event.id);
    }
    this.deliver(event);
  }

  private requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.schedule(() => {
      this.frameRequested = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.coalesced.size === 0) return;
    const pending = this.coalesced;
    this.coalesced = new Map();
    for (const [run, c] of pending) {
      if (c.metrics.length > 0) this.deliver({ type: 'metrics', run, metrics: mergeMetrics(c.metrics) });
      if (c.progress) this.deliver({ type: 'progress', run, progress: c.progress });
    }
  }

  private deliver(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
