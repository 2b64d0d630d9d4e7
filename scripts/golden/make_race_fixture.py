#!/usr/bin/env python3
"""Golden fixture for the optimizer race (engine/race): torch.optim run on the race's analytic surfaces.

For each case: two float32 parameters (x, y) start at the surface's start point; each step sets their .grad to the
surface's analytic gradient (in float64 from the float32 values, then rounded to float32, as the race does), plus the
noisy bowl's seeded noise (the engine's counter RNG, ported below), and calls optimizer.step(). The path of (x, y) is
recorded. engine/race/race.test.ts replays every case with the engine's own update kernels and compares.

Run with Debian's torch:  /usr/bin/python3 scripts/golden/make_race_fixture.py
Writes engine/race/fixtures/torch-race.json.
"""
import json
import math
import os

import torch

STEPS = 50
RACE_NOISE_STREAM = 0x7ACE
M32 = 0xFFFFFFFF
GOLDEN = 0x9E3779B9


def mix32(x):
    x &= M32
    x ^= x >> 16
    x = (x * 0x7FEB352D) & M32
    x ^= x >> 15
    x = (x * 0x846CA68B) & M32
    x ^= x >> 16
    return x


def rng_u32(seed, stream, hi, lo):
    h = mix32(seed ^ GOLDEN)
    h = mix32(h ^ stream)
    h = mix32(h + ((hi * GOLDEN) & M32))
    return mix32(h ^ lo)


def rng_normal(seed, stream, hi, lo):
    u1 = ((rng_u32(seed, stream, hi, 2 * lo) >> 8) + 1) * 5.9604644775390625e-8
    u2 = (rng_u32(seed, stream, hi, 2 * lo + 1) >> 8) * 5.9604644775390625e-8
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


RC, RS = math.cos(math.pi / 6), math.sin(math.pi / 6)


def ravine_grad(x, y):
    u = RC * x + RS * y
    v = -RS * x + RC * y
    return [(u / 10) * RC - 10 * v * RS, (u / 10) * RS + 10 * v * RC]


def beale_grad(x, y):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y ** 3
    return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y]


def himmelblau_grad(x, y):
    a = x * x + y - 11
    b = x + y * y - 7
    return [4 * x * a + 2 * b, 2 * a + 4 * y * b]


# surface id -> (gradient, noise std, start, {racer: lr}) : the same numbers as engine/race/surfaces.ts.
SURFACES = {
    'rosenbrock': (lambda x, y: [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)], 0, [-1.5, 2.5],
                   dict(sgd=0.002, momentum=0.001, nesterov=0.001, rmsprop=0.01, adagrad=0.5, adam=0.1, adamw=0.1)),
    'beale': (beale_grad, 0, [1, 1.75],
              dict(sgd=0.02, momentum=0.002, nesterov=0.002, rmsprop=0.05, adagrad=0.5, adam=0.2, adamw=0.2)),
    'himmelblau': (himmelblau_grad, 0, [-0.5, -0.5],
                   dict(sgd=0.005, momentum=0.002, nesterov=0.002, rmsprop=0.02, adagrad=0.5, adam=0.1, adamw=0.1)),
    'saddle': (lambda x, y: [2 * x, y * (y * y - 1)], 0, [-1.8, 0.01],
               dict(sgd=0.05, momentum=0.02, nesterov=0.02, rmsprop=0.02, adagrad=0.2, adam=0.05, adamw=0.05)),
    'ravine': (ravine_grad, 0, [-5, 1],
               dict(sgd=0.18, momentum=0.02, nesterov=0.02, rmsprop=0.05, adagrad=1, adam=0.2, adamw=0.2)),
    'noisy': (lambda x, y: [x, y], 0.5, [2.5, 2],
              dict(sgd=0.1, momentum=0.01, nesterov=0.01, rmsprop=0.01, adagrad=0.3, adam=0.05, adamw=0.05)),
}


def racers(lr):
    """(racer id, torch constructor kwargs, the engine's OptimizerSpec) with torch.optim's defaults otherwise."""
    return [
        ('sgd', torch.optim.SGD, dict(lr=lr['sgd']), dict(type='sgd', lr=lr['sgd'])),
        ('momentum', torch.optim.SGD, dict(lr=lr['momentum'], momentum=0.9),
         dict(type='sgd', lr=lr['momentum'], momentum=0.9)),
        ('nesterov', torch.optim.SGD, dict(lr=lr['nesterov'], momentum=0.9, nesterov=True),
         dict(type='sgd', lr=lr['nesterov'], momentum=0.9, nesterov=True)),
        ('rmsprop', torch.optim.RMSprop, dict(lr=lr['rmsprop']), dict(type='rmsprop', lr=lr['rmsprop'])),
        ('adagrad', torch.optim.Adagrad, dict(lr=lr['adagrad']), dict(type='adagrad', lr=lr['adagrad'])),
        ('adam', torch.optim.Adam, dict(lr=lr['adam']), dict(type='adam', lr=lr['adam'])),
        ('adamw', torch.optim.AdamW, dict(lr=lr['adamw']), dict(type='adamw', lr=lr['adamw'])),
    ]


# A few non-default hyperparameters on one surface, so the edited fields are covered too.
EXTRA = [
    ('himmelblau', 'momentum', torch.optim.SGD, dict(lr=0.002, momentum=0.8, dampening=0.3, weight_decay=0.01),
     dict(type='sgd', lr=0.002, momentum=0.8, dampening=0.3, weightDecay=0.01)),
    ('himmelblau', 'rmsprop', torch.optim.RMSprop, dict(lr=0.02, alpha=0.9, eps=1e-6, momentum=0.5),
     dict(type='rmsprop', lr=0.02, alpha=0.9, eps=1e-6, momentum=0.5)),
    ('himmelblau', 'adagrad', torch.optim.Adagrad, dict(lr=0.5, lr_decay=0.01, eps=1e-8),
     dict(type='adagrad', lr=0.5, lrDecay=0.01, eps=1e-8)),
    ('himmelblau', 'adam', torch.optim.Adam, dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
     dict(type='adam', lr=0.1, betas=[0.8, 0.99], eps=1e-6, weightDecay=0.1)),
    ('himmelblau', 'adamw', torch.optim.AdamW, dict(lr=0.1, betas=(0.5, 0.9), weight_decay=0.5),
     dict(type='adamw', lr=0.1, betas=[0.5, 0.9], weightDecay=0.5)),
]


def f32(v):
    """A float32 value in 9 significant digits: enough to round-trip, half the bytes of a double's repr."""
    return float('%.9g' % float(v))


def run(surface, ctor, kwargs, seed=0):
    grad, noise, start, _ = SURFACES[surface]
    p = torch.tensor(start, dtype=torch.float32)
    p.requires_grad_(False)
    opt = ctor([p], **kwargs)
    path = [[f32(p[0]), f32(p[1])]]
    for t in range(STEPS):
        x, y = float(p[0]), float(p[1])
        g = grad(x, y)
        if noise:
            g = [g[0] + noise * rng_normal(seed, RACE_NOISE_STREAM, t, 0), g[1] + noise * rng_normal(seed, RACE_NOISE_STREAM, t, 1)]
        p.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        path.append([f32(p[0]), f32(p[1])])
    return start, path


def main():
    cases = []
    for sid, (_, _, _, lrs) in SURFACES.items():
        for rid, ctor, kwargs, spec in racers(lrs):
            start, path = run(sid, ctor, kwargs)
            cases.append(dict(surface=sid, racer=rid, optimizer=spec, start=start, path=path))
    for sid, rid, ctor, kwargs, spec in EXTRA:
        start, path = run(sid, ctor, kwargs)
        cases.append(dict(surface=sid, racer=rid, optimizer=spec, start=start, path=path))
    out = os.path.join(os.path.dirname(__file__), '..', '..', 'engine', 'race', 'fixtures', 'torch-race.json')
    with open(out, 'w') as f:
        json.dump(dict(torch=torch.__version__, steps=STEPS, seed=0, cases=cases), f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {len(cases)} cases to {os.path.normpath(out)}')


if __name__ == '__main__':
    main()
