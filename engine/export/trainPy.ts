// train.py of an exported project: one readable Python file that trains what the Lab trained, exactly as the
// engine does (engine/README.md, "Semantics"). The spec-specific code comes from python.ts; the parts every export
// shares (the counter RNG, the Lab's dropout, data loading, state dicts as JSON, the loop with DDP) are below as
// Python source. It needs only PyTorch (>= 1.13); `torchrun --nproc_per_node=N train.py` runs it data-parallel.

import { MNIST_PACK_VERSION } from '../data/mnist';
import type { NormalizedSpec } from '../spec/types';
import { lossCode, modelCode, optimizerCode, py, pyBlock, scheduleCode } from './python';
import { TOYS_PY } from './toysPy';

/** How train.py finds the Lab's data: a float32 file (toys, given batches) or an MNIST pack. */
export type DataLayout =
  | {
      format: 'float32';
      file: string;
      inputShape: number[];
      targetShape: number[];
      train: number;
      val: number;
      shuffle: boolean;
      /** Toy data: what train.py --generate needs to make the same points again (toysPy.ts). */
      generator?: ToyGenerator;
    }
  | { format: 'mnist'; file: string; inputShape: number[]; points: number; valFraction: number; shuffle: boolean };

export interface ToyGenerator {
  kind: string;
  points: number;
  noise: number;
  valFraction: number;
  seed: number;
  classes: number;
  features: string[];
  extra: number[];
  /** How a label becomes a target (toy2d.ts makeToyDataset): as is, or -1/+1 for regression losses on classes. */
  target: 'as_is' | 'signed';
}

export interface TrainPyOptions {
  spec: NormalizedSpec;
  data: DataLayout;
  /** The default of --steps. */
  steps: number;
  title: string;
}

export function trainPy(o: TrainPyOptions): string {
  const { spec } = o;
  const model = modelCode(spec);
  const reg = spec.regularization;
  const classification = spec.loss.type === 'cross_entropy';
  const dataDict: Record<string, unknown> = { ...o.data };
  return [
    HEADER(o.title),
    '# ---------------------------------------------------------------- the experiment (spec.json)',
    '',
    `SEED = ${spec.training.seed}  # training.seed: each epoch's batch order and the dropout masks follow from it`,
    `BATCH_SIZE = ${spec.training.batchSize}  # the global batch; torchrun gives each process BATCH_SIZE / N rows of it`,
    `STEPS = ${o.steps}`,
    `L1 = ${py(reg.l1)}  # adds L1 * sum|W| over Linear and Conv2d weights to the loss before backward`,
    `L2 = ${py(reg.l2)}  # adds L2 * sum(W^2) over the same weights (not the optimizer's weight decay)`,
    `CLIP_GRAD_NORM = ${py(reg.clipGradNorm)}  # clip_grad_norm_, then`,
    `CLIP_GRAD_VALUE = ${py(reg.clipGradValue)}  # clip_grad_value_, before optimizer.step()`,
    `CLASSIFICATION = ${py(classification)}  # targets are class indices (cross entropy)`,
    `HAS_BATCHNORM = ${py(model.hasBatchNorm)}`,
    `HAS_DROPOUT = ${py(model.dropouts > 0)}`,
    `MNIST_PACK_VERSION = ${MNIST_PACK_VERSION}  # the format of engine/data/mnist.ts`,
    "# Where the Lab's data is and how to read it (for 2-D data, also how --generate makes it again).",
    `DATA = ${pyBlock(dataDict)}`,
    '',
    RNG,
    '# ---------------------------------------------------------------- the model',
    '',
    ...(model.hasResidual ? [RESIDUAL.trimEnd(), '', ''] : []),
    ...(model.dropouts > 0 ? [DROPOUT.trimEnd(), '', ''] : []),
    model.code,
    '',
    '',
    '# ---------------------------------------------------------------- loss, optimizer, schedule',
    '',
    'def make_loss():',
    `    return ${lossCode(spec)}`,
    '',
    '',
    'def make_optimizer(params):',
    `    return ${optimizerCode(spec)}`,
    '',
    '',
    spec.schedule.type === 'plateau' ? '' : 'PLATEAU = None  # only the plateau schedule keeps state\n',
    scheduleCode(spec),
    '',
    '',
    ...(o.data.format === 'float32' && o.data.generator ? [TOYS_PY.trimEnd(), '', ''] : []),
    DATA_AND_STATE,
    TRAIN,
  ].join('\n');
}

const HEADER = (title: string): string => `#!/usr/bin/env python3
"""${title.replace(/[\\\n\r"]/g, ' ')}: exported from Gradient Atlas.

Trains the network the Lab trained, exactly as the Lab's engine does: the model as the nn.Sequential whose state
dict the Lab uses, the Lab's data and batch order, its dropout masks, optimizer, schedule, penalties and clipping,
in the engine's step order (forward, loss, backward, clip norm, clip value, optimizer step, schedule).

  python3 train.py                                    # one CPU or GPU
  torchrun --nproc_per_node=N train.py                # data-parallel (DDP): BATCH_SIZE / N rows per process
  python3 train.py --steps 2000 --log losses.json --save-state trained_state.json

It starts from initial_state.json (the Lab's initial weights), so its first losses equal the Lab's. Needs only
PyTorch (1.13 or newer).
"""

import argparse
import json
import math
import os
import struct
import sys

import torch
import torch.distributed as dist
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
`;

const RNG = `# ---------------------------------------------------------------- the Lab's counter-based RNG (engine/rng/rng.ts)
# Every random choice of a Lab run is a pure function of (seed, stream, hi, lo): the batch order of each epoch and
# the dropout masks. The same hash here gives the same batches and the same masks.

M32 = 0xFFFFFFFF
GOLDEN = 0x9E3779B9
SHUFFLE_STREAM = 0x7000


def mix32(x):
    """lowbias32, a bijective mix of a 32-bit int."""
    x ^= x >> 16
    x = (x * 0x7FEB352D) & M32
    x ^= x >> 15
    x = (x * 0x846CA68B) & M32
    return x ^ (x >> 16)


def mul32(x, c):
    """(x * c) mod 2**32 for an int64 tensor x in [0, 2**32), in halves so that nothing overflows int64."""
    return (x * (c & 0xFFFF) + (((x * (c >> 16)) & 0xFFFF) << 16)) & M32


def mix32_tensor(x):
    x = x ^ (x >> 16)
    x = mul32(x, 0x7FEB352D)
    x = x ^ (x >> 15)
    x = mul32(x, 0x846CA68B)
    return x ^ (x >> 16)


def rng_u32(seed, stream, hi, lo):
    """32-bit draws for an int64 tensor of counters lo; hi is an int or an int64 tensor, seed and stream ints."""
    h = mix32(mix32((seed ^ GOLDEN) & M32) ^ stream)
    if isinstance(hi, int):
        return mix32_tensor(lo ^ mix32((h + hi * GOLDEN) & M32))
    return mix32_tensor(lo ^ mix32_tensor((h + mul32(hi, GOLDEN)) & M32))


def fisher_yates(rows, seed, stream, hi):
    """A permutation of range(rows): Fisher-Yates, j uniform in [0, i] from 32 random bits (engine/data/sampler.ts)."""
    order = list(range(rows))
    i = torch.arange(rows, dtype=torch.int64)
    j = ((rng_u32(seed, stream, hi, i) * (i + 1)) >> 32).tolist()
    for k in range(rows - 1, 0, -1):
        order[k], order[j[k]] = order[j[k]], order[k]
    return order


def epoch_order(rows, epoch, shuffle):
    """The rows of one epoch in the Lab's order."""
    return fisher_yates(rows, SEED, SHUFFLE_STREAM, epoch) if shuffle else list(range(rows))

`;

const RESIDUAL = `class Residual(nn.Module):
    """output = input + layers(input); the body's keys are <i>.layers.<j>.* as in the Lab."""

    def __init__(self, *layers):
        super().__init__()
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.layers(x)


`;

const DROPOUT = `class Dropout(nn.Module):
    """Inverted dropout with the Lab's masks: element i of the global batch at step s is dropped when
    rng_u32(SEED, stream, s, i) >> 8 < round(rate * 2**24). With --torch-dropout it is nn.Dropout (other masks,
    the same distribution)."""

    step = 0  # the global step, set by main() before each forward
    row_offset = 0  # this process's first row in the global batch (torchrun)
    use_torch = False

    def __init__(self, rate, stream):
        super().__init__()
        self.rate, self.stream = rate, stream

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        if Dropout.use_torch:
            return nn.functional.dropout(x, self.rate, True)
        threshold = min(1 << 24, math.floor(self.rate * (1 << 24) + 0.5))
        per_row = x[0].numel()
        lo = torch.arange(x.numel(), dtype=torch.int64, device=x.device) + Dropout.row_offset * per_row
        keep = (rng_u32(SEED, self.stream, Dropout.step, lo) >> 8) >= threshold
        scale = torch.tensor(1 / (1 - self.rate), dtype=x.dtype, device=x.device)
        return x * (keep.to(x.dtype) * scale).reshape(x.shape)


`;

const DATA_AND_STATE = String.raw`# ---------------------------------------------------------------- data and weights

def load_data(path):
    """The Lab's data as (train_x, train_y, val_x, val_y)."""
    if DATA['format'] == 'mnist':
        return load_mnist(path)
    if sys.byteorder != 'little':
        raise SystemExit('the data file is little-endian float32')
    with open(path, 'rb') as f:
        flat = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
    parts, at = [], 0
    for count, shape in ((DATA['train'], DATA['inputShape']), (DATA['train'], DATA['targetShape']),
                         (DATA['val'], DATA['inputShape']), (DATA['val'], DATA['targetShape'])):
        n = count * math.prod(shape)
        parts.append(flat[at:at + n].reshape([count] + shape))
        at += n
    if at != flat.numel():
        raise SystemExit(f'{path} has {flat.numel()} floats; DATA says {at}')
    train_x, train_y, val_x, val_y = parts
    if CLASSIFICATION:
        train_y, val_y = train_y.long(), val_y.long()
    return train_x, train_y, val_x, val_y


def load_mnist(path):
    """A pack in the format of engine/data/mnist.ts: a 24-byte header (b'GAMN', u32 version, u32 count, u32 train,
    u16 rows, u16 cols, u32 0), the uint8 images, the uint8 labels. As in the Lab, of points = min(DATA['points'],
    count) digits the first points - round(points * valFraction) train and the pack's last round(...) validate."""
    with open(path, 'rb') as f:
        blob = f.read()
    magic, version, count, _train, rows, cols = struct.unpack_from('<4sIIIHH', blob)
    if magic != b'GAMN' or version != MNIST_PACK_VERSION:
        raise SystemExit(f'{path} is not a packed MNIST file of version {MNIST_PACK_VERSION}')
    pixels = rows * cols
    if len(blob) != 24 + count * (pixels + 1):
        raise SystemExit(f'{path} has {len(blob)} bytes; its header says {24 + count * (pixels + 1)}')
    x = torch.frombuffer(bytearray(blob[24:24 + count * pixels]), dtype=torch.uint8)
    x = x.reshape([count] + DATA['inputShape']).float() / 255
    y = torch.frombuffer(bytearray(blob[24 + count * pixels:]), dtype=torch.uint8).long()
    points = min(DATA['points'], count)
    n_val = math.floor(points * DATA['valFraction'] + 0.5)
    n_train = points - n_val
    return x[:n_train], y[:n_train], x[count - n_val:], y[count - n_val:]


def state_entries(model):
    """The model's state dict as the Lab has it (no num_batches_tracked)."""
    return {k: v for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')}


def load_state(model, path):
    """Loads a state-dict JSON ({key: {shape, data}}); says what does not fit instead of loading half of it."""
    with open(path) as f:
        given = json.load(f)
    own = state_entries(model)
    problems = [f'{k}: missing' for k in own if k not in given]
    problems += [f'{k}: not in this model' for k in given if k not in own]
    problems += [f"{k}: shape {given[k]['shape']}, the model's is {list(t.shape)}"
                 for k, t in own.items() if k in given and list(t.shape) != list(given[k]['shape'])]
    if problems:
        raise SystemExit(f'{path} does not fit the model:\n  ' + '\n  '.join(problems))
    with torch.no_grad():
        for k, t in own.items():
            t.copy_(torch.tensor(given[k]['data'], dtype=torch.float32).reshape(t.shape))


def save_state(model, path):
    state = {k: {'shape': list(t.shape), 'data': t.detach().cpu().reshape(-1).tolist()}
             for k, t in state_entries(model).items()}
    with open(path, 'w') as f:
        json.dump(state, f)


`;

const TRAIN = String.raw`# ---------------------------------------------------------------- training

def evaluate(model, loss_fn, x, y):
    """(loss, accuracy or None) in evaluation mode (BatchNorm running statistics, no dropout)."""
    model.eval()
    with torch.no_grad():
        out = torch.cat([model(x[i:i + 1024]) for i in range(0, len(x), 1024)])
        loss = loss_fn(out, y).item()
        acc = (out.argmax(1) == y).float().mean().item() if CLASSIFICATION else None
    model.train()
    return loss, acc


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--steps', type=int, default=STEPS, help=f'training steps (default {STEPS})')
    p.add_argument('--log', metavar='FILE', help='write the per-step training losses as a JSON list')
    p.add_argument('--save-state', metavar='FILE', help='write the trained weights as a state-dict JSON')
    p.add_argument('--init', metavar='FILE', default=os.path.join(HERE, 'initial_state.json'),
                   help='initial weights (default: the Lab\'s, initial_state.json)')
    p.add_argument('--fresh-init', action='store_true', help="PyTorch's own initialisation instead")
    p.add_argument('--data', metavar='FILE', default=os.path.join(HERE, DATA['file']), help='the data file')
    p.add_argument('--generate', action='store_true', help="make the data with the Lab's generator (toy data)")
    p.add_argument('--points', type=int, metavar='N', help='generate N points instead (toy data), or take N MNIST digits')
    p.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto')
    p.add_argument('--no-dropout', action='store_true', help='dropout rate 0 in every dropout layer')
    p.add_argument('--torch-dropout', action='store_true', help="nn.Dropout's masks instead of the Lab's")
    p.add_argument('--log-every', type=int, default=0, metavar='K', help='print every K steps')
    parse_args.defaults = {'init': p.get_default('init'), 'data': p.get_default('data')}
    return p.parse_args()


def compare(losses, model, steps):
    """Tells how this run compares with the Lab's, when the export holds the Lab's losses and final weights."""
    lab = os.path.join(HERE, 'lab_losses.json')
    if os.path.exists(lab):
        with open(lab) as f:
            theirs = json.load(f)
        n = min(len(theirs), len(losses))
        rel = [abs(a - b) / max(abs(b), 1e-12) for a, b in zip(losses[:n], theirs[:n])]
        if n > 0:
            agree = next((i for i, r in enumerate(rel) if r > 1e-4), n)
            worst = max(rel[:agree] or [0.0])
            if agree == n:
                print(f"the Lab's losses (lab_losses.json): all {n} steps agree within 1e-4 (max {worst:.1e})")
            else:
                print(f"the Lab's losses (lab_losses.json): the first {agree} of {n} steps agree within 1e-4 "
                      f"(max {worst:.1e}); after that, float rounding differences have grown as training "
                      "amplifies them")
    final = os.path.join(HERE, 'final_state.json')
    if os.path.exists(final) and steps == STEPS:
        with open(final) as f:
            theirs = json.load(f)
        own = state_entries(model)
        diffs = [(float((own[k].detach().cpu().reshape(-1) - torch.tensor(t['data'])).abs().max()), k)
                 for k, t in theirs.items() if k in own and own[k].numel() > 0]
        if diffs:
            # A bias right before BatchNorm has a zero true gradient: its value (and that BatchNorm's running mean)
            # is float noise on both sides, and may differ.
            worst, key = max(diffs)
            print(f"the Lab's final weights (final_state.json): max absolute difference {worst:.2e} ({key})")


def main():
    args = parse_args()
    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    local_rank = int(os.environ.get('LOCAL_RANK', '0'))
    use_cuda = torch.cuda.is_available() and args.device != 'cpu'
    if args.device == 'cuda' and not use_cuda:
        raise SystemExit('--device cuda: no CUDA device here')
    device = torch.device(f'cuda:{local_rank}' if use_cuda else 'cpu')
    if world > 1:
        dist.init_process_group('nccl' if use_cuda else 'gloo')
        if BATCH_SIZE % world != 0:
            raise SystemExit(f'the batch of {BATCH_SIZE} does not split into {world} equal shares')
    per = BATCH_SIZE // world
    main_process = rank == 0

    torch.manual_seed(SEED)
    model = build_model()
    if not args.fresh_init:
        load_state(model, args.init)
    if HAS_DROPOUT:
        for m in model.modules():
            if isinstance(m, Dropout) and args.no_dropout:
                m.rate = 0.0
        Dropout.use_torch = args.torch_dropout
    model.to(device)
    forward = model
    if world > 1:
        if HAS_BATCHNORM and use_cuda:
            model = nn.SyncBatchNorm.convert_sync_batchnorm(model)  # batch statistics over the global batch
        elif HAS_BATCHNORM and main_process:
            print('note: on the CPU, BatchNorm uses each process\'s own batch statistics (SyncBatchNorm needs CUDA)')
        forward = nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if use_cuda else None)

    if (args.generate or args.points) and DATA['format'] == 'float32':
        if 'generator' not in DATA:
            raise SystemExit('this export holds given batches, not a generator: --generate and --points do not apply')
        data = make_toy_data(args.points)
    else:
        if args.points:
            DATA['points'] = args.points
        data = load_data(args.data)
    train_x, train_y, val_x, val_y = (t.to(device) for t in data)
    steps_per_epoch = len(train_x) // BATCH_SIZE  # the last partial batch of an epoch is dropped
    if steps_per_epoch == 0:
        raise SystemExit(f'{len(train_x)} training rows are fewer than one batch of {BATCH_SIZE}')
    loss_fn = make_loss()
    optimizer = make_optimizer(model.parameters())
    penalized = [m.weight for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    every = args.log_every or max(1, args.steps // 20)
    losses, epoch_sum, order = [], 0.0, None
    model.train()
    for step in range(args.steps):
        epoch, i = divmod(step, steps_per_epoch)
        if i == 0:
            order = torch.tensor(epoch_order(len(train_x), epoch, DATA['shuffle']), device=device)
        rows = order[i * BATCH_SIZE + rank * per:i * BATCH_SIZE + (rank + 1) * per]
        x, y = train_x[rows], train_y[rows]
        lr = set_hypers(optimizer, step)
        if HAS_DROPOUT:
            Dropout.step, Dropout.row_offset = step, rank * per

        optimizer.zero_grad(set_to_none=True)
        out = forward(x)
        data_loss = loss_fn(out, y)
        loss = data_loss
        if L1 > 0:
            loss = loss + L1 * sum(w.abs().sum() for w in penalized)
        if L2 > 0:
            loss = loss + L2 * sum((w * w).sum() for w in penalized)
        loss.backward()  # DDP averages the gradients over the processes here
        if CLIP_GRAD_NORM is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_GRAD_NORM)
        if CLIP_GRAD_VALUE is not None:
            torch.nn.utils.clip_grad_value_(model.parameters(), CLIP_GRAD_VALUE)
        optimizer.step()

        value = data_loss.detach()
        if world > 1:
            dist.all_reduce(value)
            value = value / world
        losses.append(value.item())
        epoch_sum += losses[-1]
        if PLATEAU is not None and i == steps_per_epoch - 1:
            PLATEAU.step(evaluate(model, loss_fn, val_x, val_y)[0] if len(val_x) else epoch_sum / steps_per_epoch)
        if i == steps_per_epoch - 1:
            epoch_sum = 0.0
        if main_process and ((step + 1) % every == 0 or step == 0):
            acc = f'  batch accuracy {(out.argmax(1) == y).float().mean().item():.3f}' if CLASSIFICATION else ''
            print(f'step {step + 1}/{args.steps}  loss {losses[-1]:.6f}  lr {lr:.6g}{acc}', flush=True)

    if main_process:
        if len(val_x):
            val_loss, val_acc = evaluate(model, loss_fn, val_x, val_y)
            extra = f', accuracy {val_acc:.4f}' if val_acc is not None else ''
            print(f'validation ({len(val_x)} rows): loss {val_loss:.6f}{extra}')
        if args.log:
            with open(args.log, 'w') as f:
                json.dump(losses, f)
        if args.save_state:
            save_state(model, args.save_state)
        defaults = parse_args.defaults
        if not (args.points or args.fresh_init or args.no_dropout or args.torch_dropout
                or args.init != defaults['init'] or args.data != defaults['data']):
            compare(losses, model, args.steps)  # only a run of the Lab's own data and weights can be compared
    if world > 1:
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
`;
