// The WebGPU BackendFactory: finds a device (once per factory), checks compute works, and creates executors.
// The GPU object is injected: navigator.gpu in the browser or worker, engine/node/gpu.ts's getNodeGpu() in Node,
// so this file never imports the native `webgpu` package.

import type { Program } from '../../graph/program';
import type { Availability, BackendFactory, Executor } from '../backend';
import { type AdapterSummary, acquireDevice, adapterLabel } from './device';
import { type ExecutorOptions, WebGpuExecutor } from './executor';
import { defaultGpu } from './gpu';
import { selectKernels } from './kernels/select';

export interface WebGpuFactory extends BackendFactory {
  readonly name: 'webgpu';
  /** The device, acquiring it on first use; rejects with the reason WebGPU is unavailable. */
  device(): Promise<GPUDevice>;
  summary(): AdapterSummary | undefined;
}

export function createWebGpuFactory(
  getGpu: () => GPU | undefined | null | Promise<GPU | undefined | null> = defaultGpu,
  opts: ExecutorOptions = {},
): WebGpuFactory {
  let pending: Promise<{ device: GPUDevice; summary: AdapterSummary }> | undefined;
  let summary: AdapterSummary | undefined;
  const device = async (): Promise<GPUDevice> => {
    pending ??= Promise.resolve(getGpu())
      .then((gpu) => acquireDevice(gpu))
      .then((r) => {
        if (!r.ok) throw new Error(r.reason);
        summary = r.summary;
        r.device.lost.then(() => {
          pending = undefined;
        });
        return { device: r.device, summary: r.summary };
      });
    try {
      return (await pending).device;
    } catch (e) {
      pending = undefined;
      throw e;
    }
  };
  return {
    name: 'webgpu',
    device,
    summary: () => summary,
    async available(): Promise<Availability> {
      try {
        await device();
        const s = summary as AdapterSummary;
        return { ok: true, detail: `WebGPU on ${adapterLabel(s)}${s.software ? ' (software rasteriser: slow)' : ''}` };
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
    },
    async createExecutor(program: Program): Promise<Executor> {
      const d = await device();
      const software = summary?.software ?? false;
      const { selection } = selectKernels({
        software,
        maxComputeInvocationsPerWorkgroup: d.limits.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupStorageSize: d.limits.maxComputeWorkgroupStorageSize,
      });
      return WebGpuExecutor.create(d, program, { software, kernels: selection, ...opts });
    },
  };
}
