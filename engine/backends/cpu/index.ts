// The CPU backend factory: always available. Its kernels are WebAssembly SIMD (relaxed SIMD with FMA where the
// runtime has it) when the runtime validates the modules, plain JavaScript otherwise (simd/module.ts decides).
// Large GEMMs split across a pool of helper threads where the context allows it (simd/threads: a cross-origin
// isolated page, or Node with ATLAS_CPU_THREADS). `cpuBackendWith` forces a variant or one thread (tests run every
// variant; benchmarks compare them).

import type { Program } from '../../graph/program';
import type { BackendFactory } from '../backend';
import { CpuExecutor } from './executor';
import { createSimdArena } from './simd/arena';
import {
  CPU_KERNEL_LABELS,
  type CpuKernelChoice,
  type CpuKernelVariant,
  cpuKernelSupport,
  resolveCpuKernels,
  sharedWasmModule,
} from './simd/module';
import { type GemmPool, gemmPool } from './simd/threads/pool';

export type { CpuKernelChoice, CpuKernelVariant } from './simd/module';
export { CPU_KERNEL_LABELS, CPU_KERNEL_VARIANTS, cpuKernelSupport } from './simd/module';

/** 'auto': split large GEMMs across the pool's threads where this context allows them (threads/plan.ts); 1: never. */
export type CpuThreadChoice = 'auto' | 1;

/** The GEMM threads an executor of these kernels gets: a pool, or why one thread. */
async function poolFor(v: CpuKernelVariant, threads: CpuThreadChoice): Promise<GemmPool | string> {
  if (threads === 1) return 'asked for';
  if (v === 'js') return 'the plain JavaScript kernels run on one thread';
  const shared = await sharedWasmModule(v);
  if (typeof shared === 'string') return shared;
  return gemmPool();
}

/** A sentence for the backend report: which kernels run, on how many threads, and why not faster ones. */
export async function cpuKernelDetail(
  choice: CpuKernelChoice = 'auto',
  threads: CpuThreadChoice = 'auto',
): Promise<string> {
  const v = await resolveCpuKernels(choice);
  const support = await cpuKernelSupport();
  const why =
    choice === 'auto' && v !== 'relaxed-simd'
      ? ` (${support['relaxed-simd'] === true ? '' : support['relaxed-simd']}${v === 'js' && support.simd !== true ? `; ${support.simd}` : ''})`
      : '';
  const pool = await poolFor(v, threads);
  const on =
    typeof pool === 'string'
      ? `one thread${v === 'js' ? '' : ` (${pool})`}`
      : `large matrix products split across ${pool.threads} threads`;
  return `${CPU_KERNEL_LABELS[v]} kernels on the CPU${why.replace('(; ', '(')}, ${on}`;
}

/** The CPU kernels 'auto' runs here, for the worker's backend report (engine/worker/protocol.ts CpuKernelReport). */
export async function cpuKernelReport(): Promise<{
  variant: CpuKernelVariant;
  label: string;
  threads: number;
  detail: string;
}> {
  const variant = await resolveCpuKernels('auto');
  const pool = await poolFor(variant, 'auto');
  const threads = typeof pool === 'string' ? 1 : pool.threads;
  return { variant, label: CPU_KERNEL_LABELS[variant], threads, detail: await cpuKernelDetail('auto') };
}

async function executorFor(program: Program, choice: CpuKernelChoice, threads: CpuThreadChoice): Promise<CpuExecutor> {
  const v: CpuKernelVariant = await resolveCpuKernels(choice);
  if (v === 'js') return new CpuExecutor(program);
  const pool = await poolFor(v, threads);
  const arena = await createSimdArena(program, v, [], typeof pool === 'string' ? null : pool);
  if (typeof arena !== 'string') return new CpuExecutor(program, arena);
  if (choice !== 'auto') throw new Error(`CPU kernels '${choice}' cannot run: ${arena}`);
  return new CpuExecutor(program);
}

export function cpuBackendWith(choice: CpuKernelChoice, threads: CpuThreadChoice = 'auto'): BackendFactory {
  return {
    name: 'cpu',
    available: async () => {
      if (choice !== 'auto' && choice !== 'js') {
        const s = (await cpuKernelSupport())[choice];
        if (s !== true) return { ok: false, reason: s };
      }
      return { ok: true, detail: await cpuKernelDetail(choice, threads) };
    },
    createExecutor: (program: Program) => executorFor(program, choice, threads),
  };
}

export const cpuBackend: BackendFactory = cpuBackendWith('auto');
