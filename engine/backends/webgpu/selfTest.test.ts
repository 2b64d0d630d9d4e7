import { describe, expect, it } from 'vitest';
import { getNodeGpu } from '../../node/gpu';
import { acquireDevice } from './device';
import { runSelfTest } from './selfTest';

describe('WebGPU self-test kernel (Node, Dawn)', () => {
  it('acquires a device and computes saxpy exactly', async () => {
    const result = await acquireDevice(getNodeGpu());
    if (!result.ok) throw new Error(`no WebGPU device: ${result.reason} (is VK_ICD_FILENAMES set?)`);
    const test = await runSelfTest(result.device, 4096, 1.5);
    expect(test.ok, test.detail).toBe(true);
    expect(test.maxError).toBe(0);
    expect(result.summary.architecture.length + result.summary.vendor.length).toBeGreaterThan(0);
    result.device.destroy();
  });
});
