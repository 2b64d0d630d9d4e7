// Test helpers for WebGPU kernels in Node (Dawn): one device per test process, scratch buffers, run-and-read.
// Not used by the engine itself.
import { getNodeGpu } from '../../node/gpu';
import { acquireDevice } from './device';
import { encodeLaunches, prepareLaunches } from './launcher';
import { PipelineCache } from './pipelineCache';
import type { BufferView, KernelLaunch } from './shader';

let devicePromise: Promise<GPUDevice> | undefined;

export function testDevice(): Promise<GPUDevice> {
  devicePromise ??= acquireDevice(getNodeGpu()).then((r) => {
    if (!r.ok) throw new Error(`no WebGPU device: ${r.reason} (is VK_ICD_FILENAMES set?)`);
    return r.device;
  });
  return devicePromise;
}

/** Buffers for one test: each view is its own buffer (simple; the engine itself uses arenas). */
export class Scratch {
  private readonly buffers: GPUBuffer[] = [];
  readonly cache: PipelineCache;

  constructor(readonly device: GPUDevice) {
    this.cache = new PipelineCache(device);
  }

  upload(data: Float32Array | Uint32Array | Int32Array): BufferView {
    const size = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
    const buffer = this.device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | GPUBufferUsage.UNIFORM,
    });
    this.device.queue.writeBuffer(buffer, 0, data);
    this.buffers.push(buffer);
    return { buffer, offset: 0, size };
  }

  zeros(n: number): BufferView {
    return this.upload(new Float32Array(n));
  }

  /** Validate, run the launches in one compute pass and wait for completion. */
  async run(launches: readonly KernelLaunch[]): Promise<void> {
    const prepared = await prepareLaunches(this.device, this.cache, launches);
    this.device.pushErrorScope('validation');
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    encodeLaunches(pass, prepared);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    const err = await this.device.popErrorScope();
    if (err) throw new Error(`GPU validation error: ${err.message}`);
    await this.device.queue.onSubmittedWorkDone();
  }

  async read(view: BufferView, n?: number): Promise<Float32Array> {
    const staging = this.device.createBuffer({
      size: view.size,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(view.buffer, view.offset, staging, 0, view.size);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    staging.destroy();
    return n === undefined ? out : out.subarray(0, n);
  }

  dispose(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
  }
}

/** Worst relative error max|a-b| / max(1,|b|) over all elements (Infinity on length mismatch or NaN). */
export function worstRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Number.POSITIVE_INFINITY : e;
  }
  return worst;
}

/** Deterministic pseudo-random test data in [-1, 1). */
export function testData(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
