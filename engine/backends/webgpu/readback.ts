// A ring of MAP_READ staging buffers for asynchronous readback (losses, metrics, weights). Buffers are created
// while warming up and reused afterwards, so steady-state training allocates no GPU buffers.

export class StagingRing {
  private readonly free: GPUBuffer[] = [];
  private readonly all: GPUBuffer[] = [];

  constructor(
    private readonly device: GPUDevice,
    readonly bytes: number,
  ) {}

  /** A staging buffer of `bytes` that is not mapped or pending; release it with `read`. */
  acquire(): GPUBuffer {
    const b = this.free.pop();
    if (b) return b;
    const buf = this.device.createBuffer({
      label: 'staging',
      size: this.bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.all.push(buf);
    return buf;
  }

  /** Map, copy out the first `bytes`, unmap and return the buffer to the ring. */
  async read(buf: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    try {
      await buf.mapAsync(GPUMapMode.READ, 0, bytes);
      const data = buf.getMappedRange(0, bytes).slice(0);
      buf.unmap();
      return data;
    } finally {
      this.free.push(buf);
    }
  }

  get created(): number {
    return this.all.length;
  }

  destroy(): void {
    for (const b of this.all) b.destroy();
    this.all.length = 0;
    this.free.length = 0;
  }
}

/** Copy a range of a GPU buffer to a fresh staging buffer and read it (for rare reads: weights, evaluation). */
export async function readBufferOnce(
  device: GPUDevice,
  src: GPUBuffer,
  offset: number,
  bytes: number,
): Promise<ArrayBuffer> {
  const size = Math.max(4, Math.ceil(bytes / 4) * 4);
  const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, offset, staging, 0, size);
  device.queue.submit([enc.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0, bytes);
  } finally {
    staging.destroy();
  }
}
