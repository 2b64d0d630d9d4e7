// An exported PyTorch project as files: train.py, initial_state.json, final_state.json, spec.json, the Lab's data
// (data.bin, or mnist.bin for MNIST), lab_losses.json when the losses are known, and README.md. Pure (no Node or
// DOM APIs): the CLI writes the files to a folder, the Lab zips them.

import type { Dataset } from '../data/dataset';
import { encodeMnistPack } from '../data/mnist';
import { MNIST, REGRESSION_DATA } from '../spec/defaults';
import type { ExperimentSpec, NormalizedSpec, StateDict } from '../spec/types';
import { validateSpec } from '../spec/validate';
import { notExportable } from './python';
import { readme } from './readme';
import { type DataLayout, type ToyGenerator, trainPy } from './trainPy';

export interface ExportInput {
  /** The spec as given (written to spec.json). */
  spec: ExperimentSpec;
  /** The run's initial state dict (what the Lab started from). */
  initialWeights: StateDict;
  /** The weights after `steps` steps, when known. */
  finalWeights: StateDict | null;
  /** The rows the run trains on (train split in dataset order, validation split). */
  data: Pick<Dataset, 'inputShape' | 'targetShape' | 'classes' | 'train' | 'val'>;
  /** False for a job's given batches (used in order); true for a spec's data (reshuffled each epoch). */
  shuffle: boolean;
  /** The default step count of train.py (the steps finalWeights and losses belong to). */
  steps: number;
  /** The engine's per-step losses of those steps, when known (lab_losses.json; train.py compares with them). */
  losses: number[] | null;
  title?: string;
}

export interface ExportFile {
  name: string;
  content: string | Uint8Array;
}

export type ExportResult = { ok: true; files: ExportFile[] } | { ok: false; errors: string[] };

const json = (v: unknown): string => `${JSON.stringify(v)}\n`;

export function exportProject(input: ExportInput): ExportResult {
  const checked = validateSpec(input.spec);
  if (!checked.ok) return { ok: false, errors: checked.errors.map((e) => e.message) };
  const spec = checked.value;
  const refused = notExportable(spec);
  if (refused.length > 0) return { ok: false, errors: refused };
  const { layout, file } = dataFile(spec, input);
  const title = input.title ?? describe(spec);
  const files: ExportFile[] = [
    { name: 'train.py', content: trainPy({ spec, data: layout, steps: input.steps, title }) },
    { name: 'README.md', content: readme({ spec, title, data: layout, steps: input.steps, input }) },
    { name: 'spec.json', content: `${JSON.stringify(input.spec, null, 2)}\n` },
    { name: 'initial_state.json', content: json(input.initialWeights) },
  ];
  if (input.finalWeights !== null) files.push({ name: 'final_state.json', content: json(input.finalWeights) });
  if (input.losses !== null && input.losses.length > 0)
    files.push({ name: 'lab_losses.json', content: json(input.losses) });
  files.push(file);
  return { ok: true, files };
}

/** "spiral, 2-16-16-3, adam": a short name for the docstring and the README's title. */
function describe(spec: NormalizedSpec): string {
  const units = spec.model.layers.filter((l) => l.type === 'dense').map((l) => (l.type === 'dense' ? l.units : 0));
  const shape = [spec.model.input.join('x'), ...units].join('-');
  return `${spec.data?.kind ?? 'given batches'}, ${shape}, ${spec.optimizer.type}`;
}

/** MNIST travels as the digits used, in the pack format (uint8, a quarter of float32); anything else as float32. */
function dataFile(spec: NormalizedSpec, input: ExportInput): { layout: DataLayout; file: ExportFile } {
  const d = input.data;
  const xRow = d.inputShape.reduce((a, b) => a * b, 1);
  if (spec.data?.kind === 'mnist' && input.shuffle && xRow === MNIST.rows * MNIST.cols) {
    const count = d.train.count + d.val.count;
    const images = new Uint8Array(count * xRow);
    const labels = new Uint8Array(count);
    const put = (s: Dataset['train'], at: number) => {
      for (let i = 0; i < s.x.length; i++) images[at * xRow + i] = Math.round(s.x[i] * 255);
      for (let i = 0; i < s.count; i++) labels[at + i] = s.y[i];
    };
    put(d.train, 0);
    put(d.val, d.train.count);
    const bytes = encodeMnistPack({
      count,
      train: d.train.count,
      rows: MNIST.rows,
      cols: MNIST.cols,
      images,
      labels,
    });
    // The digits used are all the pack holds: `points` = count keeps the Lab's split (train first, val last).
    return {
      layout: {
        format: 'mnist',
        file: 'mnist.bin',
        inputShape: d.inputShape,
        points: count,
        valFraction: spec.data.valFraction,
        shuffle: true,
      },
      file: { name: 'mnist.bin', content: bytes },
    };
  }
  const parts = [d.train.x, d.train.y, d.val.x, d.val.y];
  const floats = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    floats.set(p, at);
    at += p.length;
  }
  const t = spec.data;
  const generator: ToyGenerator | undefined =
    t && t.kind !== 'mnist' && input.shuffle
      ? {
          kind: t.kind,
          points: t.points,
          noise: t.noise,
          valFraction: t.valFraction,
          seed: t.seed,
          classes: t.classes,
          features: [...t.features],
          extra: [...t.extra],
          target:
            REGRESSION_DATA.includes(t.kind) || spec.loss.type === 'cross_entropy' || spec.loss.type === 'bce_logits'
              ? 'as_is'
              : 'signed',
        }
      : undefined;
  return {
    layout: {
      format: 'float32',
      file: 'data.bin',
      inputShape: d.inputShape,
      targetShape: d.targetShape,
      train: d.train.count,
      val: d.val.count,
      shuffle: input.shuffle,
      ...(generator ? { generator } : {}),
    },
    file: { name: 'data.bin', content: new Uint8Array(floats.buffer) },
  };
}
