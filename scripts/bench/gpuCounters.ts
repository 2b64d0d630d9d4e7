// Counts WebGPU compute dispatches and queue submits by wrapping the prototypes, the same way for TF.js and for our
// engine, in the browser and in Node (Dawn's classes, once engine/node/gpu.ts has put them on globalThis).

export const gpuCounters = { dispatches: 0, submits: 0, installed: false };

export function installGpuCounters(): boolean {
  if (gpuCounters.installed) return true;
  const g = globalThis as { GPUComputePassEncoder?: typeof GPUComputePassEncoder; GPUQueue?: typeof GPUQueue };
  if (!g.GPUComputePassEncoder || !g.GPUQueue) return false;
  const pass = g.GPUComputePassEncoder.prototype;
  const dispatch = pass.dispatchWorkgroups;
  pass.dispatchWorkgroups = function (this: GPUComputePassEncoder, x: number, y?: number, z?: number) {
    gpuCounters.dispatches++;
    return dispatch.call(this, x, y, z);
  };
  const indirect = pass.dispatchWorkgroupsIndirect;
  pass.dispatchWorkgroupsIndirect = function (this: GPUComputePassEncoder, b: GPUBuffer, o: number) {
    gpuCounters.dispatches++;
    return indirect.call(this, b, o);
  };
  const queue = g.GPUQueue.prototype;
  const submit = queue.submit;
  queue.submit = function (this: GPUQueue, cbs: Iterable<GPUCommandBuffer>) {
    gpuCounters.submits++;
    return submit.call(this, cbs);
  };
  gpuCounters.installed = true;
  return true;
}
