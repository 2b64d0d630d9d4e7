// One kernel launch described as data: its WGSL body, the buffers it binds and how many workgroups it runs.
// The WGSL binding declarations and the explicit bind-group layout are both generated from the same binding
// list, so a shader and its layout cannot disagree. Not a scheduler: the runtime decides when launches run.

/** A byte range of a GPUBuffer (an arena slot, the step-state buffer, a uniform block ...). */
export interface BufferView {
  buffer: GPUBuffer;
  offset: number;
  size: number;
}

/** How a kernel uses a binding. NOTE: WebGPU validates usage per whole buffer within a dispatch, so a read-only
 * binding and a writable binding of two disjoint ranges of the same arena buffer are invalid together. Storage
 * bindings are therefore all declared read_write (the writable-storage usage may repeat); `read` documents intent. */
export type Access = 'read' | 'read_write' | 'uniform';

export interface Binding {
  /** WGSL identifier the body uses. */
  name: string;
  access: Access;
  /** WGSL store type, e.g. `array<f32>`, `array<vec4f>`, `array<u32>`, `Hyper`. */
  type: string;
  view: BufferView;
  /** Uniform bound with a dynamic offset (the per-step record); at most one per launch. */
  dynamic?: boolean;
}

export interface KernelLaunch {
  /** Human label: op kind and tensor names; shows in validation errors and the WGSL debug dump. */
  label: string;
  /** WGSL after the binding declarations: structs, constants, helper functions and `fn main`. */
  body: string;
  bindings: Binding[];
  workgroups: [number, number, number];
}

/** The full WGSL source of a launch: binding declarations (group 0, in list order), then its body. */
export function shaderSource(bindings: readonly Pick<Binding, 'name' | 'access' | 'type'>[], body: string): string {
  const decl = bindings.map((b, i) => {
    const space = b.access === 'uniform' ? 'uniform' : 'storage, read_write';
    return `@group(0) @binding(${i}) var<${space}> ${b.name}: ${b.type};`;
  });
  return `${decl.join('\n')}\n${body}`;
}

export function layoutEntries(bindings: readonly Pick<Binding, 'access' | 'dynamic'>[]): GPUBindGroupLayoutEntry[] {
  return bindings.map((b, i) => ({
    binding: i,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type: b.access === 'uniform' ? 'uniform' : 'storage', hasDynamicOffset: !!b.dynamic },
  }));
}

/** Split n invocations of a 1-D kernel over x and y so that no dimension exceeds the 65535 workgroup limit. */
export function grid1d(n: number, workgroupSize: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(n / workgroupSize));
  if (groups <= 65535) return [groups, 1, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y, 1];
}

/** WGSL float literal for a JS number, exact to float32 (always has a decimal point or exponent). */
export function f32(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot embed ${x} as a WGSL constant`);
  const v = Math.fround(x);
  const s = v.toString();
  return /[.eE]/.test(s) ? `${s}f` : `${s}.0f`;
}
