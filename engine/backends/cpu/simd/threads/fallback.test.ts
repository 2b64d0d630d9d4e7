// When the GEMM threads cannot run (a page that is not cross-origin isolated, no workers, one core) or are not asked
// for (Node without ATLAS_CPU_THREADS), the CPU backend runs on one thread and its report says so and why; asked
// for in Node, the backend's executors split their GEMMs and the report says across how many threads.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { compile } from '../../../../graph/compile';
import { validateSpec } from '../../../../spec/validate';
import { threadPlan } from './plan';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

class FakeWorker {}

describe('threadPlan', () => {
  it('a page that is not cross-origin isolated: one thread', () => {
    expect(threadPlan({ navigator: { hardwareConcurrency: 8 }, Worker: FakeWorker })).toEqual({
      threads: 1,
      why: 'the page is not cross-origin isolated',
    });
    expect(
      threadPlan({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 8 }, Worker: FakeWorker }).threads,
    ).toBe(1);
  });

  it('an isolated page: min(4, cores) threads, unless it cannot start workers or has one core', () => {
    const page = (cores: number) => ({
      crossOriginIsolated: true,
      navigator: { hardwareConcurrency: cores },
      Worker: FakeWorker,
    });
    expect(threadPlan(page(2))).toEqual({ threads: 2, why: null });
    expect(threadPlan(page(16))).toEqual({ threads: 4, why: 'at most 4' });
    expect(threadPlan(page(1))).toEqual({ threads: 1, why: 'this machine reports one core' });
    expect(threadPlan({ ...page(8), Worker: undefined })).toEqual({
      threads: 1,
      why: 'this context cannot start workers',
    });
    expect(threadPlan({ ...page(8), ATLAS_CPU_THREADS: '2' })).toEqual({ threads: 2, why: 'ATLAS_CPU_THREADS=2' });
  });

  it('Node: off unless ATLAS_CPU_THREADS asks', () => {
    const node = (env: Record<string, string>) => ({ process: { versions: { node: '20' }, env } });
    expect(threadPlan(node({}))).toEqual({ threads: 1, why: 'set ATLAS_CPU_THREADS=N for worker threads' });
    expect(threadPlan(node({ ATLAS_CPU_THREADS: '1' }))).toEqual({ threads: 1, why: 'ATLAS_CPU_THREADS=1' });
    expect(threadPlan(node({ ATLAS_CPU_THREADS: '2' })).threads).toBe(2);
    expect(threadPlan(node({ ATLAS_CPU_THREADS: 'many' })).threads).toBe(1);
  });
});

function program() {
  const v = validateSpec({
    model: { input: [64], layers: [{ type: 'dense', units: 64 }, { type: 'relu' }, { type: 'dense', units: 4 }] },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'sgd', lr: 0.1 },
    training: { batchSize: 64 },
  });
  if (!v.ok) throw new Error('spec');
  return compile(v.value);
}

type WithArena = { mem: { simd: { team: { threads: number } | null } | null } };

describe('the CPU backend', () => {
  it('runs on one thread and says why when threads are off', async () => {
    vi.stubEnv('ATLAS_CPU_THREADS', '');
    const cpu = await import('../../index');
    const report = await cpu.cpuKernelReport();
    expect(report.variant).not.toBe('js');
    expect(report.threads).toBe(1);
    expect(report.detail).toMatch(/kernels on the CPU.*, one thread \(set ATLAS_CPU_THREADS=N for worker threads\)$/);
    const ex = (await cpu.cpuBackend.createExecutor(program())) as unknown as WithArena;
    expect(ex.mem.simd?.team).toBeNull();
  });

  it('splits large GEMMs across the threads ATLAS_CPU_THREADS asks for, and says so', async () => {
    vi.stubEnv('ATLAS_CPU_THREADS', '2');
    const cpu = await import('../../index');
    const report = await cpu.cpuKernelReport();
    expect(report.variant).not.toBe('js');
    expect(report.threads).toBe(2);
    expect(report.detail).toMatch(/kernels on the CPU.*, large matrix products split across 2 threads$/);
    const ex = (await cpu.cpuBackend.createExecutor(program())) as unknown as WithArena & { dispose(): void };
    expect(ex.mem.simd?.team?.threads).toBe(2);
    ex.dispose();
    // Forcing one thread still can.
    const one = (await cpu.cpuBackendWith('auto', 1).createExecutor(program())) as unknown as WithArena;
    expect(one.mem.simd?.team).toBeNull();
    expect(await cpu.cpuBackendWith('auto', 1).available()).toMatchObject({ detail: /, one thread \(asked for\)$/ });
  });
});
