// The backend registry the CLI and tests use. Builder B registers WebGPU by editing only the marked line.

import type { BackendFactory, BackendName } from './backend';
import { cpuBackend } from './cpu/index';
import { webgpuBackend } from './webgpu/index';

export const BACKENDS: Record<BackendName, BackendFactory> = {
  cpu: cpuBackend,
  webgpu: webgpuBackend, // WEBGPU-REGISTRATION (Builder B edits this line)
};

/** 'auto' picks the CPU until Engine II measures both (see issue 4). */
export function resolveBackend(name: BackendName | 'auto'): BackendFactory {
  return name === 'auto' ? BACKENDS.cpu : BACKENDS[name];
}
