// The CPU backend factory: always available (plain JavaScript).

import type { Program } from '../../graph/program';
import type { BackendFactory } from '../backend';
import { CpuExecutor } from './executor';

export const cpuBackend: BackendFactory = {
  name: 'cpu',
  available: async () => ({ ok: true, detail: 'JavaScript on the CPU (Float32Array kernels)' }),
  createExecutor: async (program: Program) => new CpuExecutor(program),
};
