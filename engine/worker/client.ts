// The UI-side handle on the engine worker: sends typed requests, resolves replies by id, fans events out to
// listeners. It takes a Worker-like port so the app decides how the worker is bundled and tests can pass a fake.
import { type EngineEvent, type EngineRequest, isEngineEvent } from './protocol';

export interface WorkerPort {
  postMessage(message: EngineRequest, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

type Listener = (event: EngineEvent) => void;
type Pending = { resolve: () => void; reject: (error: Error) => void };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly port: WorkerPort) {
    port.addEventListener('message', (event: MessageEvent) => {
      if (isEngineEvent(event.data)) this.dispatch(event.data);
    });
    port.addEventListener('error', (event: ErrorEvent) => {
      this.dispatch({ type: 'error', message: `the engine worker crashed: ${event.message || 'unknown error'}` });
    });
  }

  /** Sends a request and resolves when the worker acknowledges it. */
  request(request: WithoutId<EngineRequest>): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
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
  }

  private dispatch(event: EngineEvent): void {
    if (event.type === 'reply') {
      this.pending.get(event.id)?.resolve();
      this.pending.delete(event.id);
    } else if (event.type === 'error' && event.id !== undefined) {
      this.pending.get(event.id)?.reject(new Error(event.message));
      this.pending.delete(event.id);
    }
    for (const listener of this.listeners) listener(event);
  }
}
