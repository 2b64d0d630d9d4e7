// Opens a PlaneEvaluator on a backend: an executor of the wide program on the backend's device (the same device a
// live run trains on, so chunks interleave with its submits in queue order), its hot values, and the evaluator
// that suits it (one submit per chunk on WebGPU; the generic one elsewhere).

import type { BackendFactory, Executor, HotHypers } from '../backends/backend';
import type { WebGpuExecutor } from '../backends/webgpu/executor';
import { applyHot, hotFromSpec, packHypers } from '../graph/hypers';
import { executorPlane, type PlaneEvaluator, type PlaneSetup } from './plane';
import { webgpuPlane } from './webgpuPlane';

export type CreateExecutor = BackendFactory['createExecutor'];

export function planeOpener(
  createExecutor: CreateExecutor,
  hot: Partial<HotHypers> = {},
): (setup: PlaneSetup) => Promise<PlaneEvaluator> {
  return async (setup) => {
    const exec: Executor = await createExecutor(setup.program);
    try {
      exec.setHypers(packHypers(setup.program, applyHot(hotFromSpec(setup.program.spec), hot)));
      if (exec.backend === 'webgpu' && 'pipelines' in exec) return await webgpuPlane(exec as WebGpuExecutor, setup);
      await exec.writeState(setup.state);
      return executorPlane(exec, setup);
    } catch (e) {
      exec.dispose();
      throw e;
    }
  };
}
