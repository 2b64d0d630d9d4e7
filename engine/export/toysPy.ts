// The 2-D toy generators of engine/data/toy2d.ts and the features of engine/data/features.ts in Python, for
// `train.py --generate` / `--points N` (the export ships the run's own rows in data.bin; this makes more of them).
// The same draws from the same counters; the values agree to the float32 bit except where V8's and torch's
// sin/cos/log round a double differently in the last place. Keep in step with toy2d.ts.

/** Only in exports of toy data; reads DATA['generator'] (kind, points, noise, valFraction, seed, classes, features,
 * extra, target). */
export const TOYS_PY = `# ---------------------------------------------------------------- the Lab's 2-D generators (engine/data/toy2d.ts)

def uniform(seed, stream, hi, lo):
    """Uniform in [0, 1) with 24 bits, as float64."""
    return (rng_u32(seed, stream, hi, lo) >> 8).double() * 5.9604644775390625e-8


def normal(seed, stream, hi, lo):
    """Box-Muller on draws 2*lo (in (0, 1]) and 2*lo + 1."""
    u1 = ((rng_u32(seed, stream, hi, 2 * lo) >> 8) + 1).double() * 5.9604644775390625e-8
    u2 = uniform(seed, stream, hi, 2 * lo + 1)
    return torch.sqrt(-2 * torch.log(u1)) * torch.cos(2 * math.pi * u2)


def place(kind, i, u0, u1, classes):
    """(x, y, label) of points i, before noise, as float64 tensors."""
    k = (i % classes).double()
    if kind == 'circle':
        inside = i % 2 == 0
        r = torch.where(inside, 0.5 * u0, 0.7 + 0.3 * u0)
        a = 2 * math.pi * u1
        return r * torch.sin(a), r * torch.cos(a), inside.double()
    if kind == 'xor':
        px, py = 2 * u0 - 1, 2 * u1 - 1
        # (torch.where with two scalars gives float32: the pad would not be the double 0.05.)
        sx = px + torch.where(px > 0, 1.0, -1.0).double() * 0.05
        sy = py + torch.where(py > 0, 1.0, -1.0).double() * 0.05
        return sx, sy, (sx * sy > 0).double()
    if kind == 'blobs':
        a = (2 * math.pi * k) / classes
        r = 0.15 * torch.sqrt(-2 * torch.log(1 - u0))
        t = 2 * math.pi * u1
        return 0.6 * torch.cos(a) + r * torch.cos(t), 0.6 * torch.sin(a) + r * torch.sin(t), k
    if kind == 'spiral':
        t = 1.75 * 2 * math.pi * u0 + (2 * math.pi * k) / classes
        return u0 * torch.sin(t), u0 * torch.cos(t), k
    if kind == 'moons':
        upper = i % 2 == 0
        t = math.pi * u0
        mx = torch.where(upper, torch.cos(t), 1 - torch.cos(t))
        my = torch.where(upper, torch.sin(t), 0.5 - torch.sin(t))
        return (mx - 0.5) / 1.25, (my - 0.25) / 1.25, (~upper).double()
    px, py = 2 * u0 - 1, 2 * u1 - 1
    if kind == 'plane':
        return px, py, (px + py) / 2

    def bump(cx, cy):
        return torch.exp(-((px - cx) ** 2 + (py - cy) ** 2) / (2 * 0.3 * 0.3))

    return px, py, bump(-0.5, -0.5) + bump(0.5, 0.5) - bump(-0.5, 0.5) - bump(0.5, -0.5)


FEATURES = {  # TensorFlow Playground's inputs; the sines are sin(pi x) (engine/data/features.ts)
    'x1': lambda a, b: a,
    'x2': lambda a, b: b,
    'x1sq': lambda a, b: a * a,
    'x2sq': lambda a, b: b * b,
    'x1x2': lambda a, b: a * b,
    'sinx1': lambda a, b: torch.sin(math.pi * a),
    'sinx2': lambda a, b: torch.sin(math.pi * b),
}


def make_toy_data(points=None):
    """The spec's points (or \`points\` of them), split, with the learner's extra points and the input features."""
    g = DATA['generator']
    n = points or g['points']
    seed, classes = g['seed'], g['classes']
    i = torch.arange(n, dtype=torch.int64)
    px, py, label = place(g['kind'], i, uniform(seed, 1, i, 0), uniform(seed, 1, i, 1), classes)
    xy = torch.stack([px + g['noise'] * normal(seed, 2, i, 0), py + g['noise'] * normal(seed, 2, i, 1)], 1).float()
    target = {'signed': lambda l: 2 * l - 1}.get(g['target'], lambda l: l)
    y = target(label).float()
    order = torch.tensor(fisher_yates(n, seed, 3, 0))
    n_val = math.floor(n * g['valFraction'] + 0.5)
    train, val = order[:n - n_val], order[n - n_val:]
    extra = torch.tensor(g['extra'], dtype=torch.float64).reshape(-1, 3)
    train_xy = torch.cat([xy[train], extra[:, :2].float()])
    train_y = torch.cat([y[train], target(extra[:, 2]).float()])

    def inputs(p):
        a, b = p[:, 0].double(), p[:, 1].double()
        return torch.stack([FEATURES[f](a, b) for f in g['features']], 1).float()

    def targets(t):
        return t.long() if CLASSIFICATION else t.reshape(-1, 1)

    return inputs(train_xy), targets(train_y), inputs(xy[val]), targets(y[val])


`;
