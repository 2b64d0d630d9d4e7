// Public surface of the WebGPU backend.

export { type ExecutorOptions, WebGpuExecutor } from './executor';
export { createWebGpuFactory, type WebGpuFactory } from './factory';
export type { KernelContext, WebGpuKernel, WebGpuKernelTable } from './kernels/context';
export { KERNELS } from './kernels/table';
export { debugWgsl } from './pipelineCache';

import { createWebGpuFactory as makeFactory } from './factory';

/** The default WebGPU backend: navigator.gpu in browsers and workers, Dawn in Node. */
export const webgpuBackend = makeFactory();
