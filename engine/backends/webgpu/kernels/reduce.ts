// Deterministic reductions without atomics: each output is summed by one invocation in a fixed order (sums over
// batch rows, per-channel sums), or by one workgroup with a fixed tree (global sums such as the squared grad norm).
import { type Binding, type BufferView, grid1d, type KernelLaunch } from '../shader';

export interface ReduceArgs {
  label: string;
  /** Number of outputs. */
  outputs: number;
  /** Terms per output. */
  length: number;
  inputs: { view: BufferView; type?: 'f32' | 'u32' }[];
  out: BufferView;
  /** WGSL: the term for output j, step l, using in0[...], in1[...] (u32 j and l in scope). */
  term: string;
  /** WGSL in `s` (the sum) and j, producing the stored value; default `s`. */
  finish?: string;
  accumulate?: boolean;
  fns?: string;
  extra?: Binding[];
}

/** out[j] = finish(sum_l term(j, l)), one invocation per output, summed in order l = 0, 1, ... */
export function reduceLaunch(args: ReduceArgs): KernelLaunch {
  const bindings: Binding[] = args.inputs.map((inp, k) => ({
    name: `in${k}`,
    access: 'read',
    type: `array<${inp.type ?? 'f32'}>`,
    view: inp.view,
  }));
  bindings.push({ name: 'out', access: 'read_write', type: 'array<f32>', view: args.out });
  if (args.extra) bindings.push(...args.extra);
  const store = args.accumulate ? `out[j] = out[j] + ${args.finish ?? 's'};` : `out[j] = ${args.finish ?? 's'};`;
  const body = /* wgsl */ `
${args.fns ?? ''}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let j = gid.x + gid.y * nwg.x * 64u;
  if (j >= ${args.outputs}u) { return; }
  var s = 0.0f;
  for (var l = 0u; l < ${args.length}u; l++) {
    s += ${args.term};
  }
  ${store}
}`;
  return { label: args.label, body, bindings, workgroups: grid1d(args.outputs, 64) };
}

export interface TreeSumArgs {
  label: string;
  n: number;
  input: BufferView;
  out: BufferView;
  /** Index of out to write. */
  outIndex?: number;
  /** WGSL term in `v` (the element), default `v` (sum); e.g. `v * v` for a sum of squares. */
  term?: string;
}

/** out[outIndex] = sum_i term(in[i]) by one workgroup of 256: strided partial sums then a fixed tree. */
export function treeSumLaunch(args: TreeSumArgs): KernelLaunch {
  // Small sums: one invocation in order (a workgroup's barriers cost more than a few thousand adds on CPU
  // rasterisers, and small inputs gain nothing from cooperating on GPUs).
  const body =
    args.n <= 16384
      ? /* wgsl */ `
@compute @workgroup_size(1)
fn main() {
  var s = 0.0f;
  for (var i = 0u; i < ${args.n}u; i++) {
    let v = src[i];
    s += ${args.term ?? 'v'};
  }
  out[${args.outIndex ?? 0}u] = s;
}`
      : /* wgsl */ `
var<workgroup> part: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) t: u32) {
  var s = 0.0f;
  for (var i = t; i < ${args.n}u; i += 256u) {
    let v = src[i];
    s += ${args.term ?? 'v'};
  }
  part[t] = s;
  workgroupBarrier();
  for (var w = 128u; w > 0u; w = w / 2u) {
    if (t < w) { part[t] = part[t] + part[t + w]; }
    workgroupBarrier();
  }
  if (t == 0u) { out[${args.outIndex ?? 0}u] = part[0]; }
}`;
  return {
    label: args.label,
    body,
    bindings: [
      { name: 'src', access: 'read', type: 'array<f32>', view: args.input },
      { name: 'out', access: 'read_write', type: 'array<f32>', view: args.out },
    ],
    workgroups: [1, 1, 1],
  };
}
