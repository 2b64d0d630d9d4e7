// The typed messages between the UI thread and the engine worker. Requests carry ids so replies can be matched;
// events flow from the worker unprompted (backend status now; metrics, snapshots, divergence later).
// Later issues add compile, train, pause, step, setHyper, inspect, landscape, cancel and dispose here.
import type { AdapterSummary } from '../backends/webgpu/device';
import type { SelfTestResult } from '../backends/webgpu/selfTest';

/** Which compute backend the worker will train on, and why. */
export type BackendReport =
  | { kind: 'webgpu'; adapter: AdapterSummary; selfTest: SelfTestResult }
  | { kind: 'cpu'; reason: string };

export type EngineRequest = { type: 'hello'; id: number } | { type: 'probeBackend'; id: number };

export type EngineEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'reply'; id: number; ok: true }
  | { type: 'error'; id?: number; message: string };

export type EngineRequestType = EngineRequest['type'];

export function isEngineEvent(value: unknown): value is EngineEvent {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'backend' || type === 'reply' || type === 'error';
}
