// Encodes k whole training steps into ONE submit. Per-step scalars (learning rate, step index, batch position) are
// precomputed for the k steps and written once before the submit into a per-step table that kernels index with the
// device step counter; an `advance` kernel bumps the counter between steps. Losses go into a device ring (one slot
// per step of the submit) that is copied to a staging buffer and read back asynchronously. No await between steps,
// no buffer or bind-group creation after warm-up.
import { encodeLaunches, type PreparedLaunch } from './launcher';
import { StagingRing } from './readback';
import type { Binding, BufferView, KernelLaunch } from './shader';

/** WGSL declaration of the step state (kernels/context.ts adds accessors for the per-step table). */
export const STEP_STATE_WGSL = /* wgsl */ `
struct StepState { step: u32, local: u32, base: u32, pad: u32 }`;

export interface StepBuffers {
  state: BufferView;
  perStep: BufferView;
  lossRing: BufferView;
}

export class StepEncoder {
  readonly state: GPUBuffer;
  readonly perStep: GPUBuffer;
  readonly lossRing: GPUBuffer;
  private readonly staging: StagingRing;
  private readonly stateWords = new Uint32Array(4);

  /**
   * @param maxSteps steps per submit (longer runs are split into several submits)
   * @param perStepWords 32-bit words of per-step data per step (step, lr bits, ...)
   * @param lossFloats floats written per step into the loss ring (loss, then any metrics)
   */
  constructor(
    private readonly device: GPUDevice,
    readonly maxSteps: number,
    readonly perStepWords: number,
    readonly lossFloats: number,
  ) {
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    this.state = device.createBuffer({ label: 'step-state', size: 16, usage });
    this.perStep = device.createBuffer({ label: 'per-step', size: 4 * Math.max(4, maxSteps * perStepWords), usage });
    this.lossRing = device.createBuffer({ label: 'loss-ring', size: 4 * Math.max(4, maxSteps * lossFloats), usage });
    this.staging = new StagingRing(device, 4 * Math.max(4, maxSteps * lossFloats));
  }

  get buffers(): StepBuffers {
    return {
      state: { buffer: this.state, offset: 0, size: 16 },
      perStep: { buffer: this.perStep, offset: 0, size: this.perStep.size },
      lossRing: { buffer: this.lossRing, offset: 0, size: this.lossRing.size },
    };
  }

  /** Read-only bindings of the step state and per-step table for kernels that need per-step scalars. */
  stepBindings(): Binding[] {
    const b = this.buffers;
    return [
      { name: 'stepState', access: 'read', type: 'StepState', view: b.state },
      { name: 'perStep', access: 'read', type: 'array<u32>', view: b.perStep },
    ];
  }

  /** The kernel that ends every step: advances the device step counter. */
  advanceLaunch(): KernelLaunch {
    return {
      label: 'advance-step',
      body: `${STEP_STATE_WGSL}
@compute @workgroup_size(1)
fn main() { stepState.step = stepState.step + 1u; stepState.local = stepState.local + 1u; }`,
      bindings: [{ name: 'stepState', access: 'read_write', type: 'StepState', view: this.buffers.state }],
      workgroups: [1, 1, 1],
    };
  }

  /**
   * Encode and submit k (<= maxSteps) steps starting at global step `base`. `perStep` holds k * perStepWords
   * words. Resolves to the
   * k * lossFloats values of the loss ring once the GPU has finished (never awaited inside the loop).
   */
  submit(k: number, base: number, perStep: Uint32Array, step: readonly PreparedLaunch[]): Promise<Float32Array> {
    if (k < 1 || k > this.maxSteps) throw new Error(`submit of ${k} steps: must be 1..${this.maxSteps}`);
    const q = this.device.queue;
    this.stateWords[0] = base;
    this.stateWords[1] = 0;
    this.stateWords[2] = base;
    q.writeBuffer(this.state, 0, this.stateWords);
    if (this.perStepWords > 0) q.writeBuffer(this.perStep, 0, perStep, 0, k * this.perStepWords);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (let s = 0; s < k; s++) encodeLaunches(pass, step);
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
    this.state.destroy();
    this.perStep.destroy();
    this.lossRing.destroy();
    this.staging.destroy();
  }
}
