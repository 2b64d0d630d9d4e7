// Op conformance cases: one small, self-contained program fragment per case (tensors with initial data, hot
// hyperparameter words, one op, a step record). Every op kind has at least one case; variants (transposes,
// strides, each activation, each loss, optimizer flags) get their own. Used to check WebGPU against the CPU.
import { ACTIVATION_NAMES, ACTIVATIONS } from '../../../graph/activations';
import type { LossKind, Op, OpKind, TensorId } from '../../../graph/ops';
import type { ArenaName, HyperSlot, HyperSlotName, Program, TensorInfo } from '../../../graph/program';
import { TENSOR_ALIGN } from '../../../graph/program';
import { dropThreshold } from '../../../rng/rng';
import { tensorCases } from './tensorCases';

export type Fill = 'rand' | 'zeros' | 'positive' | { classes: number } | 'binary' | 'ones';

export interface OpCase {
  name: string;
  kind: OpKind;
  program: Program;
  op: Op;
  state: Float32Array;
  act: Float32Array;
  words: Uint32Array;
  step: number;
  lr: number;
  /** StepRecord.momentum override (onecycle), if any. */
  momentum?: number;
}

/** Deterministic data (xorshift), reproducible per case. */
function gen(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Builds one case: declare tensors and slots, then the op. */
export class CaseBuilder {
  private readonly tensors: TensorInfo[] = [];
  private readonly fills: Fill[] = [];
  private readonly hypers: HyperSlot[] = [];
  private readonly hyperValues: number[] = [];
  private readonly size = { state: 0, activations: 0 };

  constructor(
    readonly name: string,
    private readonly seed = 1,
  ) {}

  t(shape: number[], fill: Fill = 'rand', arena: ArenaName = 'activations'): TensorId {
    const id = this.tensors.length;
    const size = shape.reduce((a, b) => a * b, 1);
    const offset = this.size[arena];
    this.size[arena] = offset + Math.ceil(Math.max(size, 1) / TENSOR_ALIGN) * TENSOR_ALIGN;
    this.tensors.push({ id, name: `t${id}`, shape, arena, offset, size, role: 'activation' });
    this.fills.push(fill);
    return id;
  }

  s(shape: number[], fill: Fill = 'rand'): TensorId {
    return this.t(shape, fill, 'state');
  }

  slot(name: HyperSlotName, value: number, type: 'f32' | 'u32' = 'f32'): number {
    const id = this.hypers.length;
    this.hypers.push({ id, name, type });
    this.hyperValues.push(value);
    return id;
  }

  build(kind: OpKind, op: Op, step = 3, lr = 0.05): OpCase {
    const lossT = this.t([1], 'zeros', 'state');
    const state = new Float32Array(Math.max(this.size.state, TENSOR_ALIGN));
    const act = new Float32Array(Math.max(this.size.activations, TENSOR_ALIGN));
    const rnd = gen(this.seed * 7919 + this.tensors.length);
    this.tensors.forEach((t, i) => {
      const arr = (t.arena === 'state' ? state : act).subarray(t.offset, t.offset + t.size);
      const f = this.fills[i];
      for (let j = 0; j < arr.length; j++) {
        const u = rnd();
        if (f === 'rand') arr[j] = u * 2 - 1;
        else if (f === 'positive') arr[j] = 0.1 + u;
        else if (f === 'ones') arr[j] = 1;
        else if (f === 'binary') arr[j] = u < 0.5 ? 0 : 1;
        else if (typeof f === 'object') arr[j] = Math.min(f.classes - 1, Math.floor(u * f.classes));
      }
    });
    const words = new Uint32Array(Math.max(1, this.hypers.length));
    const wf = new Float32Array(words.buffer);
    this.hypers.forEach((h, i) => {
      if (h.type === 'u32') words[i] = this.hyperValues[i] >>> 0;
      else wf[i] = this.hyperValues[i];
    });
    const program = {
      tensors: this.tensors,
      arenas: { state: { size: state.length }, activations: { size: act.length } },
      hypers: this.hypers,
      seed: 42,
      batchSize: 1,
      inputShape: [1],
      outputShape: [1],
      targetShape: [1],
      classes: null,
      params: [],
      regions: { params: { offset: 0, size: 0, tensor: 0 }, grads: { offset: 0, size: 0, tensor: 0 }, optState: {} },
      io: { input: 0, output: 0, target: 0 },
      scalars: { loss: lossT, accuracy: null, gradNormSq: null },
      forward: [],
      metrics: [],
      backward: [],
      clip: [],
      update: [],
      evalIo: { input: 0, output: 0 },
      evalForward: [],
      // No update steps: isStepScalar falls back to `scalars`, so the loss kernel still writes the ring.
      groups: [],
      updateSteps: [],
      evaluations: [],
    } as unknown as Program;
    return { name: this.name, kind, program, op, state, act, words, step, lr };
  }
}

const convDims = (n: number, c: number, h: number, w: number, f: number, k: number, stride: number, pad: number) => ({
  n,
  c,
  h,
  w,
  f,
  kh: k,
  kw: k,
  stride,
  pad,
  oh: Math.floor((h + 2 * pad - k) / stride) + 1,
  ow: Math.floor((w + 2 * pad - k) / stride) + 1,
});

export function allCases(): OpCase[] {
  const cases: OpCase[] = [];
  let seed = 1;
  const B = (name: string) => new CaseBuilder(name, seed++);

  // matmul: every transpose combination, a tiny and a blocked size, with and without bias
  for (const [m, n, k] of [
    [5, 3, 2],
    [64, 36, 20],
    [33, 10, 16],
  ])
    for (const transA of [false, true])
      for (const transB of [false, true]) {
        const b = B(`matmul ${m}x${k}x${n} tA=${transA} tB=${transB}`);
        const a = b.t(transA ? [k, m] : [m, k]);
        const w = b.s(transB ? [n, k] : [k, n]);
        const bias = transA ? null : b.s([n]);
        const out = b.t([m, n], 'zeros');
        cases.push(b.build('matmul', { kind: 'matmul', a, b: w, bias, out, m, n, k, transA, transB }));
      }

  // conv2d and its gradients; pooling and its gradients
  for (const d of [
    convDims(2, 3, 7, 6, 4, 3, 1, 1),
    convDims(2, 2, 9, 8, 3, 3, 2, 1),
    convDims(1, 1, 6, 6, 2, 5, 1, 0),
  ]) {
    const tag = `n${d.n} c${d.c} ${d.h}x${d.w} f${d.f} k${d.kh} s${d.stride} p${d.pad}`;
    let b = B(`conv2d ${tag}`);
    const x = b.t([d.n, d.c, d.h, d.w]);
    const weight = b.s([d.f, d.c, d.kh, d.kw]);
    const bias = b.s([d.f]);
    cases.push(b.build('conv2d', { kind: 'conv2d', ...d, x, weight, bias, out: b.t([d.n, d.f, d.oh, d.ow], 'zeros') }));
    b = B(`conv2d_grad_input ${tag}`);
    const dy = b.t([d.n, d.f, d.oh, d.ow]);
    const w2 = b.s([d.f, d.c, d.kh, d.kw]);
    cases.push(
      b.build('conv2d_grad_input', {
        kind: 'conv2d_grad_input',
        ...d,
        dy,
        weight: w2,
        dx: b.t([d.n, d.c, d.h, d.w], 'zeros'),
      }),
    );
    b = B(`conv2d_grad_weight ${tag}`);
    const x3 = b.t([d.n, d.c, d.h, d.w]);
    const dy3 = b.t([d.n, d.f, d.oh, d.ow]);
    cases.push(
      b.build('conv2d_grad_weight', {
        kind: 'conv2d_grad_weight',
        ...d,
        x: x3,
        dy: dy3,
        dweight: b.s([d.f, d.c, d.kh, d.kw], 'zeros'),
      }),
    );
  }
  for (const [k, s] of [
    [2, 2],
    [3, 2],
    [2, 1],
  ]) {
    const d = { ...convDims(2, 3, 7, 6, 3, k, s, 0) };
    const tag = `k${k} s${s}`;
    for (const kind of ['maxpool2d', 'avgpool2d'] as const) {
      let b = B(`${kind} ${tag}`);
      const x = b.t([d.n, d.c, d.h, d.w]);
      cases.push(b.build(kind, { kind, ...d, x, out: b.t([d.n, d.c, d.oh, d.ow], 'zeros') }));
      b = B(`${kind}_grad ${tag}`);
      const x2 = b.t([d.n, d.c, d.h, d.w]);
      const dy = b.t([d.n, d.c, d.oh, d.ow]);
      const dx = b.t([d.n, d.c, d.h, d.w], 'zeros');
      if (kind === 'maxpool2d') cases.push(b.build('maxpool2d_grad', { kind: 'maxpool2d_grad', ...d, x: x2, dy, dx }));
      else cases.push(b.build('avgpool2d_grad', { kind: 'avgpool2d_grad', ...d, dy, dx }));
    }
  }

  // normalisation
  // (the last shapes exceed the one-invocation-per-group limit and use the cooperative workgroup kernels)
  for (const [outer, channels, inner] of [
    [16, 5, 1],
    [4, 3, 10],
    [8, 2, 300],
  ]) {
    const tag = `${outer}x${channels}x${inner}`;
    let b = B(`batchnorm ${tag}`);
    const x = b.t([outer, channels, inner]);
    const g = b.s([channels]);
    const be = b.s([channels]);
    const rm = b.s([channels]);
    const rv = b.s([channels], 'positive');
    cases.push(
      b.build('batchnorm', {
        kind: 'batchnorm',
        x,
        gamma: g,
        beta: be,
        out: b.t([outer, channels, inner], 'zeros'),
        runningMean: rm,
        runningVar: rv,
        saveMean: b.t([channels], 'zeros'),
        saveInvStd: b.t([channels], 'zeros'),
        outer,
        channels,
        inner,
        eps: 1e-5,
        momentum: 0.1,
      }),
    );
    b = B(`batchnorm_eval ${tag}`);
    cases.push(
      b.build('batchnorm_eval', {
        kind: 'batchnorm_eval',
        x: b.t([outer, channels, inner]),
        gamma: b.s([channels]),
        beta: b.s([channels]),
        out: b.t([outer, channels, inner], 'zeros'),
        runningMean: b.s([channels]),
        runningVar: b.s([channels], 'positive'),
        outer,
        channels,
        inner,
        eps: 1e-5,
      }),
    );
    b = B(`batchnorm_grad ${tag}`);
    cases.push(
      b.build('batchnorm_grad', {
        kind: 'batchnorm_grad',
        x: b.t([outer, channels, inner]),
        gamma: b.s([channels]),
        saveMean: b.t([channels]),
        saveInvStd: b.t([channels], 'positive'),
        dy: b.t([outer, channels, inner]),
        dx: b.t([outer, channels, inner], 'zeros'),
        dgamma: b.s([channels], 'zeros'),
        dbeta: b.s([channels], 'zeros'),
        outer,
        channels,
        inner,
      }),
    );
  }
  for (const [rows, cols] of [
    [8, 6],
    [3, 100],
    [2, 2100],
  ]) {
    let b = B(`layernorm ${rows}x${cols}`);
    cases.push(
      b.build('layernorm', {
        kind: 'layernorm',
        x: b.t([rows, cols]),
        gamma: b.s([cols]),
        beta: b.s([cols]),
        out: b.t([rows, cols], 'zeros'),
        saveMean: b.t([rows], 'zeros'),
        saveInvStd: b.t([rows], 'zeros'),
        rows,
        cols,
        eps: 1e-5,
      }),
    );
    b = B(`layernorm_grad ${rows}x${cols}`);
    cases.push(
      b.build('layernorm_grad', {
        kind: 'layernorm_grad',
        x: b.t([rows, cols]),
        gamma: b.s([cols]),
        saveMean: b.t([rows]),
        saveInvStd: b.t([rows], 'positive'),
        dy: b.t([rows, cols]),
        dx: b.t([rows, cols], 'zeros'),
        dgamma: b.s([cols], 'zeros'),
        dbeta: b.s([cols], 'zeros'),
        rows,
        cols,
      }),
    );
  }

  // pointwise
  for (const fn of ACTIVATION_NAMES) {
    const param = fn === 'leaky_relu' ? 0.05 : fn === 'elu' ? 1.3 : 0;
    let b = B(`unary ${fn}`);
    const size = 200;
    const x = b.t([size]);
    cases.push(b.build('unary', { kind: 'unary', fn, param, x, out: b.t([size], 'zeros'), size }));
    b = B(`unary_grad ${fn}`);
    const x2 = b.t([size]);
    const y2 = b.t([size], 'zeros');
    const c = b.build('unary_grad', {
      kind: 'unary_grad',
      fn,
      param,
      x: x2,
      y: y2,
      dy: b.t([size]),
      dx: b.t([size], 'zeros'),
      size,
    });
    cases.push(fillY(c, fn, param, x2, y2));
  }
  {
    const size = 300;
    let b = B('add');
    cases.push(b.build('add', { kind: 'add', a: b.t([size]), b: b.t([size]), out: b.t([size], 'zeros'), size }));
    b = B('add in place');
    const a = b.t([size]);
    cases.push(b.build('add', { kind: 'add', a, b: b.t([size]), out: a, size }));
    b = B('mul');
    cases.push(b.build('mul', { kind: 'mul', a: b.t([size]), b: b.t([size]), out: b.t([size], 'zeros'), size }));
    b = B('channel_sum');
    cases.push(
      b.build('channel_sum', {
        kind: 'channel_sum',
        x: b.t([6, 4, 5]),
        out: b.s([4], 'zeros'),
        outer: 6,
        channels: 4,
        inner: 5,
      }),
    );
    for (const rate of [0, 0.3]) {
      b = B(`dropout rate ${rate}`);
      const threshold = b.slot('dropout.threshold:1', dropThreshold(rate), 'u32');
      const scale = b.slot('dropout.scale:1', 1 / (1 - rate));
      cases.push(
        b.build('dropout', {
          kind: 'dropout',
          x: b.t([size]),
          out: b.t([size], 'zeros'),
          mask: b.t([size], 'zeros'),
          size,
          threshold,
          scale,
          stream: 3,
        }),
      );
    }
  }

  // losses, their gradients, accuracy
  const losses: LossKind[] = ['mse', 'mae', 'huber', 'bce_logits', 'cross_entropy'];
  // 37 rows: one-invocation kernels; 900 rows: the cooperative workgroup kernels.
  const lossShapes: [LossKind, number][] = [
    ...losses.map((l): [LossKind, number] => [l, 37]),
    ['mse', 900],
    ['cross_entropy', 900],
  ];
  for (const [loss, rows] of lossShapes) {
    const cols = loss === 'cross_entropy' ? 5 : 3;
    for (const kind of ['loss', 'loss_grad'] as const) {
      const b = B(`${kind} ${loss} ${rows}x${cols}`);
      const pred = b.t([rows, cols]);
      const target =
        loss === 'cross_entropy'
          ? b.t([rows], { classes: cols })
          : loss === 'bce_logits'
            ? b.t([rows, cols], 'binary')
            : b.t([rows, cols]);
      const smoothing = loss === 'cross_entropy' ? b.slot('labelSmoothing', 0.1) : -1;
      const delta = loss === 'huber' ? 0.4 : 0;
      const common = { loss, pred, target, rows, cols, delta, smoothing };
      if (kind === 'loss') cases.push(b.build('loss', { kind: 'loss', ...common, out: b.s([1], 'zeros') }));
      else cases.push(b.build('loss_grad', { kind: 'loss_grad', ...common, dpred: b.t([rows, cols], 'zeros') }));
    }
  }
  {
    let b = B('accuracy argmax');
    cases.push(
      b.build('accuracy', {
        kind: 'accuracy',
        mode: 'argmax',
        pred: b.t([40, 4]),
        target: b.t([40], { classes: 4 }),
        out: b.s([1], 'zeros'),
        rows: 40,
        cols: 4,
      }),
    );
    b = B('accuracy threshold');
    cases.push(
      b.build('accuracy', {
        kind: 'accuracy',
        mode: 'threshold',
        pred: b.t([40, 2]),
        target: b.t([40, 2], 'binary'),
        out: b.s([1], 'zeros'),
        rows: 40,
        cols: 2,
      }),
    );
  }

  // regularisation and clipping
  {
    const size = 500;
    let b = B('penalty_grad');
    const l1 = b.slot('l1', 0.01);
    const l2 = b.slot('l2', 0.02);
    cases.push(b.build('penalty_grad', { kind: 'penalty_grad', w: b.s([size]), dw: b.s([size]), size, l1, l2 }));
    for (const n of [size * 3, 20000]) {
      b = B(`sum_squares ${n}`);
      cases.push(b.build('sum_squares', { kind: 'sum_squares', x: b.s([n]), out: b.s([1], 'zeros'), size: n }));
    }
    b = B('clip_norm');
    const maxNorm = b.slot('clipGradNorm', 0.5);
    cases.push(
      b.build('clip_norm', { kind: 'clip_norm', x: b.s([size]), normSq: b.s([1], 'positive'), size, maxNorm }),
    );
    b = B('clip_value');
    const value = b.slot('clipGradValue', 0.3);
    cases.push(b.build('clip_value', { kind: 'clip_value', x: b.s([size]), size, value }));
  }

  // optimizers with a per-step momentum / beta1 from the step record (onecycle)
  {
    let b = B('sgd_update momentum from the step record');
    const sgd = b.build('sgd_update', {
      kind: 'sgd_update',
      param: b.s([300]),
      grad: b.s([300]),
      momentumBuf: b.s([300]),
      size: 300,
      momentum: b.slot('momentum', 0.9),
      dampening: b.slot('dampening', 0),
      weightDecay: b.slot('weightDecay', 0.01),
      nesterov: false,
    });
    cases.push({ ...sgd, momentum: 0.85 });
    b = B('adam_update beta1 from the step record');
    const adam = b.build('adam_update', {
      kind: 'adam_update',
      param: b.s([300]),
      grad: b.s([300]),
      expAvg: b.s([300]),
      expAvgSq: b.s([300], 'positive'),
      size: 300,
      beta1: b.slot('beta1', 0.9),
      beta2: b.slot('beta2', 0.999),
      eps: b.slot('eps', 1e-8),
      weightDecay: b.slot('weightDecay', 0.01),
      decoupled: true,
    });
    cases.push({ ...adam, momentum: 0.87 });
  }

  // optimizers (step 3 and the first step, where SGD momentum starts its buffer)
  const size = 300;
  for (const step of [0, 3])
    for (const [momentum, nesterov] of [
      [0, false],
      [0.9, false],
      [0.9, true],
    ] as const) {
      const b = B(`sgd_update m=${momentum} nesterov=${nesterov} step=${step}`);
      const mo = b.slot('momentum', momentum);
      const da = b.slot('dampening', nesterov ? 0 : 0.1);
      const wd = b.slot('weightDecay', 0.01);
      cases.push(
        b.build(
          'sgd_update',
          {
            kind: 'sgd_update',
            param: b.s([size]),
            grad: b.s([size]),
            momentumBuf: b.s([size]),
            size,
            momentum: mo,
            dampening: da,
            weightDecay: wd,
            nesterov,
          },
          step,
        ),
      );
    }
  for (const [centered, momentum] of [
    [false, 0],
    [true, 0.5],
  ] as const) {
    const b = B(`rmsprop_update centered=${centered} m=${momentum}`);
    cases.push(
      b.build('rmsprop_update', {
        kind: 'rmsprop_update',
        param: b.s([size]),
        grad: b.s([size]),
        squareAvg: b.s([size], 'positive'),
        gradAvg: b.s([size], 'zeros'),
        momentumBuf: b.s([size]),
        size,
        alpha: b.slot('alpha', 0.99),
        eps: b.slot('eps', 1e-8),
        momentum: b.slot('momentum', momentum),
        weightDecay: b.slot('weightDecay', 0.01),
        centered,
      }),
    );
  }
  {
    const b = B('adagrad_update');
    cases.push(
      b.build('adagrad_update', {
        kind: 'adagrad_update',
        param: b.s([size]),
        grad: b.s([size]),
        sum: b.s([size], 'positive'),
        size,
        eps: b.slot('eps', 1e-10),
        weightDecay: b.slot('weightDecay', 0.01),
        lrDecay: b.slot('lrDecay', 0.01),
      }),
    );
  }
  for (const decoupled of [false, true]) {
    const b = B(`adam_update decoupled=${decoupled}`);
    cases.push(
      b.build('adam_update', {
        kind: 'adam_update',
        param: b.s([size]),
        grad: b.s([size]),
        expAvg: b.s([size]),
        expAvgSq: b.s([size], 'positive'),
        size,
        beta1: b.slot('beta1', 0.9),
        beta2: b.slot('beta2', 0.999),
        eps: b.slot('eps', 1e-8),
        weightDecay: b.slot('weightDecay', 0.01),
        decoupled,
      }),
    );
  }
  cases.push(...tensorCases(B));
  return cases;
}

/** unary_grad reads y = f(x): fill y from the shared activation table so the derivative sees consistent values. */
function fillY(c: OpCase, fn: (typeof ACTIVATION_NAMES)[number], param: number, x: TensorId, y: TensorId): OpCase {
  const tx = c.program.tensors[x];
  const ty = c.program.tensors[y];
  for (let j = 0; j < tx.size; j++) c.act[ty.offset + j] = ACTIVATIONS[fn].f(c.act[tx.offset + j], param);
  return c;
}
