// A suite that needs a WebGPU adapter skips where there is none (a laptop without Vulkan), but under CI=true a
// missing adapter is a failure: CI must never pass by skipping the GPU half of the engine's tests.
import { it } from 'vitest';

export interface Availability {
  ok: boolean;
  reason?: string;
}

/** Registers a failing test when there is no adapter under CI=true; returns whether the GPU suites can run. */
export function requireGpuInCi(avail: Availability, suite: string): boolean {
  if (!avail.ok && process.env.CI === 'true')
    it(`${suite}: needs a WebGPU adapter under CI=true`, () => {
      throw new Error(`no WebGPU adapter (${avail.reason ?? 'unknown reason'}); is VK_ICD_FILENAMES set?`);
    });
  return avail.ok;
}
