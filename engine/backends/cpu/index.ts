// The CPU backend factory: always available. Its kernels are WebAssembly SIMD (relaxed SIMD with FMA where the
// runtime has it) when the runtime validates the modules, plain JavaScript otherwise (simd/module.ts decides).
// `cpuBackendWith` forces a variant (tests run every variant; benchmarks compare them).

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
} from './simd/module';

export type { CpuKernelChoice, CpuKernelVariant } from './simd/module';
export { CPU_KERNEL_LABELS, CPU_KERNEL_VARIANTS, cpuKernelSupport } from './simd/module';

/** A sentence for the backend report: which kernels run, and why not faster ones. */
export async function cpuKernelDetail(choice: CpuKernelChoice = 'auto'): Promise<string> {
  const v = await resolveCpuKernels(choice);
  const support = await cpuKernelSupport();
  const why =
    choice === 'auto' && v !== 'relaxed-simd'
      ? ` (${support['relaxed-simd'] === true ? '' : support['relaxed-simd']}${v === 'js' && support.simd !== true ? `; ${support.simd}` : ''})`
      : '';
  return `${CPU_KERNEL_LABELS[v]} kernels on the CPU, one thread${why.replace('(; ', '(')}`;
}

/** The CPU kernels 'auto' runs here, for the worker's backend report (engine/worker/protocol.ts CpuKernelReport). */
export async function cpuKernelReport(): Promise<{
  variant: CpuKernelVariant;
  label: string;
  threads: number;
  detail: string;
}> {
  const variant = await resolveCpuKernels('auto');
  return { variant, label: CPU_KERNEL_LABELS[variant], threads: 1, detail: await cpuKernelDetail('auto') };
}

async function executorFor(program: Program, choice: CpuKernelChoice): Promise<CpuExecutor> {
  const v: CpuKernelVariant = await resolveCpuKernels(choice);
  if (v === 'js') return new CpuExecutor(program);
  const arena = await createSimdArena(program, v);
  if (typeof arena !== 'string') return new CpuExecutor(program, arena);
  if (choice !== 'auto') throw new Error(`CPU kernels '${choice}' cannot run: ${arena}`);
  return new CpuExecutor(program);
}

export function cpuBackendWith(choice: CpuKernelChoice): BackendFactory {
  return {
    name: 'cpu',
    available: async () => {
      if (choice !== 'auto' && choice !== 'js') {
        const s = (await cpuKernelSupport())[choice];
        if (s !== true) return { ok: false, reason: s };
      }
      return { ok: true, detail: await cpuKernelDetail(choice) };
    },
    createExecutor: (program: Program) => executorFor(program, choice),
  };
}

export const cpuBackend: BackendFactory = cpuBackendWith('auto');
