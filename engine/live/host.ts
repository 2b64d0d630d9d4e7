// The RuntimeHost over Engine I's real pieces: validateSpec, compile, the backend registry and openRuntime. It also
// watches the GPU device behind each WebGPU runtime (GPUDevice.lost, uncaptured errors) for the session's
// device-loss recovery, reports the adapter's limits for the memory guard, and caches the 'auto' calibration and
// the datasets (one per data section, loss and input shape; the MNIST pack is fetched and parsed once per host).

import type { BackendFactory, BackendName } from '../backends/backend';
import { BACKENDS } from '../backends/index';
import { createRuntime, openRuntime } from '../backends/runtime';
import type { AdapterSummary } from '../backends/webgpu/device';
import type { WebGpuExecutor } from '../backends/webgpu/executor';
import type { WebGpuFactory } from '../backends/webgpu/factory';
import { DeviceActivationProbe } from '../backends/webgpu/inspect';
import type { Dataset } from '../data/dataset';
import { fetchMnistBytes } from '../data/fetchMnist';
import { type DataSources, datasetKey, loadDataset } from '../data/load';
import { type MnistPack, parseMnistPack } from '../data/mnist';
import { compile } from '../graph/compile';
import { initialState } from '../graph/init';
import type { Program } from '../graph/program';
import type { NormalizedSpec } from '../spec/types';
import { validateSpec } from '../spec/validate';
import { calibrateBackend, dispatchOnly, fitSpeed, measureReference } from './calibrate';
import { CPU_LIMITS } from './memoryGuard';
import type { BackendSpeed, DeviceLimits, LiveRuntime, RuntimeHost } from './types';

export interface EngineHost extends RuntimeHost {
  /** The GPU device a WebGPU runtime runs on (tests destroy it to simulate a device loss). */
  deviceOf(rt: LiveRuntime): GPUDevice | undefined;
}

export interface HostOptions {
  /** Refine the WebGPU calibration in the background with the arithmetic-bound program (default true). */
  refineCalibration?: boolean;
  /** Where MNIST comes from: by default a fetch of public/data/mnist.bin (the worker); Node passes
   * engine/node/mnist.ts's nodeDataSources. */
  data?: DataSources;
}

/** Datasets kept per host: a lab session switches among a few specs; MNIST is ~31 MB as float32. */
const DATASET_CACHE = 4;

export const fetchedDataSources: DataSources = {
  mnist: async () => parseMnistPack(await fetchMnistBytes()),
};

export function createHost(
  factories: Record<BackendName, BackendFactory> = BACKENDS,
  opts: HostOptions = {},
): EngineHost {
  const gpu = factories.webgpu as WebGpuFactory;
  const availability = new Map<BackendName, ReturnType<BackendFactory['available']>>();
  const speeds = new Map<BackendName, Promise<BackendSpeed>>();
  let quick: Promise<BackendSpeed> | undefined;
  const devices = new WeakMap<LiveRuntime, GPUDevice>();
  const watched = new WeakSet<GPUDevice>();
  const deviceErrors = new WeakMap<GPUDevice, Promise<string>>();
  /** The executor behind each WebGPU runtime (for inspection on the device) and its activation probe. */
  const executors = new WeakMap<LiveRuntime, WebGpuExecutor>();
  const probes = new WeakMap<LiveRuntime, DeviceActivationProbe>();

  let pack: Promise<MnistPack> | undefined;
  const sources: DataSources = {
    mnist() {
      if (!pack) {
        const p = (opts.data ?? fetchedDataSources).mnist();
        pack = p;
        p.catch(() => {
          if (pack === p) pack = undefined; // a failed download may succeed on the next compile
        });
      }
      return pack;
    },
  };
  const datasets = new Map<string, Promise<Dataset>>();
  const dataset = (spec: NormalizedSpec): Promise<Dataset> => {
    const key = datasetKey(spec);
    let d = datasets.get(key);
    if (d) {
      datasets.delete(key); // re-inserted below: the Map's order is least recently used first
    } else {
      d = loadDataset(spec, sources);
      d.catch(() => datasets.delete(key));
    }
    datasets.set(key, d);
    while (datasets.size > DATASET_CACHE) datasets.delete(datasets.keys().next().value as string);
    return d;
  };

  const create = async (program: Program, backend: BackendName): Promise<LiveRuntime> => {
    const factory = factories[backend];
    const data = await dataset(program.spec);
    if (backend !== 'webgpu') return openRuntime(program, factory, { data });
    const device = await gpu.device();
    // openRuntime's steps, keeping the executor: inspection programs run over its arenas.
    const exec = await factory.createExecutor(program);
    const rt = await createRuntime(exec, data, {
      shuffle: true,
      initialState: initialState(program),
    });
    devices.set(rt, device);
    if (exec.backend === 'webgpu' && 'pipelines' in exec) {
      executors.set(rt, exec as WebGpuExecutor);
      const dispose = rt.dispose.bind(rt);
      rt.dispose = () => {
        probes.get(rt)?.dispose();
        probes.delete(rt);
        dispose();
      };
    }
    return rt;
  };

  /** Resolves when the device is lost or raises an uncaptured error (then it is destroyed, so the factory makes a
   * fresh one: after an uncaptured error nothing on that device can be trusted). */
  const deviceTrouble = (device: GPUDevice): Promise<string> => {
    let p = deviceErrors.get(device);
    if (p) return p;
    p = new Promise<string>((resolve) => {
      device.lost.then((info) => resolve(info.message || `device lost (${info.reason ?? 'unknown'})`));
      if (!watched.has(device)) {
        watched.add(device);
        device.addEventListener('uncapturederror', (event) => {
          const e = (event as GPUUncapturedErrorEvent).error;
          resolve(`uncaptured GPU error: ${e?.message ?? 'unknown'}`);
          device.destroy();
        });
      }
    });
    deviceErrors.set(device, p);
    return p;
  };

  return {
    validate(raw) {
      const v = validateSpec(raw);
      return v.ok ? { ok: true, spec: v.value } : { ok: false, errors: v.errors.map((e) => e.message) };
    },
    compile,
    dataset,
    available(backend) {
      let a = availability.get(backend);
      if (!a) {
        a = factories[backend].available();
        availability.set(backend, a);
        // A failed probe may succeed later (e.g. a device that was lost comes back): do not cache failures.
        a.then((r) => {
          if (!r.ok) availability.delete(backend);
        });
      }
      return a;
    },
    async limits(backend): Promise<DeviceLimits | null> {
      if (backend === 'cpu') return CPU_LIMITS;
      const s = gpu.summary?.();
      return s
        ? { maxBufferSize: s.limits.maxBufferSize, maxStorageBufferBindingSize: s.limits.maxStorageBufferBindingSize }
        : null;
    },
    create,
    createExecutor: (program, backend) => factories[backend].createExecutor(program),
    calibrate(backend) {
      // The CPU is measured fully at once (no compile cost). WebGPU first gets a quick figure (dispatch overhead from
      // the tiny program, an assumed throughput: new pipelines are slow to build on a software adapter), refined in
      // the background from the arithmetic-bound program; later calls get the refined figure.
      const full = speeds.get(backend);
      if (full) return full;
      if (backend === 'cpu') {
        const s = calibrateBackend('cpu', (p) => create(p, 'cpu'));
        speeds.set('cpu', s);
        s.catch(() => speeds.delete('cpu'));
        return s;
      }
      let q = quick;
      if (!q) {
        const mk = (p: Program) => create(p, 'webgpu');
        const tiny = measureReference('webgpu', 'tiny', mk);
        q = tiny.then((t) => dispatchOnly(t, assumedGpuFlops(gpu.summary?.())));
        quick = q;
        q.catch(() => {
          quick = undefined;
        });
        if (opts.refineCalibration !== false)
          void tiny
            .then(
              async (t) => {
                const big = await measureReference('webgpu', 'big', mk);
                speeds.set('webgpu', Promise.resolve(fitSpeed('webgpu', t, big)));
              },
              () => undefined,
            )
            .catch(() => undefined);
      }
      return q;
    },
    watchDevice(rt) {
      const device = devices.get(rt);
      return device ? deviceTrouble(device) : null;
    },
    adapter: () => gpu.summary?.(),
    deviceOf: (rt) => devices.get(rt),
    activationStats(rt, x, rows, bins) {
      const exec = executors.get(rt);
      if (!exec) return null;
      let probe = probes.get(rt);
      if (!probe) {
        probe = new DeviceActivationProbe(exec);
        probes.set(rt, probe);
      }
      return probe.request(x, rows, bins);
    },
  };
}

/** Throughput assumed before the arithmetic-bound calibration has run: SwiftShader-class software adapters reach
 * about 2-3 GFLOP/s with good kernels here (../shared/TESTING.md); any hardware GPU far more. */
export function assumedGpuFlops(a: AdapterSummary | undefined): number {
  return a?.software === false ? 50_000 : 2_000;
}
