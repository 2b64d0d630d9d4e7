// Elementwise kernels generated from WGSL expressions: out[i] = expr(x0, x1, ...), one invocation per element.
// Each input may be read at its own index expression (for broadcasts such as a per-column bias or a per-channel
// scale). Activation forward/derivative expressions come from the shared activation table (engine/graph).
import { type Binding, type BufferView, grid1d, type KernelLaunch } from '../shader';

/** Elements per invocation. */
export const PER = 4;

export interface MapInput {
  view: BufferView;
  /** WGSL index expression in `i` (the output element), default `i`. */
  index?: string;
  /** Element type, default f32. */
  type?: 'f32' | 'u32';
}

export interface MapArgs {
  label: string;
  n: number;
  inputs: MapInput[];
  out: BufferView;
  /** WGSL expression in x0, x1, ... (the inputs at their indices) and i; may use helpers from `fns`. */
  expr: string;
  /** Extra WGSL declarations (helper functions, constants). */
  fns?: string;
  /** Extra bindings (e.g. step state, hyperparameters) declared before the body. */
  extra?: Binding[];
  /** out[i] += expr instead of out[i] = expr. */
  accumulate?: boolean;
  /** The output is also read by the expression as `cur` (in-place update). */
  readsOut?: boolean;
}

export function mapLaunch(args: MapArgs): KernelLaunch {
  const bindings: Binding[] = args.inputs.map((inp, j) => ({
    name: `in${j}`,
    access: 'read',
    type: `array<${inp.type ?? 'f32'}>`,
    view: inp.view,
  }));
  bindings.push({ name: 'out', access: 'read_write', type: 'array<f32>', view: args.out });
  if (args.extra) bindings.push(...args.extra);
  const loads = args.inputs.map((inp, j) => `let x${j} = in${j}[${inp.index ?? 'i'}];`).join('\n  ');
  const cur = args.readsOut || args.accumulate ? 'let cur = out[i];' : '';
  const value = args.accumulate ? `cur + (${args.expr})` : `${args.expr}`;
  // PER consecutive elements per invocation: on software rasterisers the per-invocation cost dominates.
  const body = /* wgsl */ `
${args.fns ?? ''}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let first = (gid.x + gid.y * nwg.x * 64u) * ${PER}u;
  for (var e = 0u; e < ${PER}u; e++) {
  let i = first + e;
  if (i >= ${args.n}u) { return; }
  ${loads}
  ${cur}
  out[i] = ${value};
  }
}`;
  return { label: args.label, body, bindings, workgroups: grid1d(Math.ceil(args.n / PER), 64) };
}
