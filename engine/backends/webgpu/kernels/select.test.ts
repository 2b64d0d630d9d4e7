// The kernel-selection table: software rasterisers keep the register-blocked kernels, GPUs get the tiled ones
// unless their workgroup limits are too small.

import { describe, expect, it } from 'vitest';
import { selectKernels } from './select';

const gpu = { software: false, maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupStorageSize: 16384 };

describe('WebGPU kernel selection', () => {
  it('keeps the register-blocked kernels on SwiftShader', () => {
    expect(selectKernels({ ...gpu, software: true }).selection).toEqual({ matmul: 'blocked', conv: 'gemm' });
  });
  it('gives real GPUs the tiled kernels', () => {
    const s = selectKernels(gpu);
    expect(s.selection).toEqual({ matmul: 'tiled', conv: 'tiled' });
    expect(s.row).toBe('GPU');
  });
  it('falls back when the workgroup limits are below what the tiled kernel needs', () => {
    expect(selectKernels({ ...gpu, maxComputeWorkgroupStorageSize: 8192 }).selection.matmul).toBe('blocked');
    expect(selectKernels({ ...gpu, maxComputeInvocationsPerWorkgroup: 128 }).selection.matmul).toBe('blocked');
  });
});
