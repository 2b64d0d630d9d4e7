// WebGPU in Node through Dawn (the `webgpu` package), for engine tests, the CLI and benchmarks.
// Not for the browser: the app uses navigator.gpu.
import { create, globals } from 'webgpu';

// Dawn's GPU object must stay referenced while any adapter or device from it lives: if it is garbage
// collected, Node dies with a segmentation fault. Keep one for the whole process.
let nodeGpu: GPU | undefined;

export function getNodeGpu(): GPU {
  if (!nodeGpu) {
    Object.assign(globalThis, globals);
    nodeGpu = create([]) as GPU;
  }
  return nodeGpu;
}

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
