// Turns KernelLaunch descriptions into prepared dispatches (pipeline + bind group, built once) and encodes them.
// The runtime prepares every launch at compile time; the step loop only calls `encode`, which allocates nothing.
import type { PipelineCache } from './pipelineCache';
import type { KernelLaunch } from './shader';

export interface PreparedLaunch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
  /** Binds the per-step record through a dynamic offset. */
  dynamic: boolean;
}

/** Dynamic offsets of step records 0 .. 4095 (RECORD_STRIDE apart), shared so encoding allocates nothing. */
const STEP_OFFSETS = new Uint32Array(4096).map((_, s) => s * 256);

/** Compile (cached) and bind each launch. Rejects naming the first launch whose WGSL or bind group is invalid. */
export async function prepareLaunches(
  device: GPUDevice,
  cache: PipelineCache,
  launches: readonly KernelLaunch[],
): Promise<PreparedLaunch[]> {
  const pipelines = await Promise.all(launches.map((l) => cache.get(l.label, l.bindings, l.body)));
  const out: PreparedLaunch[] = [];
  for (let i = 0; i < launches.length; i++) {
    const l = launches[i];
    const p = pipelines[i];
    checkAliasing(l);
    device.pushErrorScope('validation');
    const bindGroup = device.createBindGroup({
      label: l.label,
      layout: p.layout,
      entries: l.bindings.map((b, j) => ({
        binding: j,
        resource: { buffer: b.view.buffer, offset: b.view.offset, size: b.view.size },
      })),
    });
    const err = await device.popErrorScope();
    if (err) throw new Error(`bind group for "${l.label}" is invalid: ${err.message}`);
    const dynamic = l.bindings.filter((b) => b.dynamic).length;
    if (dynamic > 1) throw new Error(`kernel "${l.label}" has ${dynamic} dynamic bindings (at most one)`);
    out.push({ label: l.label, pipeline: p.pipeline, bindGroup, workgroups: l.workgroups, dynamic: dynamic === 1 });
  }
  return out;
}

/** Encode launches as step `step` of the submit (selects the step record for dynamic launches). */
export function encodeLaunches(pass: GPUComputePassEncoder, launches: readonly PreparedLaunch[], step = 0): void {
  for (const l of launches) {
    pass.setPipeline(l.pipeline);
    if (l.dynamic) pass.setBindGroup(0, l.bindGroup, STEP_OFFSETS, step, 1);
    else pass.setBindGroup(0, l.bindGroup);
    pass.dispatchWorkgroups(l.workgroups[0], l.workgroups[1], l.workgroups[2]);
  }
}

/** Two storage bindings of one launch may not overlap (all are writable; WebGPU forbids writable aliasing). */
function checkAliasing(l: KernelLaunch): void {
  const b = l.bindings;
  for (let i = 0; i < b.length; i++)
    for (let j = i + 1; j < b.length; j++) {
      const x = b[i].view;
      const y = b[j].view;
      if (b[i].access === 'uniform' || b[j].access === 'uniform' || x.buffer !== y.buffer) continue;
      if (x.offset < y.offset + y.size && y.offset < x.offset + x.size)
        throw new Error(`kernel "${l.label}": bindings ${b[i].name} and ${b[j].name} overlap in one buffer`);
    }
}
