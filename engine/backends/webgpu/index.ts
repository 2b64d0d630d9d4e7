// Public surface of the WebGPU backend.

export { type ExecutorOptions, WebGpuExecutor } from './executor';
export { createWebGpuFactory, type WebGpuFactory } from './factory';
export type { KernelContext, WebGpuKernel, WebGpuKernelTable } from './kernels/context';
export { KERNELS } from './kernels/table';
export { debugWgsl } from './pipelineCache';
