// A tiny WGSL kernel that proves compute shaders run and return the right numbers on this device.
// Run once at worker start-up (and in the Node engine tests) before the UI claims "WebGPU".

const SAXPY_WGSL = /* wgsl */ `
struct Params { a: f32, n: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i < params.n) { y[i] = params.a * x[i] + y[i]; }
}`;

export interface SelfTestResult {
  ok: boolean;
  /** Largest absolute difference from the expected values. */
  maxError: number;
  elements: number;
  milliseconds: number;
  detail: string;
}

/** y = a*x + y over n elements, with x[i] = i and y[i] = 1, so y'[i] = a*i + 1. */
export async function runSelfTest(device: GPUDevice, n = 1000, a = 2.5): Promise<SelfTestResult> {
  const t0 = performance.now();
  const x = new Float32Array(n).map((_, i) => i);
  const y = new Float32Array(n).fill(1);
  const params = new ArrayBuffer(8);
  new Float32Array(params, 0, 1)[0] = a;
  new Uint32Array(params, 4, 1)[0] = n;

  const usage = GPUBufferUsage;
  const uBuf = device.createBuffer({ size: 16, usage: usage.UNIFORM | usage.COPY_DST });
  const xBuf = device.createBuffer({ size: x.byteLength, usage: usage.STORAGE | usage.COPY_DST });
  const yBuf = device.createBuffer({ size: y.byteLength, usage: usage.STORAGE | usage.COPY_DST | usage.COPY_SRC });
  const readBuf = device.createBuffer({ size: y.byteLength, usage: usage.MAP_READ | usage.COPY_DST });
  try {
    device.queue.writeBuffer(uBuf, 0, params);
    device.queue.writeBuffer(xBuf, 0, x);
    device.queue.writeBuffer(yBuf, 0, y);
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: SAXPY_WGSL });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: uBuf } },
        { binding: 1, resource: { buffer: xBuf } },
        { binding: 2, resource: { buffer: yBuf } },
      ],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(n / 64));
    pass.end();
    encoder.copyBufferToBuffer(yBuf, 0, readBuf, 0, y.byteLength);
    device.queue.submit([encoder.finish()]);
    const validation = await device.popErrorScope();
    if (validation) return fail(`the self-test kernel did not validate: ${validation.message}`, n, t0);
    await readBuf.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(readBuf.getMappedRange().slice(0));
    readBuf.unmap();
    let maxError = 0;
    for (let i = 0; i < n; i++) maxError = Math.max(maxError, Math.abs(out[i] - (a * i + 1)));
    const ok = maxError <= 1e-3;
    return {
      ok,
      maxError,
      elements: n,
      milliseconds: performance.now() - t0,
      detail: ok ? `saxpy over ${n} elements matched` : `saxpy result off by ${maxError}`,
    };
  } catch (e) {
    return fail(`the self-test kernel failed: ${e instanceof Error ? e.message : String(e)}`, n, t0);
  } finally {
    for (const b of [uBuf, xBuf, yBuf, readBuf]) b.destroy();
  }
}

function fail(detail: string, n: number, t0: number): SelfTestResult {
  return { ok: false, maxError: Number.POSITIVE_INFINITY, elements: n, milliseconds: performance.now() - t0, detail };
}
