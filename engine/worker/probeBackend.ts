// Decides which backend this environment can train on: WebGPU when a device exists and passes the self-test kernel,
// otherwise the CPU backend, with the reason in words a learner can act on. Uses the WebGPU backend factory's own
// device, so the probe and training share one device (no second device per worker).
import type { WebGpuFactory } from '../backends/webgpu/factory';
import { runSelfTest } from '../backends/webgpu/selfTest';
import type { BackendReport } from './protocol';

export async function probeBackend(factory: WebGpuFactory): Promise<BackendReport> {
  const available = await factory.available();
  if (!available.ok) return { kind: 'cpu', reason: available.reason };
  const device = await factory.device();
  const selfTest = await runSelfTest(device);
  const adapter = factory.summary();
  if (!selfTest.ok || !adapter) return { kind: 'cpu', reason: `WebGPU failed its self-test: ${selfTest.detail}` };
  return { kind: 'webgpu', adapter, selfTest };
}
