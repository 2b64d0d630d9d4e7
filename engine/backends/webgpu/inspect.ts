// Activation inspection on the device: the Program's eval forward runs on the WebGPU executor's own arenas, batch
// by batch (program.batchSize rows, as predict does), and right after each probed layer's output op (the op computing
// a layer-table entry's eval output, evalLayerOutputs: the same probes as the host ActivationProbe in
// engine/live/activations.ts) a kernel accumulates that layer's statistics on the device. ONE submit per request:
// - pass 1: per workgroup partial sum, sum of squares and zero count (summed in a fixed order) into a
//   per-(batch, layer, workgroup) partials buffer; min/max through atomicMin/atomicMax on order-preserving u32 keys;
//   the values are also copied to a capture buffer when it fits (maxCaptureBytes).
// - bins: fixed bins over [min, max] read from the device, counted with u32 atomics (workgroup-local, then added to
//   the layer's counts): one dispatch per layer over the captured values, or (no room to capture) a second forward
//   over the batches (eval mode is deterministic) with the bins kernel after each probed op.
// Only integer atomics; float partials are reduced on the host in float64 in a fixed order, so two runs give
// bit-identical results. Batches get their input by a buffer copy from an uploaded input buffer and their index and
// valid row count by a 16-byte copy into a meta buffer: every bind group is built once per layout (bins, capacity),
// and a request allocates nothing once the capacity fits. The small result buffers are read back once, async.

import { evalLayerOutputs, type Program } from '../../graph/program';
import type { ActivationStats } from '../../shared/stats';
import type { WebGpuExecutor } from './executor';
import { encodeLaunches, type PreparedLaunch, prepareLaunches } from './launcher';
import type { Binding, BufferView, KernelLaunch } from './shader';

/** Invocations per workgroup; each workgroup covers 64 x WG elements per batch (up to 64 workgroups). */
const WG = 64;

interface DeviceProbe {
  layer: string;
  /** Index of the evalForward op writing the layer's output. */
  op: number;
  view: BufferView;
  perRow: number;
  /** Workgroups of the stats kernel and their first index in a batch's partials. */
  groups: number;
  partOffset: number;
}

interface Layout {
  bins: number;
  /** Batches the upload, meta-table and partials buffers hold. */
  capacity: number;
  upload: GPUBuffer;
  metaTable: GPUBuffer;
  meta: GPUBuffer;
  params: GPUBuffer;
  acc: GPUBuffer;
  partials: GPUBuffer;
  staging: GPUBuffer;
  accInit: Uint32Array;
  metaWords: Uint32Array;
  /** Per pass: the eval ops (up to the last probe) with the pass's kernel after each probed op. */
  pass1: PreparedLaunch[];
  pass2: PreparedLaunch[];
  /** Capture mode: pass 1 also copies every layer's values to `capture`, and the bins are counted over it by one
   * dispatch per layer (`final`), so the forward runs once; otherwise pass 2 runs the forward again. */
  capture: GPUBuffer;
  captured: boolean;
  final: PreparedLaunch[];
}

/** Order-preserving f32 -> u32 key (WGSL `key`/`unkey` below do the same). */
function unkey(k: number): number {
  const u = new Uint32Array(1);
  u[0] = k & 0x80000000 ? k & 0x7fffffff : ~k >>> 0;
  return new Float32Array(u.buffer)[0];
}

const KEY_FNS = /* wgsl */ `
fn key(f: f32) -> u32 {
  let b = bitcast<u32>(f);
  if ((b & 0x80000000u) != 0u) { return ~b; }
  return b | 0x80000000u;
}
fn unkey(k: u32) -> f32 {
  if ((k & 0x80000000u) != 0u) { return bitcast<f32>(k & 0x7fffffffu); }
  return bitcast<f32>(~k);
}`;

/** Per-layer kernel parameters (u32 words of the layer's 256-byte slot of the params buffer): one WGSL source
 * serves every layer, so a Program's inspection compiles two pipelines (stats; bins per bin count). */
export const PARAM = {
  elements: 0,
  perRow: 1,
  groups: 2,
  accBase: 3,
  partOffset: 4,
  partStride: 5,
  capture: 6,
} as const;
const PARAM_DECL = /* wgsl */ `
fn E() -> u32 { return prm[${PARAM.elements}]; }
fn PER_ROW() -> u32 { return prm[${PARAM.perRow}]; }
fn G() -> u32 { return prm[${PARAM.groups}]; }
fn ACC() -> u32 { return prm[${PARAM.accBase}]; }`;

/** Pass 1: partial sum, sum of squares, zeros per workgroup (per-invocation strided sums, then invocation 0 adds the
 * workgroup's in a fixed order: one barrier); min/max keys by atomics. */
export function statsLaunch(o: {
  x: BufferView;
  acc: BufferView;
  partials: BufferView;
  meta: BufferView;
  params: BufferView;
  /** Where the batch's values are copied (row b * batch of the layer's capture region) when the capture flag is set. */
  capture: BufferView;
  groups: number;
  label: string;
}): KernelLaunch {
  const bindings: Binding[] = [
    { name: 'x', access: 'read_write', type: 'array<f32>', view: o.x },
    { name: 'acc', access: 'read_write', type: 'array<atomic<u32>>', view: o.acc },
    { name: 'part', access: 'read_write', type: 'array<vec4<f32>>', view: o.partials },
    { name: 'bmeta', access: 'read_write', type: 'array<u32>', view: o.meta },
    { name: 'prm', access: 'read_write', type: 'array<u32>', view: o.params },
    { name: 'cap', access: 'read_write', type: 'array<f32>', view: o.capture },
  ];
  const body = /* wgsl */ `${KEY_FNS}${PARAM_DECL}
var<workgroup> s_sum: array<f32, ${WG}>;
var<workgroup> s_sq: array<f32, ${WG}>;
var<workgroup> s_z: array<u32, ${WG}>;
var<workgroup> s_mn: array<f32, ${WG}>;
var<workgroup> s_mx: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let valid = min(bmeta[1] * PER_ROW(), E());
  let step = G() * ${WG}u;
  let capture = prm[${PARAM.capture}] != 0u;
  let capBase = bmeta[0] * E();
  let t = lid.x;
  var s = 0.0f;
  var q = 0.0f;
  var z = 0u;
  var mn = 3.4028234663852886e38f;
  var mx = -3.4028234663852886e38f;
  for (var i = wid.x * ${WG}u + t; i < valid; i += step) {
    let v = x[i];
    if (capture) { cap[capBase + i] = v; }
    s += v;
    q += v * v;
    if (v == 0.0f) { z += 1u; }
    mn = min(mn, v);
    mx = max(mx, v);
  }
  s_sum[t] = s;
  s_sq[t] = q;
  s_z[t] = z;
  s_mn[t] = mn;
  s_mx[t] = mx;
  workgroupBarrier();
  if (t == 0u) {
    for (var j = 1u; j < ${WG}u; j++) {
      s += s_sum[j];
      q += s_sq[j];
      z += s_z[j];
      mn = min(mn, s_mn[j]);
      mx = max(mx, s_mx[j]);
    }
    part[bmeta[0] * prm[${PARAM.partStride}] + prm[${PARAM.partOffset}] + wid.x] = vec4<f32>(s, q, f32(z), 0.0f);
    if (wid.x * ${WG}u < valid) {
      atomicMin(&acc[ACC()], key(mn));
      atomicMax(&acc[ACC() + 1u], key(mx));
    }
  }
}`;
  return { label: `inspect.stats ${o.label}`, body, bindings, workgroups: [o.groups, 1, 1] };
}

/** Pass 2: fixed bins over the layer's [min, max] (read from the device), counted with u32 atomics. */
export function binsLaunch(o: {
  x: BufferView;
  acc: BufferView;
  meta: BufferView;
  params: BufferView;
  groups: number;
  bins: number;
  label: string;
}): KernelLaunch {
  const bindings: Binding[] = [
    { name: 'x', access: 'read_write', type: 'array<f32>', view: o.x },
    { name: 'acc', access: 'read_write', type: 'array<atomic<u32>>', view: o.acc },
    { name: 'bmeta', access: 'read_write', type: 'array<u32>', view: o.meta },
    { name: 'prm', access: 'read_write', type: 'array<u32>', view: o.params },
  ];
  const body = /* wgsl */ `${KEY_FNS}${PARAM_DECL}
const BINS: u32 = ${o.bins}u;
var<workgroup> h: array<atomic<u32>, ${o.bins}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  for (var j = t; j < BINS; j += ${WG}u) { atomicStore(&h[j], 0u); }
  workgroupBarrier();
  let valid = min(bmeta[1] * PER_ROW(), E());
  let step = G() * ${WG}u;
  let mn = unkey(atomicLoad(&acc[ACC()]));
  let mx = unkey(atomicLoad(&acc[ACC() + 1u]));
  var width = 1.0f;
  if (mx > mn) { width = (mx - mn) / f32(BINS); }
  for (var i = wid.x * ${WG}u + t; i < valid; i += step) {
    let f = max(floor((x[i] - mn) / width), 0.0f);
    let b = min(u32(f), BINS - 1u);
    atomicAdd(&h[b], 1u);
  }
  workgroupBarrier();
  for (var j = t; j < BINS; j += ${WG}u) {
    let c = atomicLoad(&h[j]);
    if (c != 0u) { atomicAdd(&acc[ACC() + 2u + j], c); }
  }
}`;
  return { label: `inspect.bins ${o.label}`, body, bindings, workgroups: [o.groups, 1, 1] };
}

function prod(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Per-layer activation histograms and statistics of a WebGPU executor's Program, computed on the device. The
 * result type and definitions (count, mean, std, zeros fraction, fixed bins over [min, max]) are the host
 * ActivationProbe's. Requests are serialised; buffers are created once per (bins, capacity) and reused. */
export class DeviceActivationProbe {
  readonly program: Program;
  private readonly probes: DeviceProbe[] = [];
  /** Partials (vec4) per batch: the sum of every layer's workgroups. */
  private readonly partStride: number;
  private readonly xRow: number;
  private opLaunches: PreparedLaunch[][] | undefined;
  private layout: Layout | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private disposed = false;

  /** `maxCaptureBytes`: device memory the probe may use to keep every probed value of a request (one forward pass
   * instead of two); larger requests run the forward twice (default 64 MiB). */
  constructor(
    private readonly exec: WebGpuExecutor,
    private readonly opts: { maxCaptureBytes?: number } = {},
  ) {
    const p = exec.program;
    this.program = p;
    this.xRow = prod(p.inputShape);
    const n = p.batchSize;
    const found: { layer: string; op: number; out: number; perRow: number }[] = [];
    // Each layer's evaluation output, from the Program's layer table (the op that computes it, in network order).
    for (const { layer, op, out } of evalLayerOutputs(p)) {
      const t = p.tensors[out];
      if (t.shape[0] === n) found.push({ layer, op, out, perRow: t.size / n });
    }
    let off = 0;
    for (const f of found) {
      const elements = n * f.perRow;
      const groups = Math.max(1, Math.min(64, Math.ceil(elements / (WG * 64))));
      this.probes.push({ layer: f.layer, op: f.op, view: exec.view(f.out), perRow: f.perRow, groups, partOffset: off });
      off += groups;
    }
    this.partStride = Math.max(1, off);
  }

  /** Layer keys whose outputs are observed, in network order. */
  get layers(): string[] {
    return this.probes.map((p) => p.layer);
  }

  /** Histograms and statistics of every probed layer's outputs over `rows` rows of x. */
  stats(x: Float32Array, rows: number, bins = 32): Promise<ActivationStats[]> {
    return this.request(x, rows, bins).result;
  }

  /** As `stats`, in two steps: `submitted` resolves once the work is on the device queue (it then sees the state
   * as of that point in queue order, so training may submit again at once); `result` when the small readback is in. */
  request(x: Float32Array, rows: number, bins = 32): { submitted: Promise<void>; result: Promise<ActivationStats[]> } {
    const start = this.tail.then(
      () => this.submit(x, rows, bins),
      () => this.submit(x, rows, bins),
    );
    const result = start.then((finish) => finish());
    this.tail = result.catch(() => undefined);
    return { submitted: start.then(() => undefined), result };
  }

  private async prepareOps(): Promise<PreparedLaunch[][]> {
    if (!this.opLaunches) {
      const last = this.probes.reduce((a, p) => Math.max(a, p.op), -1);
      const ops = this.program.evalForward.slice(0, last + 1);
      this.opLaunches = await Promise.all(
        ops.map((op) => prepareLaunches(this.exec.device, this.exec.pipelines, this.exec.launchesOf([op]))),
      );
    }
    return this.opLaunches;
  }

  private async ensureLayout(bins: number, batches: number): Promise<Layout> {
    const cur = this.layout;
    if (cur && cur.bins === bins && cur.capacity >= batches) return cur;
    const capacity = Math.max(batches, cur && cur.bins === bins ? cur.capacity * 2 : 1);
    const device = this.exec.device;
    const p = this.program;
    const ops = await this.prepareOps();
    const mk = (label: string, bytes: number, usage: number) =>
      device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
    const S = GPUBufferUsage.STORAGE;
    const CS = GPUBufferUsage.COPY_SRC;
    const CD = GPUBufferUsage.COPY_DST;
    const batchBytes = p.batchSize * this.xRow * 4;
    const stride = 2 + bins;
    const accBytes = this.probes.length * stride * 4;
    const partBytes = capacity * this.partStride * 16;
    const upload = mk('inspect-input', capacity * batchBytes, CS | CD);
    const metaTable = mk('inspect-meta-table', (capacity + 1) * 16, CS | CD);
    // Capture regions, one per layer (256-byte aligned), if they fit.
    const capOffsets: number[] = [];
    let capFloats = 0;
    for (const pr of this.probes) {
      capOffsets.push(capFloats);
      capFloats += Math.ceil((capacity * p.batchSize * pr.perRow) / 64) * 64;
    }
    const lim = device.limits;
    const captured =
      capFloats * 4 <= (this.opts.maxCaptureBytes ?? 64 * 1024 * 1024) &&
      capFloats * 4 <= lim.maxBufferSize &&
      this.probes.every((pr) => capacity * p.batchSize * pr.perRow * 4 <= lim.maxStorageBufferBindingSize);
    const capture = mk('inspect-capture', captured ? capFloats * 4 : 16, S);
    const meta = mk('inspect-meta', 16, S | CD);
    const L = this.probes.length;
    const params = mk('inspect-params', 2 * L * 256, S | CD);
    const words = new Uint32Array(2 * L * 64);
    const acc = mk('inspect-acc', accBytes, S | CS | CD);
    const partials = mk('inspect-partials', partBytes, S | CS);
    const staging = mk('inspect-staging', accBytes + partBytes, GPUBufferUsage.MAP_READ | CD);
    const whole = (b: GPUBuffer): BufferView => ({ buffer: b, offset: 0, size: b.size });
    const s1: KernelLaunch[] = [];
    const s2: KernelLaunch[] = [];
    const sf: KernelLaunch[] = [];
    this.probes.forEach((pr, i) => {
      const w = i * 64;
      words[w + PARAM.elements] = p.batchSize * pr.perRow;
      words[w + PARAM.perRow] = pr.perRow;
      words[w + PARAM.groups] = pr.groups;
      words[w + PARAM.accBase] = i * stride;
      words[w + PARAM.partOffset] = pr.partOffset;
      words[w + PARAM.partStride] = this.partStride;
      words[w + PARAM.capture] = captured ? 1 : 0;
      const common = {
        x: pr.view,
        acc: whole(acc),
        meta: whole(meta),
        params: { buffer: params, offset: i * 256, size: 32 },
        groups: pr.groups,
        label: pr.layer,
      };
      const capView: BufferView = captured
        ? { buffer: capture, offset: capOffsets[i] * 4, size: capacity * p.batchSize * pr.perRow * 4 }
        : whole(capture);
      s1.push(statsLaunch({ ...common, partials: whole(partials), capture: capView }));
      s2.push(binsLaunch({ ...common, bins }));
      if (captured) {
        // Bins over the whole capture region: valid values = rows * perRow (the final meta entry holds rows).
        const elements = capacity * p.batchSize * pr.perRow;
        const groups = Math.max(1, Math.min(65535, Math.ceil(elements / (WG * 64))));
        const f = (L + i) * 64;
        words[f + PARAM.elements] = elements;
        words[f + PARAM.perRow] = pr.perRow;
        words[f + PARAM.groups] = groups;
        words[f + PARAM.accBase] = i * stride;
        sf.push(
          binsLaunch({
            ...common,
            x: capView,
            params: { buffer: params, offset: (L + i) * 256, size: 32 },
            groups,
            bins,
            label: `${pr.layer} (captured)`,
          }),
        );
      }
    });
    device.queue.writeBuffer(params, 0, words);
    const [k1, k2, final] = await Promise.all([
      prepareLaunches(device, this.exec.pipelines, s1),
      prepareLaunches(device, this.exec.pipelines, s2),
      prepareLaunches(device, this.exec.pipelines, sf),
    ]);
    const byOp = new Map(this.probes.map((pr, i) => [pr.op, i]));
    const pass1: PreparedLaunch[] = [];
    const pass2: PreparedLaunch[] = [];
    ops.forEach((l, op) => {
      pass1.push(...l);
      pass2.push(...l);
      const i = byOp.get(op);
      if (i !== undefined) {
        pass1.push(k1[i]);
        pass2.push(k2[i]);
      }
    });
    const accInit = new Uint32Array(this.probes.length * stride);
    for (let i = 0; i < this.probes.length; i++) accInit[i * stride] = 0xffffffff;
    if (cur)
      for (const b of [
        cur.upload,
        cur.metaTable,
        cur.meta,
        cur.params,
        cur.acc,
        cur.partials,
        cur.staging,
        cur.capture,
      ])
        b.destroy();
    this.layout = {
      bins,
      capacity,
      upload,
      metaTable,
      meta,
      params,
      acc,
      partials,
      staging,
      accInit,
      metaWords: new Uint32Array((capacity + 1) * 4),
      pass1,
      pass2,
      capture,
      captured,
      final,
    };
    return this.layout;
  }

  private async submit(x: Float32Array, rowsIn: number, bins: number): Promise<() => Promise<ActivationStats[]>> {
    if (this.disposed) throw new Error('the device activation probe was disposed');
    if (this.exec.lostReason) throw new Error(this.exec.lostReason);
    const p = this.program;
    const n = p.batchSize;
    const rows = Math.max(0, Math.min(Math.floor(rowsIn), Math.floor(x.length / this.xRow)));
    bins = Math.max(1, Math.floor(bins));
    const batches = Math.ceil(rows / n);
    if (batches === 0 || this.probes.length === 0) return async () => this.results(bins, 0, null, null);
    const L = await this.ensureLayout(bins, batches);
    const device = this.exec.device;
    const q = device.queue;
    const batchFloats = n * this.xRow;
    // Inputs: whole batches (the tail of the last one zeroed), and each batch's [index, valid rows].
    const used = rows * this.xRow;
    q.writeBuffer(L.upload, 0, x, 0, used);
    const pad = batches * batchFloats - used;
    if (pad > 0) q.writeBuffer(L.upload, used * 4, new Float32Array(pad));
    for (let b = 0; b < batches; b++) {
      L.metaWords[b * 4] = b;
      L.metaWords[b * 4 + 1] = Math.min(n, rows - b * n);
    }
    // The last entry serves the bins over the captured values: all rows at once.
    L.metaWords[L.capacity * 4] = 0;
    L.metaWords[L.capacity * 4 + 1] = rows;
    q.writeBuffer(L.metaTable, 0, L.metaWords);
    q.writeBuffer(L.acc, 0, L.accInit);
    const input = this.exec.view(p.evalIo.input);
    const enc = device.createCommandEncoder({ label: 'inspect-activations' });
    for (const launches of L.captured ? [L.pass1] : [L.pass1, L.pass2])
      for (let b = 0; b < batches; b++) {
        enc.copyBufferToBuffer(L.upload, b * batchFloats * 4, input.buffer, input.offset, batchFloats * 4);
        enc.copyBufferToBuffer(L.metaTable, b * 16, L.meta, 0, 16);
        const pass = enc.beginComputePass();
        encodeLaunches(pass, launches);
        pass.end();
      }
    if (L.captured) {
      enc.copyBufferToBuffer(L.metaTable, L.capacity * 16, L.meta, 0, 16);
      const pass = enc.beginComputePass();
      encodeLaunches(pass, L.final);
      pass.end();
    }
    const accBytes = L.accInit.byteLength;
    const partBytes = batches * this.partStride * 16;
    enc.copyBufferToBuffer(L.acc, 0, L.staging, 0, accBytes);
    enc.copyBufferToBuffer(L.partials, 0, L.staging, accBytes, partBytes);
    device.pushErrorScope('validation');
    q.submit([enc.finish()]);
    const error = device.popErrorScope();
    const mapped = L.staging.mapAsync(GPUMapMode.READ, 0, accBytes + partBytes);
    mapped.catch(() => undefined); // reported through the error scope or below
    return async () => {
      const err = await error;
      if (err) throw new Error(`GPU validation error in activation inspection: ${err.message}`);
      await mapped;
      const data = L.staging.getMappedRange(0, accBytes + partBytes).slice(0);
      L.staging.unmap();
      return this.results(bins, rows, new Uint32Array(data, 0, accBytes / 4), new Float32Array(data, accBytes));
    };
  }

  private results(bins: number, rows: number, acc: Uint32Array | null, part: Float32Array | null): ActivationStats[] {
    const n = this.program.batchSize;
    const batches = Math.ceil(rows / n);
    const stride = 2 + bins;
    return this.probes.map((pr, i) => {
      const count = rows * pr.perRow;
      let sum = 0;
      let sq = 0;
      let zeros = 0;
      if (part)
        for (let b = 0; b < batches; b++)
          for (let g = 0; g < pr.groups; g++) {
            const o = (b * this.partStride + pr.partOffset + g) * 4;
            sum += part[o];
            sq += part[o + 1];
            zeros += part[o + 2];
          }
      const c = Math.max(1, count);
      const mean = sum / c;
      const counts = acc ? acc.slice(i * stride + 2, (i + 1) * stride) : new Uint32Array(bins);
      return {
        layer: pr.layer,
        label: this.program.layers.find((l) => l.key === pr.layer)?.label ?? `layer ${pr.layer}`,
        histogram: {
          min: count && acc ? unkey(acc[i * stride]) : 0,
          max: count && acc ? unkey(acc[i * stride + 1]) : 0,
          counts,
        },
        mean,
        std: Math.sqrt(Math.max(0, sq / c - mean * mean)),
        zeros: zeros / c,
        count,
      };
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const L = this.layout;
    if (L)
      for (const b of [L.upload, L.metaTable, L.meta, L.params, L.acc, L.partials, L.staging, L.capture]) b.destroy();
    this.layout = undefined;
  }
}
