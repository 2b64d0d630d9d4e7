// The WebGPU PlaneEvaluator: a whole chunk of grid points in ONE submit. The center and both directions are uploaded
// once; per point, a small kernel writes center + a * d1 + b * d2 into the wide program's parameter region (a and b
// come from a uniform table selected by dynamic offset, so the bind groups are built once), the eval forward runs
// over the split in wide batches (each batch's rows copied in from an uploaded buffer only when the forward may
// overwrite its input), and the outputs are copied into one staging buffer, read back once per chunk.

import type { WebGpuExecutor } from '../backends/webgpu/executor';
import { encodeLaunches, type PreparedLaunch, prepareLaunches } from '../backends/webgpu/launcher';
import { grid1d, type KernelLaunch } from '../backends/webgpu/shader';
import { lossValue } from '../graph/losses';
import { opIO } from '../graph/ops';
import type { Program } from '../graph/program';
import { lossArgsOf, type PlaneEvaluator, type PlaneSetup, paddedInput } from './plane';

/** Points per submit at most (the launcher's dynamic-offset table holds 4096 records). */
const MAX_POINTS = 4096;
/** Bytes of outputs one submit may read back. */
const MAX_STAGING = 32 * 2 ** 20;
const RECORD = 256;
const WG = 256;

/** Whether the eval forward writes into the memory of its own input (the planner reuses activation memory by
 * lifetime), so the rows must be copied in again before every forward. */
function forwardClobbersInput(p: Program): boolean {
  const input = p.tensors[p.evalIo.input];
  const lo = input.offset;
  const hi = input.offset + input.size;
  return p.evalForward.some((op) =>
    opIO(op).writes.some((id) => {
      const t = p.tensors[id];
      return id !== input.id && t.arena === 'activations' && t.offset < hi && lo < t.offset + t.size;
    }),
  );
}

export async function webgpuPlane(exec: WebGpuExecutor, setup: PlaneSetup): Promise<PlaneEvaluator> {
  const p = exec.program;
  const device = exec.device;
  const n = p.batchSize;
  const xRow = p.inputShape.reduce((a, b) => a * b, 1);
  const yRow = p.outputShape.reduce((a, b) => a * b, 1);
  const size = p.regions.params.size;
  const { x, batches } = paddedInput(p, setup.x, setup.rows);
  const inBytes = n * xRow * 4;
  const outBytes = n * yRow * 4;
  const perPoint = batches * outBytes;
  const maxPoints = Math.max(1, Math.min(MAX_POINTS, Math.floor(MAX_STAGING / perPoint)));
  const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const mk = (label: string, bytes: number, usage: number) =>
    device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
  const cBuf = mk('landscape-center', size * 4, storage);
  const d1Buf = mk('landscape-d1', size * 4, storage);
  const d2Buf = mk('landscape-d2', size * 4, storage);
  const coefBuf = mk('landscape-coefs', maxPoints * RECORD, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  const upload = mk('landscape-rows', x.byteLength, GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
  const staging = mk('landscape-out', maxPoints * perPoint, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  const buffers = [cBuf, d1Buf, d2Buf, coefBuf, upload, staging];
  device.queue.writeBuffer(cBuf, 0, setup.center);
  device.queue.writeBuffer(d1Buf, 0, setup.d1);
  device.queue.writeBuffer(d2Buf, 0, setup.d2 ?? new Float32Array(size));
  device.queue.writeBuffer(upload, 0, x);
  exec.writeState(setup.state);

  const view = (buffer: GPUBuffer) => ({ buffer, offset: 0, size: Math.max(16, Math.ceil((size * 4) / 16) * 16) });
  const combineLaunch: KernelLaunch = {
    label: 'landscape.combine',
    bindings: [
      { name: 'w', access: 'read_write', type: 'array<f32>', view: exec.view(p.regions.params.tensor) },
      { name: 'c', access: 'read_write', type: 'array<f32>', view: view(cBuf) },
      { name: 'd1', access: 'read_write', type: 'array<f32>', view: view(d1Buf) },
      { name: 'd2', access: 'read_write', type: 'array<f32>', view: view(d2Buf) },
      {
        name: 'coef',
        access: 'uniform',
        type: 'vec4<f32>',
        view: { buffer: coefBuf, offset: 0, size: 16 },
        dynamic: true,
      },
    ],
    body: /* wgsl */ `
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = g.x + g.y * nw.x * ${WG}u;
  if (i >= ${size}u) { return; }
  w[i] = c[i] + coef.x * d1[i] + coef.y * d2[i];
}`,
    workgroups: grid1d(size, WG),
  };
  let combine: PreparedLaunch[];
  let forward: PreparedLaunch[];
  try {
    [combine, forward] = await Promise.all([
      prepareLaunches(device, exec.pipelines, [combineLaunch]),
      prepareLaunches(device, exec.pipelines, exec.launchesOf(p.evalForward)),
    ]);
  } catch (e) {
    for (const b of buffers) b.destroy();
    throw e;
  }
  const copyEach = batches > 1 || forwardClobbersInput(p);
  const inView = exec.view(p.evalIo.input);
  const outView = exec.view(p.evalIo.output);
  const args = lossArgsOf(p, setup.rows, setup.smoothing);
  if (!copyEach) {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(upload, 0, inView.buffer, inView.offset, inBytes);
    device.queue.submit([enc.finish()]);
  }

  const chunk = async (coefs: Float64Array, from: number, count: number, res: Float64Array): Promise<void> => {
    const table = new Float32Array((count * RECORD) / 4);
    for (let k = 0; k < count; k++) {
      table[(k * RECORD) / 4] = coefs[2 * (from + k)];
      table[(k * RECORD) / 4 + 1] = coefs[2 * (from + k) + 1];
    }
    device.queue.writeBuffer(coefBuf, 0, table);
    const enc = device.createCommandEncoder();
    for (let k = 0; k < count; k++) {
      for (let b = 0; b < batches; b++) {
        if (copyEach) enc.copyBufferToBuffer(upload, b * inBytes, inView.buffer, inView.offset, inBytes);
        const pass = enc.beginComputePass();
        if (b === 0) encodeLaunches(pass, combine, k);
        encodeLaunches(pass, forward);
        pass.end();
        enc.copyBufferToBuffer(outView.buffer, outView.offset, staging, (k * batches + b) * outBytes, outBytes);
      }
    }
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, count * perPoint);
    try {
      const out = new Float32Array(staging.getMappedRange(0, count * perPoint));
      for (let k = 0; k < count; k++) res[from + k] = lossValue(args, out.subarray(k * batches * n * yRow), setup.y);
    } finally {
      staging.unmap();
    }
  };

  return {
    backend: 'webgpu',
    async losses(coefs) {
      if (exec.lostReason) throw new Error(exec.lostReason);
      const total = coefs.length / 2;
      const res = new Float64Array(total);
      for (let from = 0; from < total; from += maxPoints)
        await chunk(coefs, from, Math.min(maxPoints, total - from), res);
      return res;
    },
    dispose() {
      for (const b of buffers) b.destroy();
      exec.dispose();
    },
  };
}
