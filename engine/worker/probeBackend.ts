// Decides which backend this environment can train on: WebGPU when a device exists and passes the self-test kernel,
// otherwise the CPU backend, with the reason in words a learner can act on.
import { acquireDevice } from '../backends/webgpu/device';
import { runSelfTest } from '../backends/webgpu/selfTest';
import type { BackendReport } from './protocol';

export async function probeBackend(
  gpu: GPU | undefined | null,
): Promise<{ report: BackendReport; device?: GPUDevice }> {
  const acquired = await acquireDevice(gpu);
  if (!acquired.ok) return { report: { kind: 'cpu', reason: acquired.reason } };
  const selfTest = await runSelfTest(acquired.device);
  if (!selfTest.ok) {
    acquired.device.destroy();
    return { report: { kind: 'cpu', reason: `WebGPU failed its self-test: ${selfTest.detail}` } };
  }
  return { report: { kind: 'webgpu', adapter: acquired.summary, selfTest }, device: acquired.device };
}
