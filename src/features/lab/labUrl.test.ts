import { describe, expect, it } from 'vitest';
import type { DataSpec, ExperimentSpec, LayerSpec, NormalizedSpec } from '../../../engine/index';
import { encodeSpec, validateSpec } from '../../../engine/index';
import { DEFAULT_SPECS, LIMITS_2D, LIMITS_MNIST, MNIST_CNN } from './catalog';
import {
  DEFAULT_VIEW,
  defaultSpec,
  type LabUrlState,
  labLimitProblem,
  PANELS,
  type PresetSource,
  parseLabUrl,
  writeLabUrl,
} from './labUrl';

function valid(raw: ExperimentSpec): NormalizedSpec {
  const v = validateSpec(raw);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('\n'));
  return v.value;
}

const hidden = (n: number, units: number): LayerSpec[] =>
  Array.from({ length: n }, (): LayerSpec[] => [{ type: 'dense', units }, { type: 'relu' }]).flat();

const spiral = (over: Partial<ExperimentSpec> = {}): ExperimentSpec => ({
  ...structuredClone(DEFAULT_SPECS.classify2d),
  ...over,
});

const SPIRAL_DATA = DEFAULT_SPECS.classify2d.data as DataSpec;

const PRESETS: Record<string, PresetSource> = {
  spiral: { spec: DEFAULT_SPECS.classify2d },
  duel: {
    spec: DEFAULT_SPECS.classify2d,
    compare: { spec: spiral({ optimizer: { type: 'sgd', lr: 0.1 } }) },
  },
  broken: { spec: { model: 'nope' } },
};
const presetById = (id: string) => PRESETS[id];
const parse = (search: string) => parseLabUrl(search, presetById);

describe('writeLabUrl / parseLabUrl', () => {
  it('round-trips A, B, preset and the whole view', () => {
    const a = valid(
      spiral({
        data: {
          kind: 'spiral',
          points: 800,
          noise: 0.03,
          valFraction: 0.25,
          classes: 3,
          seed: 9,
          features: ['x1', 'x2', 'x1x2'],
        },
        model: {
          input: [3],
          layers: [
            { type: 'dense', units: 24, init: { type: 'he_normal' } },
            { type: 'batchnorm' },
            { type: 'leaky_relu', slope: 0.2 },
            {
              type: 'residual',
              layers: [{ type: 'dense', units: 24 }, { type: 'tanh' }, { type: 'dropout', rate: 0.15 }],
            },
            { type: 'dense', units: 3, init: { type: 'normal', std: 0.05 } },
          ],
        },
        loss: { type: 'cross_entropy', labelSmoothing: 0.1 },
        optimizer: { type: 'adamw', lr: 0.003, betas: [0.85, 0.995], weightDecay: 0.02 },
        schedule: { type: 'onecycle', maxLr: 0.03, totalSteps: 3000, pctStart: 0.25 },
        regularization: { l1: 1e-5, l2: 1e-4, clipGradNorm: 1.5 },
        training: { batchSize: 48, seed: 123, steps: 3000 },
      }),
    );
    const b = valid(spiral({ ...asRaw(a), optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true } }));
    const state: LabUrlState = {
      a,
      b,
      preset: 'spiral',
      view: { hidden: ['weights', 'lr', 'activations'], present: true, logScale: true },
    };
    const url = writeLabUrl(state);
    expect(url.startsWith('?')).toBe(true);
    expect(url).toContain('hide=weights,lr,activations');
    const back = parse(url);
    expect(back.problems).toEqual([]);
    expect(back.fellBack).toBe(false);
    expect(back.state).toEqual(state);
  });

  it('round-trips the defaults, an MNIST CNN and every schedule exactly', () => {
    const states: LabUrlState[] = [
      { a: defaultSpec(), b: null, preset: null, view: DEFAULT_VIEW },
      {
        a: valid(MNIST_CNN),
        b: valid(DEFAULT_SPECS.mnist),
        preset: null,
        view: { ...DEFAULT_VIEW, hidden: ['mnist'] },
      },
    ];
    const schedules: ExperimentSpec['schedule'][] = [
      { type: 'step', stepSize: 100, gamma: 0.5, warmupSteps: 10 },
      { type: 'exponential', gamma: 0.999 },
      { type: 'cosine', totalSteps: 500, minLr: 1e-5 },
      { type: 'cosine_restarts', t0: 100, tMult: 2 },
      { type: 'plateau', factor: 0.5, patience: 3 },
    ];
    for (const schedule of schedules)
      states.push({ a: valid(spiral({ schedule })), b: null, preset: null, view: DEFAULT_VIEW });
    for (const s of states) {
      const back = parse(writeLabUrl(s));
      expect(back.problems).toEqual([]);
      expect(back.state).toEqual(s);
    }
  });

  it('keeps numbers exact (no float drift through the link)', () => {
    const a = valid(spiral({ optimizer: { type: 'adam', lr: 0.1 + 0.2 }, data: { ...SPIRAL_DATA, noise: 1 / 3 } }));
    const back = parse(writeLabUrl({ a, b: null, preset: null, view: DEFAULT_VIEW })).state.a;
    expect(back.optimizer.lr).toBe(0.1 + 0.2);
    expect(back.data?.noise).toBe(1 / 3);
  });

  it('opens a preset (with its comparison) when the link has no spec', () => {
    const r = parse('?preset=duel');
    expect(r.problems).toEqual([]);
    expect(r.state.preset).toBe('duel');
    expect(r.state.a).toEqual(defaultSpec());
    expect(r.state.b?.optimizer.type).toBe('sgd');
    // With s=, the link's spec wins over the preset's.
    const s = encodeSpec(valid(spiral({ optimizer: { type: 'adam', lr: 0.05 } })));
    const r2 = parse(`?preset=duel&s=${s}`);
    expect(r2.state.a.optimizer.lr).toBe(0.05);
    expect(r2.state.b).toBeNull();
    expect(r2.state.preset).toBe('duel');
  });

  it('opens the defaults quietly for an empty query', () => {
    const r = parse('');
    expect(r).toEqual({
      state: { a: defaultSpec(), b: null, view: DEFAULT_VIEW, preset: null },
      problems: [],
      fellBack: false,
    });
  });
});

describe('parseLabUrl on malformed links', () => {
  const good = encodeSpec(defaultSpec());
  const swap = (from: string, to: string) => {
    expect(good).toContain(from);
    return good.replace(from, to);
  };
  const withLayers = (layers: LayerSpec[], over: Partial<ExperimentSpec> = {}) =>
    encodeSpec(spiral({ model: { input: [2], layers }, ...over }));

  /** Links whose spec A cannot be opened: problems, and the defaults instead. */
  const unreadable: [string, string][] = [
    ['garbage', '?s=%%%garbage!!'],
    ['control characters', `?s=${encodeURIComponent('d_k3\u0000')}`],
    ['empty s', '?s='],
    ['only separators', '?s=~~~'],
    ['an out-of-range data kind', `?s=${swap('d_k3', 'd_k99')}`],
    ['an out-of-range optimizer', `?s=${swap('o_t3', 'o_t9')}`],
    ['an out-of-range layer type', `?s=${swap('L_t8', 'L_t42')}`],
    ['an out-of-range feature index', `?s=${swap('f01', 'f09')}`],
    ['NaN', `?s=${swap('lr0.01', 'lrNaN')}`],
    ['a NaN built from dots', `?s=${swap('lr0.01', 'lr..')}`],
    ['Infinity', `?s=${swap('lr0.01', 'lrInfinity')}`],
    ['an overflowing number', `?s=${swap('lr0.01', 'lr1e999')}`],
    ['zero lr', `?s=${swap('lr0.01', 'lr0')}`],
    ['negative units', `?s=${swap('u16', 'u-16')}`],
    ['fractional units', `?s=${swap('u16', 'u16.5')}`],
    ['zero units', `?s=${swap('u16', 'u0')}`],
    [
      'too many layers for the Lab',
      `?s=${withLayers([...hidden(LIMITS_2D.layers + 1, 4), { type: 'dense', units: 2 }])}`,
    ],
    ['too many layers for the engine', `?s=${withLayers([...hidden(40, 4), { type: 'dense', units: 2 }])}`],
    ['a too-wide layer', `?s=${withLayers([...hidden(1, LIMITS_2D.units + 1), { type: 'dense', units: 2 }])}`],
    ['a batch too big for the Lab', `?s=${swap('t_b32', 't_b1500').replace('p500', 'p2000')}`],
    ['a batch too big for the engine', `?s=${swap('t_b32', 't_b99999')}`],
    ['too few points', `?s=${swap('p500', 'p20')}`],
    ['an unclosed residual', `?s=${swap('i_2~', 'i_2~R~')}`],
    ['a stray residual end', `?s=${swap('i_2~', 'i_2~E~')}`],
    ['an unknown section', `?s=${good}~Q_x1`],
    ['an unknown field', `?s=${swap('o_t3', 'o_t3_zz5')}`],
    ['a token without a value', `?s=${swap('o_t3', 'o_t3_lr')}`],
    ['no model', `?s=${good.split('~i')[0]}`],
    ['an output that does not fit the classes', `?s=${swap('u2', 'u5')}`],
    ['an over-long s', `?s=${good}${'~L_t8'.repeat(900)}`],
    ['an unknown preset', '?preset=no-such-thing'],
    ['an invalid preset spec', '?preset=broken'],
    ['an unknown preset and a broken s', '?preset=nope&s=zz'],
  ];

  it.each(unreadable)('%s: problems, and the default spec opens instead', (_name, search) => {
    let r: ReturnType<typeof parse> | undefined;
    expect(() => {
      r = parse(search);
    }).not.toThrow();
    expect(r?.problems.length).toBeGreaterThan(0);
    for (const p of r?.problems ?? []) expect(typeof p).toBe('string');
    expect(r?.fellBack).toBe(true);
    expect(r?.state.a).toEqual(defaultSpec());
    expect(r?.state.b).toBeNull();
    expect(r?.state.preset).toBeNull();
  });

  it('says which limit a too-large spec breaks, and how long an over-long one is', () => {
    const big = parse(`?s=${withLayers([...hidden(1, 600), { type: 'dense', units: 2 }])}`).problems[0];
    expect(big).toContain('too large for the Lab');
    expect(big).toContain('600 units');
    const long = `${good}${'~L_t8'.repeat(900)}`;
    expect(parse(`?s=${long}`).problems[0]).toContain(`${long.length} characters`);
    // Many decode errors are cut to three, with a count of the rest.
    const many = parse(`?s=${swap('o_t3', 'o_t3_q1_q2_q3_q4_q5')}`).problems[0];
    expect(many).toContain('(and 2 more)');
  });

  /** Links whose A opens, with a problem about something else. */
  const partial: [string, string, (r: ReturnType<typeof parse>) => void][] = [
    ['an unknown parameter', `?s=${good}&utm_source=x`, (r) => expect(r.problems[0]).toContain('utm_source')],
    ['an unknown panel', `?s=${good}&hide=curves,telepathy`, (r) => expect(r.state.view.hidden).toEqual(['curves'])],
    ['an empty panel id', `?s=${good}&hide=curves,,lr`, (r) => expect(r.state.view.hidden).toEqual(['curves', 'lr'])],
    ['an unknown preset beside a good s', `?preset=nope&s=${good}`, (r) => expect(r.state.preset).toBeNull()],
    [
      'a B of a different task',
      `?s=${good}&b=${encodeSpec(valid(DEFAULT_SPECS.regress2d))}`,
      (r) => expect(r.state.b).toBeNull(),
    ],
    [
      'a B of MNIST beside a 2-D A',
      `?s=${good}&b=${encodeSpec(valid(DEFAULT_SPECS.mnist))}`,
      (r) => expect(r.state.b).toBeNull(),
    ],
    ['an unreadable B', `?s=${good}&b=garbage`, (r) => expect(r.state.b).toBeNull()],
    [
      'a too-large B',
      `?s=${good}&b=${swap('t_b32', 't_b1500').replace('p500', 'p2000')}`,
      (r) => expect(r.state.b).toBeNull(),
    ],
  ];

  it.each(partial)('%s: a problem, and A still opens', (_name, search, check) => {
    const r = parse(search);
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.fellBack).toBe(false);
    expect(r.state.a).toEqual(defaultSpec());
    check(r);
  });

  it('only "1" turns present and log on', () => {
    const r = parse(`?s=${good}&present=yes&log=true`);
    expect(r.state.view).toEqual({ hidden: [], present: false, logScale: false });
    expect(parse(`?s=${good}&present=1&log=1`).state.view).toMatchObject({ present: true, logScale: true });
  });

  it('knows every panel', () => {
    const all = PANELS.map((p) => p.id);
    const r = parse(`?s=${good}&hide=${all.join(',')}`);
    expect(r.problems).toEqual([]);
    expect(r.state.view.hidden).toEqual(all);
  });
});

describe('labLimitProblem', () => {
  const net = (n: number, units: number, out = 2) =>
    spiral({ model: { input: [2], layers: [...hidden(n, units), { type: 'dense', units: out }] } });

  it('accepts what the editor can build: 12 dense layers after 4 conv blocks of 64 filters', () => {
    const layers: LayerSpec[] = [
      ...Array.from({ length: LIMITS_MNIST.convBlocks }, (_, i): LayerSpec[] => [
        { type: 'conv2d', filters: LIMITS_MNIST.filters, kernel: 3, padding: 1 },
        { type: 'relu' },
        ...(i < 2 ? [{ type: 'maxpool2d', kernel: 2 } as LayerSpec] : []),
      ]).flat(),
      { type: 'flatten' },
      ...hidden(LIMITS_2D.layers, 8),
      { type: 'dense', units: 10 },
    ];
    const s = valid({ ...MNIST_CNN, model: { input: [1, 28, 28], layers }, training: { batchSize: 8 } });
    expect(labLimitProblem(s)).toBeNull();
    const r = parse(writeLabUrl({ a: s, b: null, preset: null, view: DEFAULT_VIEW }));
    expect(r.problems).toEqual([]);
    expect(r.state.a).toEqual(s);
  });

  it('accepts the defaults and specs right at the limits', () => {
    expect(labLimitProblem(defaultSpec())).toBeNull();
    expect(labLimitProblem(valid(DEFAULT_SPECS.mnist))).toBeNull();
    expect(labLimitProblem(valid(MNIST_CNN))).toBeNull();
    expect(labLimitProblem(valid(net(LIMITS_2D.layers, LIMITS_2D.units)))).toBeNull();
    expect(
      labLimitProblem(
        valid(spiral({ data: { ...SPIRAL_DATA, points: 2000 }, training: { batchSize: LIMITS_2D.batch[1] } })),
      ),
    ).toBeNull();
    for (const points of LIMITS_2D.points)
      expect(labLimitProblem(valid(spiral({ data: { ...SPIRAL_DATA, points } })))).toBeNull();
  });

  it('names each limit it breaks', () => {
    expect(labLimitProblem(valid(net(LIMITS_2D.layers + 1, 4)))).toBe(
      `the network has ${LIMITS_2D.layers + 1} hidden layers; the Lab allows ${LIMITS_2D.layers}`,
    );
    expect(labLimitProblem(valid(net(1, LIMITS_2D.units + 1)))).toBe(
      `a layer has ${LIMITS_2D.units + 1} units; the Lab allows ${LIMITS_2D.units}`,
    );
    expect(
      labLimitProblem(valid(spiral({ data: { ...SPIRAL_DATA, points: 2000 }, training: { batchSize: 1025 } }))),
    ).toBe('the batch size is 1025; the Lab allows 1024');
    expect(labLimitProblem(valid(spiral({ data: { ...SPIRAL_DATA, points: 2001 } })))).toBe(
      'the data has 2001 points; the Lab allows 100 to 2000',
    );
    expect(labLimitProblem(valid(spiral({ data: { ...SPIRAL_DATA, points: 99 } })))).toContain('99 points');
    const { data: _none, ...noData } = spiral();
    expect(labLimitProblem(valid(noData))).toBe('the experiment has no data section');
  });

  it('counts layers inside residual blocks', () => {
    const layers: LayerSpec[] = [
      ...hidden(1, 8),
      ...Array.from({ length: LIMITS_2D.layers }, (): LayerSpec => ({ type: 'residual', layers: hidden(1, 8) })),
      { type: 'dense', units: 2 },
    ];
    expect(labLimitProblem(valid(spiral({ model: { input: [2], layers } })))).toContain('hidden layers');
  });

  it('allows MNIST wider dense layers, up to its own limit', () => {
    const mnist = (units: number) =>
      valid({
        ...DEFAULT_SPECS.mnist,
        model: { input: [784], layers: [...hidden(1, units), { type: 'dense', units: 10 }] },
      });
    expect(labLimitProblem(mnist(LIMITS_MNIST.units))).toBeNull();
    expect(labLimitProblem(mnist(LIMITS_MNIST.units + 1))).toContain(`the Lab allows ${LIMITS_MNIST.units}`);
  });

  it('holds MNIST convolutions to the editor limits (filters, conv blocks)', () => {
    const cnn = (filters: number[]) =>
      valid({
        ...MNIST_CNN,
        model: {
          input: [1, 28, 28],
          layers: [
            ...filters.flatMap((f): LayerSpec[] => [
              { type: 'conv2d', filters: f, kernel: 3, padding: 1 },
              { type: 'relu' },
            ]),
            { type: 'maxpool2d', kernel: 2 },
            { type: 'flatten' },
            { type: 'dense', units: 10 },
          ],
        },
        training: { batchSize: 8 },
      });
    expect(labLimitProblem(cnn([LIMITS_MNIST.filters]))).toBeNull();
    expect(labLimitProblem(cnn([LIMITS_MNIST.filters + 1]))).toContain(`the Lab allows ${LIMITS_MNIST.filters}`);
    expect(labLimitProblem(cnn(Array(LIMITS_MNIST.convBlocks).fill(4)))).toBeNull();
    expect(labLimitProblem(cnn(Array(LIMITS_MNIST.convBlocks + 1).fill(4)))).toContain(
      `the Lab allows ${LIMITS_MNIST.convBlocks}`,
    );
  });
});

function asRaw(s: NormalizedSpec): ExperimentSpec {
  const c = structuredClone(s) as unknown as ExperimentSpec & { data?: unknown };
  if (c.data === null) delete c.data;
  return c;
}
