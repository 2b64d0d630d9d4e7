// Acquiring a WebGPU device, in the browser (navigator.gpu) or in Node (the `webgpu` package's GPU object).
// Returns a reason instead of throwing, so callers can fall back to the CPU backend and tell the learner why.

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True when the adapter is a software rasteriser (SwiftShader, llvmpipe): correct, but slow. */
  software: boolean;
  limits: { maxStorageBufferBindingSize: number; maxComputeInvocationsPerWorkgroup: number; maxBufferSize: number };
  features: string[];
}

export type DeviceResult =
  | { ok: true; adapter: GPUAdapter; device: GPUDevice; summary: AdapterSummary }
  | { ok: false; reason: string };

const SOFTWARE_ADAPTERS = /swiftshader|llvmpipe|lavapipe|software/i;

export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: SOFTWARE_ADAPTERS.test(text),
    limits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
    features: [...adapter.features].sort(),
  };
}

/** A short human label for the adapter: its architecture, else its vendor, else its description. */
export function adapterLabel(s: Pick<AdapterSummary, 'architecture' | 'vendor' | 'description'>): string {
  return s.architecture || s.vendor || s.description || 'unknown adapter';
}

export async function acquireDevice(gpu: GPU | undefined | null): Promise<DeviceResult> {
  if (!gpu) return { ok: false, reason: 'this browser does not expose WebGPU (navigator.gpu is missing)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { ok: false, reason: `requesting a WebGPU adapter failed: ${errorText(e)}` };
  }
  if (!adapter) return { ok: false, reason: 'no WebGPU adapter is available on this machine' };
  const summary = summarizeAdapter(adapter);
  try {
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
        maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
      },
    });
    return { ok: true, adapter, device, summary };
  } catch (e) {
    return { ok: false, reason: `the WebGPU adapter refused to create a device: ${errorText(e)}` };
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
