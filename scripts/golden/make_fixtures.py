"""PyTorch golden fixtures for the Gradient Atlas engine.

Run with Debian's python3-torch (torch 1.13): `npm run golden` (= /usr/bin/python3 scripts/golden/make_fixtures.py).
For each case: build the nn.Sequential equivalent of an ExperimentSpec, draw initial weights and batches with a fixed
torch seed, train `steps` steps exactly as the engine does (forward, loss + L1/L2 penalties, backward, clip norm then
clip value, optimizer step, scheduler step; plateau once per epoch on the epoch's mean training loss), and write
engine/fixtures/golden/<name>.json: spec, initialWeights (state dict), batches, per-step data losses, finalWeights,
and eval-mode outputs on an extra batch. num_batches_tracked is left out (the engine does not keep it).
"""

import json
import math
import os
import sys
import zlib

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'engine', 'fixtures', 'golden')
STEPS = 24
BATCH = 8
NBATCHES = 3


class Residual(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.layers(x)


class Recurrent(nn.Module):
    """Mixin for nn.RNN/LSTM/GRU (keys stay weight_ih_l0 ...): the output sequence, or h_n of each direction
    concatenated (forward then backward)."""

    def forward(self, x):
        out, h = super().forward(x)
        if self.return_sequences:
            return out
        if isinstance(h, tuple):
            h = h[0]
        return h.permute(1, 0, 2).reshape(x.shape[0], -1)


class RNN(Recurrent, nn.RNN):
    pass


class LSTM(Recurrent, nn.LSTM):
    pass


class GRU(Recurrent, nn.GRU):
    pass


class SelfAttention(nn.MultiheadAttention):
    def forward(self, x):
        T = x.shape[1]
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1) if self.causal else None
        out, _ = super().forward(x, x, x, attn_mask=mask, need_weights=False)
        return out


class Embedding(nn.Embedding):
    def forward(self, x):
        return super().forward(x.long())


class Sinusoidal(nn.Module):
    def forward(self, x):
        T, d = x.shape[1], x.shape[2]
        pe = torch.zeros(T, d, dtype=torch.float64)
        t = torch.arange(T, dtype=torch.float64)[:, None]
        i = torch.arange(0, d, 2, dtype=torch.float64)
        pe[:, 0::2] = torch.sin(t / 10000 ** (i / d))
        pe[:, 1::2] = torch.cos(t / 10000 ** (i / d))
        return x + pe.float()


class LearnedPositions(nn.Module):
    def __init__(self, max_len, d):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(max_len, d) * 0.02)

    def forward(self, x):
        return x + self.weight[: x.shape[1]]


# The engine's counter RNG (engine/rng/rng.ts), bit for bit, so a fixture can draw the engine's own noise.
M32 = 0xFFFFFFFF


def mix32(x):
    x ^= x >> 16
    x = (x * 0x7feb352d) & M32
    x ^= x >> 15
    x = (x * 0x846ca68b) & M32
    x ^= x >> 16
    return x


def rng_u32(seed, stream, hi, lo):
    h = mix32((seed ^ 0x9e3779b9) & M32)
    h = mix32((h ^ stream) & M32)
    h = mix32((h + hi * 0x9e3779b9) & M32)
    return mix32((h ^ lo) & M32)


def rng_normal(seed, stream, hi, lo):
    u1 = ((rng_u32(seed, stream, hi, 2 * lo) >> 8) + 1) * 5.9604644775390625e-8
    u2 = (rng_u32(seed, stream, hi, 2 * lo + 1) >> 8) * 5.9604644775390625e-8
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


class SampleNormal(nn.Module):
    """z = mu + exp(logvar / 2) * eps with the engine's eps (seed, stream, step, element); the mean in eval. Keeps
    the batch-mean KL of its last forward in self.kl."""

    def __init__(self, k, seed, stream, weight):
        super().__init__()
        self.k, self.seed, self.stream, self.weight, self.step = k, seed, stream, weight, 0

    def forward(self, x):
        mu, logvar = x[:, :self.k], x[:, self.k:]
        if not self.training:
            return mu
        n = mu.numel()
        eps = torch.tensor([rng_normal(self.seed, self.stream, self.step, i) for i in range(n)],
                           dtype=torch.float32).reshape(mu.shape)
        self.kl = -0.5 * (1 + logvar - mu * mu - logvar.exp()).sum() / x.shape[0]
        return mu + (0.5 * logvar).exp() * eps


class Detach(nn.Module):
    def forward(self, x):
        return x.detach()


class SeqPool(nn.Module):
    def __init__(self, mode):
        super().__init__()
        self.mode = mode

    def forward(self, x):
        return x.mean(1) if self.mode == 'mean' else x[:, -1]


ACT = {
    'relu': lambda l: nn.ReLU(),
    'leaky_relu': lambda l: nn.LeakyReLU(l.get('slope', 0.01)),
    'elu': lambda l: nn.ELU(l.get('alpha', 1.0)),
    'gelu': lambda l: nn.GELU(),
    'silu': lambda l: nn.SiLU(),
    'sigmoid': lambda l: nn.Sigmoid(),
    'tanh': lambda l: nn.Tanh(),
    'softplus': lambda l: nn.Softplus(),
}


def build(layers, shape, seed=0, streams=None):
    """Returns (modules, output shape) for a list of spec layers and a per-example input shape. `streams` counts the
    layers that draw randomness (dropout, sample_normal) in order, as the engine numbers their RNG streams."""
    streams = streams if streams is not None else [0]
    mods = []
    for l in layers:
        t = l['type']
        if t in ('dropout', 'sample_normal'):
            streams[0] += 1
        if t == 'sample_normal':
            mods.append(SampleNormal(shape[0] // 2, seed, streams[0], l.get('klWeight', 1.0)))
            shape = [shape[0] // 2]
            continue
        if t == 'stop_gradient':
            mods.append(Detach())
            continue
        if t == 'dense':
            if len(shape) == 2:  # per token on a [T, d] sequence
                mods.append(nn.Linear(shape[1], l['units'], bias=l.get('bias', True)))
                shape = [shape[0], l['units']]
            else:
                feats = int(torch.tensor(shape).prod())
                mods.append(nn.Linear(feats, l['units'], bias=l.get('bias', True)))
                shape = [l['units']]
        elif t in ('rnn', 'lstm', 'gru'):
            cls = {'rnn': RNN, 'lstm': LSTM, 'gru': GRU}[t]
            bi = l.get('bidirectional', False)
            m = cls(shape[1], l['hidden'], batch_first=True, bidirectional=bi)
            m.return_sequences = l.get('returnSequences', False)
            mods.append(m)
            dirs = 2 if bi else 1
            shape = [shape[0], l['hidden'] * dirs] if m.return_sequences else [l['hidden'] * dirs]
        elif t == 'attention':
            m = SelfAttention(shape[1], l['heads'], batch_first=True)
            m.causal = l.get('causal', False)
            mods.append(m)
        elif t == 'embedding':
            mods.append(Embedding(l['vocab'], l['dim']))
            shape = [shape[0], l['dim']]
        elif t == 'positional':
            mods.append(Sinusoidal() if l['kind'] == 'sinusoidal' else LearnedPositions(l['maxLen'], shape[1]))
        elif t == 'seqpool':
            mods.append(SeqPool(l['mode']))
            shape = [shape[1]]
        elif t == 'reshape':
            mods.append(nn.Unflatten(1, l['shape']))
            shape = list(l['shape'])
        elif t == 'conv_transpose2d':
            c, h, w = shape
            k, s, p, op = l['kernel'], l.get('stride', 1), l.get('padding', 0), l.get('outputPadding', 0)
            mods.append(nn.ConvTranspose2d(c, l['filters'], k, stride=s, padding=p, output_padding=op,
                                           bias=l.get('bias', True)))
            shape = [l['filters'], (h - 1) * s - 2 * p + k + op, (w - 1) * s - 2 * p + k + op]
        elif t == 'upsample':
            mods.append(nn.Upsample(scale_factor=l['scale'], mode='nearest'))
            shape = [shape[0], shape[1] * l['scale'], shape[2] * l['scale']]
        elif t == 'conv2d':
            c, h, w = shape
            k, s, p = l['kernel'], l.get('stride', 1), l.get('padding', 0)
            mods.append(nn.Conv2d(c, l['filters'], k, stride=s, padding=p, bias=l.get('bias', True)))
            shape = [l['filters'], (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1]
        elif t in ('maxpool2d', 'avgpool2d'):
            c, h, w = shape
            k = l['kernel']
            s = l.get('stride', k)
            mods.append((nn.MaxPool2d if t == 'maxpool2d' else nn.AvgPool2d)(k, stride=s))
            shape = [c, (h - k) // s + 1, (w - k) // s + 1]
        elif t == 'flatten':
            mods.append(nn.Flatten())
            shape = [int(torch.tensor(shape).prod())]
        elif t == 'batchnorm':
            bn = nn.BatchNorm2d if len(shape) == 3 else nn.BatchNorm1d
            mods.append(bn(shape[0], eps=l.get('eps', 1e-5), momentum=l.get('momentum', 0.1)))
        elif t == 'layernorm':
            mods.append(nn.LayerNorm(shape[-1:] if len(shape) == 2 else shape, eps=l.get('eps', 1e-5)))
        elif t == 'dropout':
            mods.append(nn.Dropout(l['rate']))
        elif t == 'residual':
            body, shape2 = build(l['layers'], shape, seed, streams)
            assert shape2 == shape
            mods.append(Residual(body))
        else:
            mods.append(ACT[t](l))
    return mods, shape


def penalized(model):
    # Exactly dense and conv weights (attention's out_proj is a Linear subclass, but not a dense layer).
    return [m.weight for m in model.modules() if type(m) in (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)]


def make_optimizer(o, params):
    t = o['type']
    if t == 'sgd':
        return torch.optim.SGD(params, lr=o['lr'], momentum=o.get('momentum', 0), dampening=o.get('dampening', 0),
                               nesterov=o.get('nesterov', False), weight_decay=o.get('weightDecay', 0))
    if t == 'rmsprop':
        return torch.optim.RMSprop(params, lr=o.get('lr', 0.01), alpha=o.get('alpha', 0.99), eps=o.get('eps', 1e-8),
                                   momentum=o.get('momentum', 0), centered=o.get('centered', False),
                                   weight_decay=o.get('weightDecay', 0))
    if t == 'adagrad':
        return torch.optim.Adagrad(params, lr=o.get('lr', 0.01), eps=o.get('eps', 1e-10),
                                   weight_decay=o.get('weightDecay', 0), lr_decay=o.get('lrDecay', 0),
                                   initial_accumulator_value=o.get('initialAccumulatorValue', 0))
    cls = torch.optim.Adam if t == 'adam' else torch.optim.AdamW
    wd = o.get('weightDecay', 0 if t == 'adam' else 0.01)
    return cls(params, lr=o.get('lr', 1e-3), betas=tuple(o.get('betas', (0.9, 0.999))), eps=o.get('eps', 1e-8),
               weight_decay=wd)


def make_scheduler(s, opt):
    """Torch's own schedulers. Returns (scheduler or None, per_epoch_plateau)."""
    if s is None:
        return None, False
    t, w = s['type'], s.get('warmupSteps', 0)
    sch = torch.optim.lr_scheduler
    if t == 'constant':
        main = sch.LambdaLR(opt, lambda e: 1.0) if w == 0 else None
    elif t == 'step':
        main = sch.StepLR(opt, step_size=s['stepSize'], gamma=s.get('gamma', 0.1))
    elif t == 'exponential':
        main = sch.ExponentialLR(opt, gamma=s['gamma'])
    elif t == 'cosine':
        main = sch.CosineAnnealingLR(opt, T_max=s['totalSteps'] - w, eta_min=s.get('minLr', 0))
    elif t == 'cosine_restarts':
        main = sch.CosineAnnealingWarmRestarts(opt, T_0=s['t0'], T_mult=s.get('tMult', 1), eta_min=s.get('minLr', 0))
    elif t == 'onecycle':
        main = sch.OneCycleLR(opt, max_lr=s['maxLr'], total_steps=s['totalSteps'], pct_start=s.get('pctStart', 0.3),
                              anneal_strategy='cos', cycle_momentum=s.get('cycleMomentum', True),
                              base_momentum=s.get('baseMomentum', 0.85), max_momentum=s.get('maxMomentum', 0.95),
                              div_factor=s.get('divFactor', 25.0), final_div_factor=s.get('finalDivFactor', 1e4))
    elif t == 'plateau':
        return sch.ReduceLROnPlateau(opt, mode='min', factor=s.get('factor', 0.1), patience=s.get('patience', 10),
                                     threshold=s.get('threshold', 1e-4), min_lr=s.get('minLr', 0)), True
    else:
        raise ValueError(t)
    if w == 0:
        return main, False
    # Warm-up: LinearLR from 1/w to 1 over w steps gives (t+1)/w, then the main schedule from its start.
    warm = sch.LinearLR(opt, start_factor=1.0 / w, end_factor=1.0, total_iters=w - 1 if w > 1 else 1)
    if main is None:
        return warm, False
    return sch.SequentialLR(opt, [warm, main], milestones=[w]), False


def make_loss(l):
    t = l['type']
    if t == 'mse':
        return nn.MSELoss()
    if t == 'mae':
        return nn.L1Loss()
    if t == 'huber':
        return nn.HuberLoss(delta=l.get('delta', 1.0))
    if t == 'bce_logits':
        return nn.BCEWithLogitsLoss()
    return nn.CrossEntropyLoss(label_smoothing=l.get('labelSmoothing', 0.0))


def tensor_json(t):
    return {'shape': list(t.shape), 'data': [float(v) for v in t.detach().reshape(-1).tolist()]}


def state_json(model):
    return {k: tensor_json(v) for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')}


def make_batch(g, spec, out_shape, rows):
    first = spec['model']['layers'][0]
    if first['type'] == 'embedding':
        x = torch.randint(0, first['vocab'], [rows] + spec['model']['input'], generator=g).float()
    else:
        x = torch.randn([rows] + spec['model']['input'], generator=g)
    lt = spec['loss']['type']
    if lt == 'cross_entropy':
        # Class indices per row of the last dim: [rows] for a [C] output, [rows, T] for [T, C].
        y = torch.randint(0, out_shape[-1], [rows] + out_shape[:-1], generator=g)
    elif lt == 'bce_logits':
        y = (torch.rand([rows] + out_shape, generator=g) > 0.5).float()
    else:
        y = torch.randn([rows] + out_shape, generator=g)
    return x, y


def run_case(name, spec, seed):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed + 1000)
    mods, out_shape = build(spec['model']['layers'], spec['model']['input'], spec['training']['seed'])
    model = nn.Sequential(*mods)
    init = state_json(model)
    batches = [make_batch(g, spec, out_shape, BATCH) for _ in range(NBATCHES)]
    if spec.get('targetsAreInputs'):
        batches = [(x, x.clone()) for x, _ in batches]
    eval_x, _ = make_batch(g, spec, out_shape, BATCH)
    opt = make_optimizer(spec['optimizer'], model.parameters())
    sched, plateau = make_scheduler(spec.get('schedule'), opt)
    ce = make_loss(spec['loss'])
    # cross_entropy on [B, T, C] averages over every token: torch wants [N, C] against [N].
    loss_fn = (lambda o, y: ce(o.reshape(-1, o.shape[-1]), y.reshape(-1))) if spec['loss']['type'] == 'cross_entropy' else ce
    reg = spec.get('regularization', {})
    l1, l2 = reg.get('l1', 0), reg.get('l2', 0)
    losses, lrs = [], []
    epoch_sum = 0.0
    model.train()
    for step in range(spec['training']['steps']):
        x, y = batches[step % NBATCHES]
        lrs.append(opt.param_groups[0]['lr'])
        opt.zero_grad()
        samplers = [m for m in model.modules() if isinstance(m, SampleNormal)]
        for m in samplers:
            m.step = step
        out = model(x)
        data_loss = loss_fn(out, y)
        total = data_loss
        for m in samplers:
            total = total + m.weight * m.kl
        if l1 > 0:
            total = total + l1 * sum(w.abs().sum() for w in penalized(model))
        if l2 > 0:
            total = total + l2 * sum((w * w).sum() for w in penalized(model))
        total.backward()
        if reg.get('clipGradNorm') is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), reg['clipGradNorm'])
        if reg.get('clipGradValue') is not None:
            torch.nn.utils.clip_grad_value_(model.parameters(), reg['clipGradValue'])
        opt.step()
        losses.append(data_loss.item())
        epoch_sum += data_loss.item()
        if sched is not None and not plateau:
            sched.step()
        if plateau and (step + 1) % NBATCHES == 0:
            # The engine monitors the epoch's mean training loss (in float32, as it sums float32 losses in double).
            sched.step(epoch_sum / NBATCHES)
            epoch_sum = 0.0
    model.eval()
    with torch.no_grad():
        eval_out = model(eval_x)
        # Evaluation of the model's tail alone (a decoder from its latent input), for compilePart.
        parts = []
        part_from = spec.get('evalFrom')
        if part_from is not None:
            tail = nn.Sequential(*list(model.children())[part_from:])
            width = [m for m in model.children()][part_from].in_features
            zx = torch.randn([BATCH, width], generator=g)
            parts.append({'from': part_from, 'x': tensor_json(zx), 'out': tensor_json(tail(zx))})
    fixture = {
        'name': name,
        'torch': torch.__version__,
        'spec': spec,
        'initialWeights': init,
        'batches': [{'x': tensor_json(x), 'y': tensor_json(y.float())} for x, y in batches],
        'steps': spec['training']['steps'],
        'losses': losses,
        'lrs': lrs,
        'finalWeights': state_json(model),
        'eval': {'x': tensor_json(eval_x), 'out': tensor_json(eval_out)},
        'evalParts': parts,
    }
    fixture['spec'] = {k: v for k, v in spec.items() if k not in ('evalFrom', 'targetsAreInputs')}
    with open(os.path.join(OUT, name + '.json'), 'w') as f:
        json.dump(fixture, f, separators=(',', ':'))
    return losses


def spec_of(layers, inp, loss, optimizer, schedule=None, reg=None, steps=STEPS):
    s = {'model': {'input': inp, 'layers': layers}, 'loss': loss, 'optimizer': optimizer,
         'training': {'batchSize': BATCH, 'seed': 0, 'steps': steps}}
    if schedule is not None:
        s['schedule'] = schedule
    if reg is not None:
        s['regularization'] = reg
    return s


D = lambda u, **k: dict(type='dense', units=u, **k)
A = lambda t, **k: dict(type=t, **k)
MLP = lambda act, out=1, **k: [D(8), A(act, **k), D(8), A(act, **k), D(out)]
CONV = lambda **k: dict(type='conv2d', **k)
SGD = lambda lr=0.1, **k: dict(type='sgd', lr=lr, **k)
ADAM = lambda lr=0.01, **k: dict(type='adam', lr=lr, **k)
MSE = {'type': 'mse'}
CE = lambda s=0.0: {'type': 'cross_entropy', 'labelSmoothing': s}
IMG = [2, 6, 6]
SEQ = [6, 3]

CASES = {
    # optimizers
    'sgd_tanh_mse': spec_of(MLP('tanh'), [2], MSE, SGD()),
    'sgd_momentum_dampening_wd_relu': spec_of(MLP('relu'), [2], MSE, SGD(0.05, momentum=0.9, dampening=0.1, weightDecay=1e-3)),
    'sgd_nesterov_leaky': spec_of(MLP('leaky_relu', slope=0.1), [2], MSE, SGD(0.05, momentum=0.9, nesterov=True)),
    'rmsprop_elu': spec_of(MLP('elu', alpha=0.5), [2], MSE, dict(type='rmsprop', lr=0.01)),
    'rmsprop_centered_momentum_wd_gelu': spec_of(MLP('gelu'), [2], MSE, dict(type='rmsprop', lr=0.005, alpha=0.9, momentum=0.5, centered=True, weightDecay=0.01)),
    'adagrad_silu': spec_of(MLP('silu'), [2], MSE, dict(type='adagrad', lr=0.1, weightDecay=0.01, lrDecay=0.01, initialAccumulatorValue=0.1)),
    'adam_l2wd_sigmoid_bce': spec_of(MLP('sigmoid'), [2], {'type': 'bce_logits'}, ADAM(0.02, weightDecay=0.01)),
    'adamw_softplus_ce_smoothing': spec_of(MLP('softplus', out=3), [2], CE(0.1), dict(type='adamw', lr=0.01, betas=[0.8, 0.99], weightDecay=0.05)),
    # losses
    'mae_tanh': spec_of(MLP('tanh'), [2], {'type': 'mae'}, SGD(0.05)),
    'huber_relu': spec_of(MLP('relu', out=2), [3], {'type': 'huber', 'delta': 0.5}, ADAM()),
    'ce_plain_relu': spec_of(MLP('relu', out=4), [3], CE(), SGD(0.1, momentum=0.5)),
    # layers
    # A bias right before BatchNorm has an exactly-zero true gradient; under Adam its float-noise gradient is scaled
    # up to lr-sized steps, so its value is rounding noise in torch too. These Adam cases therefore drop that bias
    # (as is usual); residual_conv_bn keeps one under SGD, where noise stays noise-sized.
    'batchnorm1d': spec_of([D(8, bias=False), A('batchnorm'), A('relu'), D(8, bias=False), A('batchnorm', momentum=0.2), A('tanh'), D(3)], [4], CE(), ADAM()),
    'batchnorm2d_conv': spec_of([CONV(filters=3, kernel=3, bias=False), A('batchnorm'), A('relu'), A('flatten'), D(3)], IMG, CE(), ADAM()),
    'conv_stride_padding': spec_of([CONV(filters=4, kernel=3, stride=2, padding=1), A('relu'), CONV(filters=3, kernel=3, padding=1), A('tanh'), A('flatten'), D(2)], IMG, MSE, SGD(0.05, momentum=0.9)),
    'conv_nobias_maxpool': spec_of([CONV(filters=4, kernel=3, padding=1, bias=False), A('relu'), dict(type='maxpool2d', kernel=2), A('flatten'), D(3)], IMG, CE(), ADAM()),
    'avgpool_overlapping': spec_of([CONV(filters=3, kernel=2), A('tanh'), dict(type='avgpool2d', kernel=2, stride=1), A('flatten'), D(1)], IMG, MSE, SGD(0.1)),
    'maxpool_stride': spec_of([dict(type='maxpool2d', kernel=3, stride=2), A('flatten'), D(6), A('relu'), D(2)], [1, 7, 7], MSE, ADAM()),
    'residual_dense': spec_of([D(6), A('relu'), dict(type='residual', layers=[D(6), A('tanh'), D(6)]), A('relu'), D(2)], [3], CE(), ADAM()),
    'residual_conv_bn': spec_of([CONV(filters=3, kernel=3, padding=1), dict(type='residual', layers=[CONV(filters=3, kernel=3, padding=1), A('batchnorm'), A('relu')]), dict(type='avgpool2d', kernel=2), A('flatten'), D(2)], IMG, CE(), SGD(0.05, momentum=0.9)),
    'layernorm_dense': spec_of([D(8), A('layernorm'), A('gelu'), D(8), A('layernorm', eps=1e-3), A('silu'), D(2)], [3], MSE, ADAM()),
    'layernorm_conv': spec_of([CONV(filters=2, kernel=3), A('layernorm'), A('relu'), A('flatten'), D(2)], IMG, CE(), ADAM()),
    'dropout_zero_is_identity': spec_of([D(8), A('relu'), A('dropout', rate=0.0), D(1)], [2], MSE, SGD()),
    # regularisation
    'l1_penalty': spec_of(MLP('tanh'), [2], MSE, SGD(0.05), reg={'l1': 0.01}),
    'l2_penalty': spec_of(MLP('relu', out=3), [2], CE(), ADAM(), reg={'l2': 0.05}),
    'clip_grad_norm': spec_of(MLP('tanh'), [2], MSE, SGD(0.5), reg={'clipGradNorm': 0.1}),
    'clip_grad_value': spec_of(MLP('relu'), [2], MSE, SGD(0.2), reg={'clipGradValue': 0.01}),
    'clip_both_l1_l2': spec_of(MLP('elu'), [2], MSE, ADAM(), reg={'l1': 0.001, 'l2': 0.01, 'clipGradNorm': 0.5, 'clipGradValue': 0.05}),
    # schedules
    'sched_step': spec_of(MLP('tanh'), [2], MSE, SGD(0.1), schedule={'type': 'step', 'stepSize': 5, 'gamma': 0.5}),
    'sched_exponential': spec_of(MLP('tanh'), [2], MSE, SGD(0.1), schedule={'type': 'exponential', 'gamma': 0.9}),
    'sched_cosine': spec_of(MLP('tanh'), [2], MSE, ADAM(), schedule={'type': 'cosine', 'totalSteps': 30, 'minLr': 0.001}),
    'sched_cosine_warmup': spec_of(MLP('relu'), [2], MSE, ADAM(), schedule={'type': 'cosine', 'totalSteps': 30, 'warmupSteps': 5, 'minLr': 0}),
    'sched_constant_warmup': spec_of(MLP('relu'), [2], MSE, SGD(0.1), schedule={'type': 'constant', 'warmupSteps': 6}),
    'sched_cosine_restarts': spec_of(MLP('tanh'), [2], MSE, SGD(0.1), schedule={'type': 'cosine_restarts', 't0': 4, 'tMult': 2, 'minLr': 0.01}),
    'sched_onecycle': spec_of(MLP('tanh'), [2], MSE, SGD(0.1, momentum=0.9), schedule={'type': 'onecycle', 'maxLr': 0.2, 'totalSteps': 24, 'pctStart': 0.25}),
    'sched_onecycle_adam_betas': spec_of(MLP('relu'), [2], MSE, ADAM(), schedule={'type': 'onecycle', 'maxLr': 0.05, 'totalSteps': 30, 'pctStart': 0.4, 'baseMomentum': 0.8, 'maxMomentum': 0.9}),
    'sched_onecycle_no_cycle': spec_of(MLP('tanh'), [2], MSE, SGD(0.1), schedule={'type': 'onecycle', 'maxLr': 0.2, 'totalSteps': 24, 'cycleMomentum': False}),
    # A longer run: float32 rounding differences grow with steps; this case shows how far (still within 1e-4).
    'long_300_steps_adam_cnn': spec_of([CONV(filters=4, kernel=3, padding=1), A('relu'), dict(type='maxpool2d', kernel=2), A('flatten'), D(8), A('tanh'), D(3)], IMG, CE(), ADAM(0.005), steps=300),
    # sequences (PyTorch 1.13 nn.RNN/LSTM/GRU, nn.MultiheadAttention, nn.Embedding ...)
    'rnn_sequences_tokens_mse': spec_of([dict(type='rnn', hidden=5, returnSequences=True), D(2)], SEQ, MSE, SGD(0.1)),
    'rnn_bidirectional_last_ce': spec_of([dict(type='rnn', hidden=4, bidirectional=True), D(3)], SEQ, CE(), SGD(0.2, momentum=0.9)),
    'lstm_last_ce': spec_of([dict(type='lstm', hidden=6), D(3)], SEQ, CE(), SGD(0.2, momentum=0.9)),
    'lstm_bidirectional_sequences': spec_of([dict(type='lstm', hidden=4, bidirectional=True, returnSequences=True), D(2)], SEQ, MSE, SGD(0.1, momentum=0.9)),
    'gru_sequences_token_ce': spec_of([dict(type='gru', hidden=5, returnSequences=True), D(3)], SEQ, CE(0.1), ADAM()),
    'gru_bidirectional_last': spec_of([dict(type='gru', hidden=4, bidirectional=True), D(1)], SEQ, MSE, ADAM()),
    # The key part of in_proj_bias has an exactly zero true gradient (it shifts every score of a row alike); under
    # Adam its float-noise gradient becomes lr-sized steps, as for a bias before BatchNorm, so attention cases use SGD.
    'attention_mean_pool': spec_of([D(8), dict(type='attention', heads=2), dict(type='seqpool', mode='mean'), D(3)], SEQ, CE(), SGD(0.2, momentum=0.9)),
    'attention_causal_tokens': spec_of([D(8), dict(type='attention', heads=4, causal=True), A('gelu'), D(3)], SEQ, CE(), SGD(0.2, momentum=0.9)),
    'embedding_sinusoidal_prenorm_block': spec_of([
        dict(type='embedding', vocab=7, dim=8), dict(type='positional', kind='sinusoidal'),
        dict(type='residual', layers=[A('layernorm'), dict(type='attention', heads=2, causal=True)]),
        dict(type='residual', layers=[A('layernorm'), D(16), A('relu'), D(8)]),
        A('layernorm'), D(7)], [6], CE(), SGD(0.1, momentum=0.9)),
    'embedding_learned_positions_last': spec_of([
        dict(type='embedding', vocab=9, dim=6), dict(type='positional', kind='learned', maxLen=8), A('tanh'),
        dict(type='seqpool', mode='last'), D(2)], [6], CE(), SGD(0.2)),
    'conv_transpose_upsample': spec_of([
        D(12), dict(type='reshape', shape=[3, 2, 2]), dict(type='conv_transpose2d', filters=2, kernel=3, stride=2, padding=1, outputPadding=1),
        A('relu'), dict(type='upsample', scale=2), dict(type='conv2d', filters=1, kernel=3, padding=1), A('flatten'), D(2)], [4], MSE, ADAM()),
    'conv_transpose_nobias_l2': spec_of([
        dict(type='conv_transpose2d', filters=3, kernel=2, bias=False), A('tanh'), A('flatten'), D(2)], [2, 3, 3], MSE, SGD(0.05),
        reg={'l2': 0.01}),
    # generative: a tiny VAE (targets = inputs; the KL term has none) and its decoder evaluated alone
    'vae_tiny': dict(spec_of([D(8), A('tanh'), D(4), dict(type='sample_normal', klWeight=0.5), D(8), A('tanh'), D(4)], [4], MSE, ADAM()), evalFrom=4, targetsAreInputs=True),
    'stop_gradient_frozen_body': spec_of([D(6), A('tanh'), dict(type='stop_gradient'), D(6), A('relu'), D(2)], [3], MSE, SGD(0.1, momentum=0.9)),
    'sched_plateau': spec_of(MLP('tanh'), [2], MSE, SGD(0.1), schedule={'type': 'plateau', 'factor': 0.5, 'patience': 0, 'threshold': 0.05}),
}


GAN_OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'engine', 'fixtures', 'gan')


def run_gan(name, steps=12, batch=8):
    """A tiny GAN's alternating steps (engine/train/gan.ts): per step fake = G(z); a D step on [real; fake.detach()]
    against [1; 0] (one BCE-with-logits mean over the 2B rows); a G step on bce(D(G(z)), 1) through the updated D.
    Each network has its own Adam. Writes engine/fixtures/gan/<name>.json."""
    seed = zlib.crc32(name.encode()) % 100000
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed + 1000)
    G = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    D = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    init = {'g': state_json(G), 'd': state_json(D)}
    opt = lambda m: torch.optim.Adam(m.parameters(), lr=0.01, betas=(0.5, 0.999))
    optG, optD = opt(G), opt(D)
    bce = nn.BCEWithLogitsLoss()
    zs = [torch.randn(batch, 2, generator=g) for _ in range(steps)]
    reals = [torch.randn(batch, 2, generator=g) * 0.5 + torch.tensor([2.0, -1.0]) for _ in range(steps)]
    d_losses, g_losses = [], []
    for z, real in zip(zs, reals):
        fake = G(z)
        optD.zero_grad()
        d_loss = bce(D(torch.cat([real, fake.detach()])), torch.cat([torch.ones(batch, 1), torch.zeros(batch, 1)]))
        d_loss.backward()
        optD.step()
        optG.zero_grad()
        g_loss = bce(D(fake), torch.ones(batch, 1))
        g_loss.backward()
        optG.step()
        d_losses.append(d_loss.item())
        g_losses.append(g_loss.item())
    fixture = {
        'name': name,
        'torch': torch.__version__,
        'spec': {
            'latent': 2, 'sample': 2, 'batchSize': batch,
            'generator': {'layers': [D_(8), A('relu'), D_(2)], 'optimizer': {'type': 'adam', 'lr': 0.01, 'betas': [0.5, 0.999]}},
            'discriminator': {'layers': [D_(8), A('tanh'), D_(1)], 'optimizer': {'type': 'adam', 'lr': 0.01, 'betas': [0.5, 0.999]}},
        },
        'initialWeights': init,
        'z': [tensor_json(z) for z in zs],
        'real': [tensor_json(r) for r in reals],
        'dLosses': d_losses,
        'gLosses': g_losses,
        'finalWeights': {'g': state_json(G), 'd': state_json(D)},
    }
    os.makedirs(GAN_OUT, exist_ok=True)
    with open(os.path.join(GAN_OUT, name + '.json'), 'w') as f:
        json.dump(fixture, f, separators=(',', ':'))
    print(f'{name}: {steps} alternating steps, D loss {d_losses[0]:.5f} -> {d_losses[-1]:.5f}, G loss {g_losses[0]:.5f} -> {g_losses[-1]:.5f}')


D_ = lambda u: dict(type='dense', units=u)


GROUPS_OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'engine', 'fixtures', 'groups')


def run_groups(name, steps=12):
    """Two parameter groups with different optimizers and schedules in one model (ExperimentSpec groups/steps), as
    torch's two-optimizer loop: per iteration, step `body` (opt_body.zero_grad(); mse(model(xa), ya).backward();
    opt_body.step(); sched_body.step()) then step `head` (its own zero_grad, a huber loss on its own rows and batch
    size, opt_head.step(), sched_head.step()). Each backward also reaches the other group's .grad, which that group's
    zero_grad clears before its own step, so only the stepping group's gradient of this step is ever applied.
    Writes engine/fixtures/groups/<name>.json."""
    seed = zlib.crc32(name.encode()) % 100000
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed + 1000)
    spec = {
        'model': {'input': [3], 'layers': [D_(6), A('tanh'), D_(5), A('relu'), D_(2)]},
        'loss': {'type': 'mse'},
        'optimizer': {'type': 'sgd', 'lr': 0.1},
        'training': {'batchSize': 8, 'seed': 7},
        'groups': [
            {'name': 'body', 'layers': [0, 1, 2], 'optimizer': {'type': 'sgd', 'lr': 0.1, 'momentum': 0.9},
             'schedule': {'type': 'step', 'stepSize': 4, 'gamma': 0.5}},
            {'name': 'head', 'layers': [3, 4],
             'optimizer': {'type': 'adam', 'lr': 0.02, 'betas': [0.8, 0.99], 'weightDecay': 0.01},
             'schedule': {'type': 'cosine', 'totalSteps': steps, 'minLr': 0.002}},
        ],
        'steps': [
            {'name': 'body', 'group': 'body'},
            {'name': 'head', 'group': 'head', 'loss': {'type': 'huber', 'delta': 0.5}, 'batchSize': 6},
        ],
    }
    mods, out_shape = build(spec['model']['layers'], spec['model']['input'], spec['training']['seed'])
    model = nn.Sequential(*mods)
    init = state_json(model)
    params = lambda layers: [p for i in layers for p in mods[i].parameters()]
    opts, scheds = {}, {}
    for grp in spec['groups']:
        opts[grp['name']] = make_optimizer(grp['optimizer'], params(grp['layers']))
        scheds[grp['name']] = make_scheduler(grp['schedule'], opts[grp['name']])[0]
    losses = {'mse': nn.MSELoss(), 'huber': nn.HuberLoss(delta=0.5)}
    batches = {}
    for st in spec['steps']:
        rows = st.get('batchSize', spec['training']['batchSize'])
        batches[st['name']] = [(torch.randn([rows, 3], generator=g), torch.randn([rows] + out_shape, generator=g))
                               for _ in range(NBATCHES)]
    record = {st['name']: {'losses': [], 'lrs': []} for st in spec['steps']}
    model.train()
    for it in range(steps):
        for st in spec['steps']:
            n = st['name']
            opt = opts[st['group']]
            x, y = batches[n][it % NBATCHES]
            record[n]['lrs'].append(opt.param_groups[0]['lr'])
            opt.zero_grad()
            loss = losses[st.get('loss', spec['loss'])['type']](model(x), y)
            loss.backward()
            opt.step()
            scheds[st['group']].step()
            record[n]['losses'].append(loss.item())
    fixture = {
        'name': name,
        'torch': torch.__version__,
        'spec': spec,
        'iterations': steps,
        'initialWeights': init,
        'batches': {n: [{'x': tensor_json(x), 'y': tensor_json(y)} for x, y in b] for n, b in batches.items()},
        'steps': record,
        'finalWeights': state_json(model),
    }
    os.makedirs(GROUPS_OUT, exist_ok=True)
    with open(os.path.join(GROUPS_OUT, name + '.json'), 'w') as f:
        json.dump(fixture, f, separators=(',', ':'))
    print(f'{name}: {steps} iterations of steps body (sgd) and head (adam), losses '
          f'{record["body"]["losses"][0]:.5f} -> {record["body"]["losses"][-1]:.5f}, '
          f'{record["head"]["losses"][0]:.5f} -> {record["head"]["losses"][-1]:.5f}')


def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[1:])
    for name, spec in CASES.items():
        if only and name not in only:
            continue
        # The seed comes from the name, so adding or reordering cases never changes another case's data.
        losses = run_case(name, spec, zlib.crc32(name.encode()) % 100000)
        print(f'{name}: {len(losses)} steps, loss {losses[0]:.5f} -> {losses[-1]:.5f}')
    print(f'{len(CASES)} cases written to {os.path.normpath(OUT)}')
    if not only or 'tiny_gan' in only:
        run_gan('tiny_gan')
    if not only or 'two_optimizers' in only:
        run_groups('two_optimizers')


if __name__ == '__main__':
    main()
