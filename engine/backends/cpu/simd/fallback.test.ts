// Without WebAssembly SIMD (a runtime that rejects the kernel modules), 'auto' runs the plain JS kernels and says
// why, and forcing a SIMD variant is refused with the reason.

import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe('CPU kernels without wasm SIMD', () => {
  it('auto falls back to the JS kernels, and the report says so', async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    const cpu = await import('../index');
    expect(await cpu.cpuKernelSupport()).toEqual({
      'relaxed-simd': 'this runtime has no relaxed SIMD',
      simd: 'this runtime has no WebAssembly SIMD',
      js: true,
    });
    const report = await cpu.cpuKernelReport();
    expect(report.variant).toBe('js');
    expect(report.detail).toMatch(/plain JavaScript kernels.*no WebAssembly SIMD/);
    const { compile } = await import('../../../graph/compile');
    const { validateSpec } = await import('../../../spec/validate');
    const v = validateSpec({
      model: { input: [2], layers: [{ type: 'dense', units: 3 }] },
      loss: { type: 'mse' },
      optimizer: { type: 'sgd', lr: 0.1 },
      training: { batchSize: 4 },
    });
    if (!v.ok) throw new Error('spec');
    const ex = await cpu.cpuBackend.createExecutor(compile(v.value));
    expect((ex as { kernels?: string }).kernels).toBe('js');
    expect(await cpu.cpuBackendWith('simd').available()).toEqual({
      ok: false,
      reason: 'this runtime has no WebAssembly SIMD',
    });
  });
});
