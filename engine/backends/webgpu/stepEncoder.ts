// Encodes k whole training steps into ONE submit. Each step's scalars (step index, learning rate, batch position,
// optimizer factors) are precomputed for the k steps and written once, before the submit, into a uniform buffer of
// 256-byte step records; every dispatch of step s binds record s through a dynamic offset (no counter, no
// writeBuffer between steps). Losses go into a device ring (one slot per step of the submit) that is copied to a
// staging buffer and read back asynchronously. No await between steps; after warm-up a submit creates no buffers
// and no bind groups (only its command encoder).
import { encodeLaunches, type PreparedLaunch } from './launcher';
import { StagingRing } from './readback';
import type { Binding, BufferView } from './shader';

/** Bytes between step records (minUniformBufferOffsetAlignment). */
export const RECORD_STRIDE = 256;
/** 32-bit words per step record visible to kernels (two vec4<u32>). */
export const RECORD_WORDS = 8;

export class StepEncoder {
  readonly records: GPUBuffer;
  readonly lossRing: GPUBuffer;
  private readonly staging: StagingRing;
  /** Host copy of the records: RECORD_STRIDE / 4 words per step, RECORD_WORDS of them used. */
  readonly words: Uint32Array;
  readonly floats: Float32Array;

  /**
   * @param maxSteps steps per submit (longer runs are split into several submits)
   * @param lossFloats floats written per step into the loss ring (loss, then any metrics)
   */
  constructor(
    private readonly device: GPUDevice,
    readonly maxSteps: number,
    readonly lossFloats: number,
  ) {
    this.records = device.createBuffer({
      label: 'step-records',
      size: maxSteps * RECORD_STRIDE,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const ringBytes = 4 * Math.max(4, maxSteps * lossFloats);
    this.lossRing = device.createBuffer({
      label: 'loss-ring',
      size: ringBytes,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    this.staging = new StagingRing(device, ringBytes);
    this.words = new Uint32Array((maxSteps * RECORD_STRIDE) / 4);
    this.floats = new Float32Array(this.words.buffer);
  }

  get lossRingView(): BufferView {
    return { buffer: this.lossRing, offset: 0, size: this.lossRing.size };
  }

  /** The step-record binding (uniform, dynamic offset): WGSL `stepRec: array<vec4<u32>, 2>`. */
  recordBinding(): Binding {
    return {
      name: 'stepRec',
      access: 'uniform',
      type: `array<vec4<u32>, ${RECORD_WORDS / 4}>`,
      view: { buffer: this.records, offset: 0, size: RECORD_WORDS * 4 },
      dynamic: true,
    };
  }

  /** Word j of step s's record in the host copy (fill before `submit`). */
  wordIndex(s: number, j: number): number {
    return (s * RECORD_STRIDE) / 4 + j;
  }

  /**
   * Submit k (<= maxSteps) steps whose records are in the host copy: one writeBuffer of the records, one compute
   * pass with k repetitions of `step`, one copy of the loss ring. Resolves to the k * lossFloats ring values once
   * the GPU has finished.
   */
  submit(k: number, step: readonly PreparedLaunch[]): Promise<Float32Array> {
    if (k < 1 || k > this.maxSteps) throw new Error(`submit of ${k} steps: must be 1..${this.maxSteps}`);
    const q = this.device.queue;
    q.writeBuffer(this.records, 0, this.words, 0, (k * RECORD_STRIDE) / 4);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (let s = 0; s < k; s++) encodeLaunches(pass, step, s);
    pass.end();
    const bytes = 4 * k * this.lossFloats;
    let staging: GPUBuffer | undefined;
    if (bytes > 0) {
      staging = this.staging.acquire();
      enc.copyBufferToBuffer(this.lossRing, 0, staging, 0, bytes);
    }
    q.submit([enc.finish()]);
    if (!staging) return Promise.resolve(new Float32Array(0));
    return this.staging.read(staging, bytes).then((b) => new Float32Array(b));
  }

  destroy(): void {
    this.records.destroy();
    this.lossRing.destroy();
    this.staging.destroy();
  }
}
