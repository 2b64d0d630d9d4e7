// A job (engine/job/types.ts) as an export: runs it on the CPU (the reference backend) to learn its initial weights
// (the job's, or the spec seed's) and its final weights and per-step losses, then builds the project from the same
// dataset the run used. Node only (the CLI and tests).

import { cpuBackend } from '../backends/cpu/index';
import { createRuntime } from '../backends/runtime';
import type { Dataset } from '../data/dataset';
import { type DataSources, loadDataset } from '../data/load';
import { compile } from '../graph/compile';
import { initialState } from '../graph/init';
import { datasetFromBatches } from '../job/runJob';
import type { CheckedJob, Job } from '../job/types';
import { nodeDataSources } from '../node/mnist';
import { type ExportResult, exportProject } from './project';

export async function exportJob(
  raw: Job,
  job: CheckedJob,
  opts: { train?: boolean; sources?: DataSources } = {},
): Promise<ExportResult> {
  const program = compile(job.spec);
  const given = job.batches !== null;
  let data: Dataset;
  if (job.batches !== null) {
    data = datasetFromBatches(job.batches, program.inputShape, program.targetShape, program.classes);
  } else {
    if (job.spec.data === null) return { ok: false, errors: ['spec.data is required when the job gives no batches'] };
    data = await loadDataset(job.spec, opts.sources ?? nodeDataSources);
  }
  const exec = await cpuBackend.createExecutor(program);
  const rt = await createRuntime(exec, data, { shuffle: !given, initialState: initialState(program) });
  try {
    if (job.initialWeights !== null) {
      const problems = await rt.setWeights(job.initialWeights);
      if (problems.length > 0) return { ok: false, errors: problems.map((p) => `initialWeights.${p}`) };
    }
    const initialWeights = await rt.getWeights();
    const train = opts.train ?? true;
    const losses = train ? (await rt.trainSteps(job.steps)).losses : null;
    const finalWeights = train ? await rt.getWeights() : null;
    return exportProject({
      spec: raw.spec,
      initialWeights,
      finalWeights,
      data,
      shuffle: !given,
      steps: job.steps,
      losses,
    });
  } finally {
    rt.dispose();
  }
}
