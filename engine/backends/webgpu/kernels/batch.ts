// Per-step bookkeeping kernels of the executor: gathering the step's batch from the device-resident training data
// through the epoch order, and (for programs whose loss the loss kernel does not record) copying the step's scalars
// into the loss ring.
import { type Binding, type BufferView, grid1d, type KernelLaunch } from '../shader';
import { STEP_FIELD, STEP_WGSL } from './context';
import { mapLaunch } from './elementwise';

export interface GatherArgs {
  batch: number;
  /** Floats per input row and per target row. */
  fx: number;
  fy: number;
  dataX: GPUBuffer;
  dataY: GPUBuffer;
  order: GPUBuffer;
  x: BufferView;
  y: BufferView;
  /** The hyper/step-record bindings (the row start comes from the step record). */
  stepBindings: Binding[];
}

const whole = (b: GPUBuffer): BufferView => ({ buffer: b, offset: 0, size: b.size });

/** One dispatch copies the step's batch: batch row r is training row order[rowStart + r], inputs and targets. */
export function gatherBatchLaunch(a: GatherArgs): KernelLaunch {
  const nx = a.batch * a.fx;
  const n = nx + a.batch * a.fy;
  const body = /* wgsl */ `${STEP_WGSL}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let first = (gid.x + gid.y * nwg.x * 64u) * 4u;
  let rowStart = stepWord(${STEP_FIELD.rowStart}u);
  for (var e = 0u; e < 4u; e++) {
    let i = first + e;
    if (i >= ${n}u) { return; }
    if (i < ${nx}u) {
      x[i] = dataX[order[rowStart + i / ${a.fx}u] * ${a.fx}u + i % ${a.fx}u];
    } else {
      let j = i - ${nx}u;
      y[j] = dataY[order[rowStart + j / ${a.fy}u] * ${a.fy}u + j % ${a.fy}u];
    }
  }
}`;
  return {
    label: `gather-batch ${a.batch}x(${a.fx}+${a.fy})`,
    body,
    bindings: [
      { name: 'dataX', access: 'read', type: 'array<f32>', view: whole(a.dataX) },
      { name: 'dataY', access: 'read', type: 'array<f32>', view: whole(a.dataY) },
      { name: 'order', access: 'read', type: 'array<u32>', view: whole(a.order) },
      { name: 'x', access: 'read_write', type: 'array<f32>', view: a.x },
      { name: 'y', access: 'read_write', type: 'array<f32>', view: a.y },
      ...a.stepBindings,
    ],
    workgroups: grid1d(Math.ceil(n / 4), 64),
  };
}

export interface RecordArgs {
  loss: BufferView;
  accuracy: BufferView | null;
  ring: BufferView;
  stepBindings: Binding[];
}

/** ring[slot * 2] = loss, ring[slot * 2 + 1] = accuracy (or 0), slot = the step's index within its submit. */
export function recordLossLaunch(a: RecordArgs): KernelLaunch {
  const inputs = [{ view: a.loss }];
  if (a.accuracy) inputs.push({ view: a.accuracy });
  const launch = mapLaunch({
    label: 'record-loss',
    n: 1,
    inputs,
    out: a.ring,
    fns: STEP_WGSL,
    extra: a.stepBindings,
    expr: '0.0',
  });
  const acc = a.accuracy ? 'in1[0]' : '0.0';
  launch.body = launch.body.replace(
    /out\[i\] = 0\.0;/,
    `let slot = stepWord(${STEP_FIELD.slot}u) * 2u;\n  out[slot] = in0[0];\n  out[slot + 1u] = ${acc};`,
  );
  return launch;
}
