// The engine worker's status as the UI sees it: which backend runs and why. One worker per page.
import { create } from 'zustand';
import { adapterLabel, type BackendReport, type CpuKernelReport } from '../../engine/index';
import { EngineClient, type WorkerPort } from '../../engine/worker/client';

export type BackendStatus =
  | { state: 'starting' }
  | { state: 'ready'; report: BackendReport }
  | { state: 'failed'; message: string };

interface EngineState {
  status: BackendStatus;
  client?: EngineClient;
}

export const useEngine = create<EngineState>(() => ({ status: { state: 'starting' } }));

export function startEngine(): EngineClient | undefined {
  const existing = useEngine.getState().client;
  if (existing) return existing;
  let worker: Worker;
  try {
    worker = new Worker(new URL('../../engine/worker/worker.ts', import.meta.url), { type: 'module' });
  } catch (e) {
    useEngine.setState({ status: { state: 'failed', message: `could not start the engine worker: ${String(e)}` } });
    return undefined;
  }
  const client = new EngineClient(worker as unknown as WorkerPort);
  client.subscribe((event) => {
    if (event.type === 'backend') useEngine.setState({ status: { state: 'ready', report: event.report } });
    // A run's own trouble (its session reports it with its run id) is the Lab's to show, not the engine's status.
    else if (event.type === 'error' && event.id === undefined && event.run === undefined)
      useEngine.setState({ status: { state: 'failed', message: event.message } });
  });
  useEngine.setState({ client });
  return client;
}

/** The chip text: "WebGPU · swiftshader", "CPU · relaxed SIMD · 2 threads" or "CPU (no WebGPU)". */
export function backendLabel(status: BackendStatus): string {
  if (status.state === 'starting') return 'Starting engine…';
  if (status.state === 'failed') return 'Engine unavailable';
  const r = status.report;
  if (r.kind === 'webgpu') return `WebGPU · ${adapterLabel(r.adapter)}`;
  if (!r.cpuKernels) return 'CPU (no WebGPU)';
  const t = r.cpuKernels.threads;
  return `CPU · ${CPU_KERNEL_SHORT[r.cpuKernels.variant]} · ${t} thread${t === 1 ? '' : 's'}`;
}

/** Which CPU kernels run, in the chip's few words. */
const CPU_KERNEL_SHORT: Record<CpuKernelReport['variant'], string> = {
  'relaxed-simd': 'relaxed SIMD',
  simd: 'SIMD',
  js: 'plain JS',
};

/** The CPU kernels' sentence for the tooltip: "WebAssembly SIMD kernels on the CPU, one thread (the page is not
 * cross-origin isolated)." or "..., large matrix products split across 2 threads." */
function cpuKernelSentence(r: BackendReport): string {
  return r.cpuKernels ? ` CPU kernels: ${r.cpuKernels.detail}.` : '';
}

export function backendDetail(status: BackendStatus): string {
  if (status.state === 'starting') return 'The engine worker is checking for a WebGPU device.';
  if (status.state === 'failed') return status.message;
  const r = status.report;
  if (r.kind === 'cpu') return `Training runs on the CPU backend: ${r.reason}.${cpuKernelSentence(r)}`;
  const a = r.adapter;
  const soft = a.software ? ' This is a software adapter: correct, but slower than a real GPU.' : '';
  return `Training runs on WebGPU (${[a.vendor, a.architecture, a.description].filter(Boolean).join(', ')}). Self-test passed in ${r.selfTest.milliseconds.toFixed(0)} ms.${soft} Networks too small for the GPU run on the CPU.${cpuKernelSentence(r)}`;
}
