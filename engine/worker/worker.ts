/// <reference lib="webworker" />
// The engine worker's entry point: all training and inspection runs here, off the UI thread. Thin on purpose:
// messages go to the router (router.ts), which drives a live session (engine/live/session.ts).
import { cpuKernelReport } from '../backends/cpu/index';
import { webgpuBackend } from '../backends/webgpu/index';
import { fetchMnistBytes, mnistUrl } from '../data/fetchMnist';
import { parseMnistPack } from '../data/mnist';
import { createHost } from '../live/host';
import { LiveSession } from '../live/session';
import { probeBackend } from './probeBackend';
import type { BackendReport, EngineEvent } from './protocol';
import { createRouter } from './router';

declare const self: DedicatedWorkerGlobalScope;

function post(event: EngineEvent, transfer: Transferable[] = []): void {
  self.postMessage(event, transfer);
}

let report: Promise<BackendReport> | undefined;
function ensureBackend(): Promise<BackendReport> {
  report ??= Promise.all([
    probeBackend(webgpuBackend).catch(
      (e: unknown): BackendReport => ({ kind: 'cpu', reason: `WebGPU probe failed: ${String(e)}` }),
    ),
    cpuKernelReport().catch(() => undefined),
  ]).then(([r, cpuKernels]) => ({ ...r, cpuKernels }));
  return report;
}

// MNIST is fetched once per worker, on the first compile that needs it, with progress events for the UI.
const host = createHost(undefined, {
  data: {
    mnist: async () =>
      parseMnistPack(
        await fetchMnistBytes(mnistUrl(), (loaded, total, done) =>
          post({ type: 'dataProgress', name: 'mnist', loaded, total, done }),
        ),
      ),
  },
});
const router = createRouter(post, ensureBackend, (emit) => new LiveSession(host, emit));

self.onmessage = (message: MessageEvent<unknown>) => {
  void router.handle(message.data);
};

// Report the backend as soon as the worker starts, so the UI can show it without asking; then measure both
// backends for 'auto' in the background, so a later compile does not wait for it.
void ensureBackend().then((r) => {
  post({ type: 'backend', report: r });
  if (r.kind === 'webgpu')
    void host
      .calibrate?.('cpu')
      .then(() => host.calibrate?.('webgpu'))
      .catch(() => undefined);
});
