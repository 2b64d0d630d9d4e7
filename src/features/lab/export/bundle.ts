// What the Export dialog downloads, gathered from the engine worker and the runs store: the PyTorch project of a
// run as a zip (the engine's exportProject over the run's live spec, initial weights, current weights and full
// dataset), its weights as a state-dict JSON, its metrics as JSON. Zipping runs off the main thread (fflate's
// async zip uses workers of its own).
import { zip } from 'fflate';
import {
  type EngineClient,
  type ExperimentSpec,
  exportProject,
  type NormalizedSpec,
  type RunId,
  type StateDict,
  type WeightsDict,
} from '../../../../engine/index';
import type { RunView } from '../../../state/runs';

export function stateDictOf(w: WeightsDict): StateDict {
  const out: StateDict = {};
  for (const [k, t] of Object.entries(w)) out[k] = { shape: [...t.shape], data: Array.from(t.data) };
  return out;
}

/** The run's per-step training losses from step 0 on, as far as the series is contiguous (a run the learner
 * rewound or that started from imported weights keeps only what belongs to one uninterrupted run). */
export function contiguousLosses(run: RunView | undefined, upTo: number): number[] {
  if (!run) return [];
  const steps = run.train.step.view();
  const loss = run.train.loss.view();
  const out: number[] = [];
  for (let i = 0; i < steps.length && i < upTo && steps[i] === i; i++) out.push(loss[i]);
  return out;
}

export interface ProjectZip {
  name: string;
  bytes: Uint8Array;
  files: string[];
  step: number;
}

const FOLDER = 'gradient-atlas-pytorch';

function zipAsync(files: Record<string, Uint8Array>): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    zip(files, { level: 6 }, (err, data) => {
      if (err) reject(err);
      else resolve(data);
    }),
  );
}

/** Waits (briefly) until the runs store holds the losses of the first `step` steps: metrics reach it a frame or
 * so after the worker has taken the steps a snapshot reports. */
async function lossesUpTo(view: () => RunView | undefined, step: number, waitMs = 3000): Promise<number[]> {
  const until = performance.now() + waitMs;
  for (;;) {
    const losses = contiguousLosses(view(), step);
    if (losses.length >= step || performance.now() > until) return losses;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The PyTorch project of a run, zipped in one folder. */
export async function projectZip(
  client: EngineClient,
  run: RunId,
  spec: NormalizedSpec,
  view: () => RunView | undefined,
): Promise<ProjectZip> {
  const [initial, current, data] = await Promise.all([
    client.request({ type: 'initialWeights', run }),
    client.request({ type: 'snapshot', run }),
    client.request({ type: 'dataset', run, maxRows: Number.MAX_SAFE_INTEGER }),
  ]);
  const step = current.step;
  const losses = await lossesUpTo(view, step);
  const result = exportProject({
    // The Lab keeps its spec normalized: a spec with every default written out.
    spec: spec as unknown as ExperimentSpec,
    initialWeights: stateDictOf(initial.weights),
    // final_state.json pairs with lab_losses.json only when the losses cover the whole run.
    finalWeights: step > 0 ? stateDictOf(current.weights) : null,
    data,
    shuffle: true,
    steps: step > 0 ? step : (spec.training.steps ?? 1000),
    losses: losses.length === step ? losses : null,
  });
  if (!result.ok) throw new Error(result.errors.join('; '));
  const enc = new TextEncoder();
  const files: Record<string, Uint8Array> = {};
  for (const f of result.files)
    files[`${FOLDER}/${f.name}`] = typeof f.content === 'string' ? enc.encode(f.content) : f.content;
  const bytes = await zipAsync(files);
  const kind = spec.data?.kind ?? 'model';
  return { name: `${kind}-pytorch-step${step}.zip`, bytes, files: result.files.map((f) => f.name), step };
}

/** The run's metrics as JSON: every training step (loss, accuracy, lr) and every validation point. */
export function metricsJson(run: RunView, spec: NormalizedSpec): string {
  const list = (c: { view(): ArrayLike<number> }) => Array.from(c.view(), (v) => (Number.isFinite(v) ? v : null));
  return `${JSON.stringify({
    run: run.id,
    spec,
    train: {
      step: list(run.train.step),
      loss: list(run.train.loss),
      accuracy: list(run.train.accuracy),
      lr: list(run.train.lr),
    },
    val: { step: list(run.val.step), loss: list(run.val.loss), accuracy: list(run.val.accuracy) },
  })}\n`;
}

export function downloadBytes(name: string, bytes: Uint8Array | Blob, type: string): void {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
