// README.md of an exported project: what the files are and the commands that run it.

import type { NormalizedSpec } from '../spec/types';
import type { ExportInput } from './project';
import type { DataLayout } from './trainPy';

export interface ReadmeOptions {
  spec: NormalizedSpec;
  title: string;
  data: DataLayout;
  steps: number;
  input: ExportInput;
}

export function readme(o: ReadmeOptions): string {
  const { spec, data, input } = o;
  const rows =
    data.format === 'mnist'
      ? `${input.data.train.count} MNIST training digits and ${input.data.val.count} validation digits`
      : `${data.train} training rows and ${data.val} validation rows`;
  const order = data.shuffle
    ? `reshuffled every epoch from the seed ${spec.training.seed}, exactly as the Lab shuffles them`
    : 'used in the given order and cycled, as the job gave them';
  const files = [
    '| file | what it holds |',
    '|---|---|',
    '| `train.py` | the whole program: model, data loading, optimizer, schedule, training loop (PyTorch only) |',
    `| \`${data.file}\` | the Lab's data: ${rows}, ${order} |`,
    '| `initial_state.json` | the initial weights (state dict of the `nn.Sequential`: `{key: {shape, data}}`) |',
  ];
  if (input.finalWeights !== null)
    files.push(`| \`final_state.json\` | the weights after ${o.steps} steps in the Lab (same layout) |`);
  if (input.losses !== null && input.losses.length > 0)
    files.push(`| \`lab_losses.json\` | the Lab's per-step training losses of those ${input.losses.length} steps |`);
  files.push('| `spec.json` | the experiment as the Lab holds it (open it in the Lab again) |');
  const perProcess = spec.training.batchSize;
  return `# ${o.title}

Exported from Gradient Atlas. \`train.py\` trains this network exactly as the Lab did: the same initial weights,
data, batch order, dropout masks, optimizer, learning-rate schedule, penalties and clipping, in the engine's step
order (forward, loss, backward, clip norm, clip value, optimizer step, schedule). Its first losses equal the Lab's;
later ones drift only by float rounding.

${files.join('\n')}

## Run it

Needs Python 3.8+ and PyTorch 1.13 or newer (\`pip install torch\`, or Debian's \`apt-get install python3-torch\`).

\`\`\`sh
python3 train.py                                   # ${o.steps} steps on one GPU, or the CPU
python3 train.py --steps 5000 --log losses.json    # longer; per-step losses as a JSON list
python3 train.py --save-state trained_state.json   # trained weights as JSON: import them in the Lab's Export dialog
python3 train.py --device cpu --log-every 10
\`\`\`

When the run is the Lab's own (the default steps, initial weights and data), \`train.py\` ends by printing how far
its losses and final weights are from \`lab_losses.json\` and \`final_state.json\`.

## Data-parallel on several GPUs or CPUs

\`\`\`sh
torchrun --standalone --nproc_per_node=2 train.py
torchrun --nnodes=2 --nproc_per_node=8 --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 train.py
\`\`\`

(With torch 1.13 under Python 3.11, as in Debian 12, torchrun's launcher crashes on its own defaults: add
\`--redirects=1 --tee=1\`.) The file needs no change: under \`torchrun\` it uses DistributedDataParallel (NCCL on GPUs, gloo on CPUs). Every
step takes the same global batch of ${perProcess} rows as the Lab; each of N processes trains on its share of
${perProcess} / N rows (N must divide ${perProcess}), DDP averages the gradients, and the logged loss is the mean
over the processes, so the losses equal the single-process run's up to rounding.${
    spec.model.layers.some(function hasBn(l): boolean {
      return l.type === 'batchnorm' || (l.type === 'residual' && l.layers.some(hasBn));
    })
      ? ' This model has BatchNorm: on GPUs it becomes SyncBatchNorm (statistics over the global batch); on CPUs each process normalizes with its own share, which changes the numbers.'
      : ''
  }

## Options

| flag | effect |
|---|---|
| \`--steps N\` | train N steps (default ${o.steps}) |
| \`--log FILE\` | write the per-step training losses as a JSON list |
| \`--save-state FILE\` | write the trained weights as a state-dict JSON |
| \`--init FILE\` / \`--fresh-init\` | other initial weights / PyTorch's own initialisation |
| \`--data FILE\` | another data file of the same format${data.format === 'mnist' ? " (e.g. the Lab's full `public/data/mnist.bin`)" : ''} |
${
  data.format === 'mnist'
    ? "| `--points N` | take N digits of the pack given by `--data` (as the Lab's data.points) |"
    : data.generator
      ? "| `--generate` / `--points N` | make the data with the Lab's own generator (the same rows as `data.bin`) / N points of it |"
      : ''
}
| \`--no-dropout\` / \`--torch-dropout\` | dropout off / \`nn.Dropout\`'s own masks instead of the Lab's |
| \`--device auto\\|cpu\\|cuda\` | where to train |
`;
}
