// The GEMM microbenchmark on WebGPU (gemm.ts runs the CPU variants): the engine's matmul kernels, each variant forced
// ('blocked': register blocks, what SwiftShader gets; 'tiled': 64 x 64 workgroup-memory tiles, what real GPUs get:
// kernels/select.ts), on the same shapes. Each timed call encodes `reps` dispatches in one submit and waits for the
// queue, so per-submit overhead is amortised; GFLOP/s = 2mnk x reps / wall time.

import { matmulLaunch } from '../../engine/backends/webgpu/kernels/matmul';
import { encodeLaunches, prepareLaunches } from '../../engine/backends/webgpu/launcher';
import { PipelineCache } from '../../engine/backends/webgpu/pipelineCache';
import type { GemmResult, GemmShape } from './gemm';

export const GPU_GEMM_VARIANTS = ['blocked', 'tiled'] as const;
export type GpuGemmVariant = (typeof GPU_GEMM_VARIANTS)[number];

export async function runGemmGpu(
  device: GPUDevice,
  variant: GpuGemmVariant,
  s: GemmShape,
  seconds: number,
  rounds: number,
  where: 'node' | 'browser',
): Promise<GemmResult> {
  const base = { where, variant: `webgpu ${variant}`, shape: s.id };
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const buf = (floats: number) => device.createBuffer({ size: Math.ceil((floats * 4) / 256) * 256, usage });
  const a = buf(s.m * s.k);
  const b = buf(s.k * s.n);
  const out = buf(s.m * s.n);
  try {
    const fill = (g: GPUBuffer, n: number) =>
      device.queue.writeBuffer(
        g,
        0,
        Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5),
      );
    fill(a, s.m * s.k);
    fill(b, s.k * s.n);
    const view = (g: GPUBuffer, floats: number) => ({ buffer: g, offset: 0, size: floats * 4 });
    const launch = matmulLaunch({
      label: 'bench',
      M: s.m,
      N: s.n,
      K: s.k,
      transA: s.transA,
      transB: s.transB,
      a: view(a, s.m * s.k),
      b: view(b, s.k * s.n),
      out: view(out, s.m * s.n),
      variant,
    });
    const prepared = await prepareLaunches(device, new PipelineCache(device), [launch]);
    const flop = 2 * s.m * s.n * s.k;
    const call = async (reps: number) => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      for (let r = 0; r < reps; r++) encodeLaunches(pass, prepared);
      pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
    };
    // Size reps so one call takes >= 50 ms (warm-up on the way).
    let reps = 1;
    for (;;) {
      const t = performance.now();
      await call(reps);
      if (performance.now() - t >= 50 || reps >= 4096) break;
      reps *= 2;
    }
    const per: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let n = 0;
      const t0 = performance.now();
      let t = t0;
      while (t - t0 < seconds * 1000) {
        await call(reps);
        n += reps;
        t = performance.now();
      }
      per.push((n * flop) / ((t - t0) / 1000) / 1e9);
    }
    const sorted = [...per].sort((x, y) => x - y);
    return { ...base, ok: true, gflops: sorted[Math.floor(sorted.length / 2)], rounds: per };
  } catch (e) {
    return { ...base, ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    a.destroy();
    b.destroy();
    out.destroy();
  }
}
