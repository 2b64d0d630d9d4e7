/// <reference lib="webworker" />
// The engine worker's entry point: all training and inspection runs here, off the UI thread.
import { probeBackend } from './probeBackend';
import type { BackendReport, EngineEvent, EngineRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let backend: Promise<BackendReport> | undefined;

function post(event: EngineEvent): void {
  self.postMessage(event);
}

function ensureBackend(): Promise<BackendReport> {
  backend ??= probeBackend(self.navigator.gpu).then(
    ({ report }) => report,
    (e: unknown): BackendReport => ({ kind: 'cpu', reason: `WebGPU probe failed: ${String(e)}` }),
  );
  return backend;
}

self.onmessage = async (message: MessageEvent<EngineRequest>) => {
  const request = message.data;
  try {
    switch (request.type) {
      case 'hello':
        post({ type: 'reply', id: request.id, ok: true });
        break;
      case 'probeBackend':
        post({ type: 'backend', report: await ensureBackend() });
        post({ type: 'reply', id: request.id, ok: true });
        break;
    }
  } catch (e) {
    post({ type: 'error', id: request.id, message: e instanceof Error ? e.message : String(e) });
  }
};

// Report the backend as soon as the worker starts, so the UI can show it without asking.
void ensureBackend().then((report) => post({ type: 'backend', report }));
