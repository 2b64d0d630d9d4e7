// Lowerings of the sequence layers (embedding, positional, attention, rnn/lstm/gru, seqpool) to tensor ops, with
// PyTorch 1.13's parameter layout and state-dict keys. Values are batch-first: [B, T, d] in memory.
//
// Recurrent layers are unrolled over T: the input projection of every step is one matmul up front, then each step
// is a matmul with the shared weight_hh plus the cell's elementwise ops. The shared weights receive one gradient
// contribution per step, which the autodiff sums (the graph is a DAG).

import type { LayerOf } from '../spec/types';
import {
  binary,
  DEFAULT_INIT,
  type LowerState,
  layerInit,
  linear,
  namer,
  param,
  scaled,
  sliceOf,
  unary,
  type Value,
} from './lowering';
import type { TensorId } from './ops';

type Entry<T extends 'embedding' | 'positional' | 'attention' | 'rnn' | 'lstm' | 'gru' | 'seqpool'> = {
  lower(st: LowerState, layer: LayerOf<T>, x: Value, key: string): Value;
  describe?(layer: LayerOf<T>): string;
};

/** PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(t / 10000^(2i/d)), row-major [T, d]. */
export function sinusoidalTable(T: number, d: number): number[] {
  const pe = new Array<number>(T * d).fill(0);
  for (let t = 0; t < T; t++)
    for (let i = 0; 2 * i < d; i++) {
      const angle = t / 10000 ** ((2 * i) / d);
      pe[t * d + 2 * i] = Math.sin(angle);
      if (2 * i + 1 < d) pe[t * d + 2 * i + 1] = Math.cos(angle);
    }
  return pe;
}

const embedding: Entry<'embedding'> = {
  lower(st, layer, x, key) {
    const T = x.shape[0];
    const { vocab, dim } = layer;
    // nn.Embedding draws N(0, 1).
    const table = param(
      st,
      `${key}.weight`,
      'weight',
      [vocab, dim],
      layerInit({ type: 'normal', std: 1 }, vocab, dim, false),
      false,
    );
    const out = st.b.act(namer(st, key)(), [st.batch, T, dim]);
    st.ops.push({ kind: 'gather', table, index: x.t, out, rows: st.batch * T, dim, vocab });
    return { t: out, shape: [T, dim] };
  },
  describe: (l) => `embedding, ${l.vocab} x ${l.dim}`,
};

const positional: Entry<'positional'> = {
  lower(st, layer, x, key) {
    const [T, d] = x.shape;
    const name = namer(st, key);
    let table: TensorId;
    if (layer.kind === 'sinusoidal') table = st.b.constant(`pe.${key}`, [T, d], sinusoidalTable(T, d));
    else {
      const maxLen = layer.maxLen ?? T;
      const w = param(
        st,
        `${key}.weight`,
        'weight',
        [maxLen, d],
        layerInit({ type: 'normal', std: 0.02 }, d, d, false),
        false,
      );
      table = maxLen === T ? w : sliceOf(st, w, 1, maxLen * d, 0, T * d, name('rows'));
    }
    const out = st.b.act(name(), [st.batch, T, d]);
    st.ops.push({ kind: 'add_bcast', a: x.t, b: table, out, outer: st.batch, inner: T * d });
    return { t: out, shape: x.shape };
  },
  describe: (l) => `positional, ${l.kind}`,
};

const attention: Entry<'attention'> = {
  lower(st, layer, x, key) {
    const { b, batch: B } = st;
    const [T, d] = x.shape;
    const H = layer.heads;
    const dh = d / H;
    const name = namer(st, key);
    // nn.MultiheadAttention: xavier_uniform_ in_proj_weight [3d, d], zero biases; out_proj is a Linear (kaiming).
    const inW = param(
      st,
      `${key}.in_proj_weight`,
      'weight',
      [3 * d, d],
      layerInit({ type: 'xavier_uniform', std: 0 }, d, 3 * d, false),
      false,
    );
    const zero = { kind: 'const', value: 0 } as const;
    const inB = param(st, `${key}.in_proj_bias`, 'bias', [3 * d], zero, false);
    const outW = param(st, `${key}.out_proj.weight`, 'weight', [d, d], layerInit(DEFAULT_INIT, d, d, false), false);
    const outB = param(st, `${key}.out_proj.bias`, 'bias', [d], zero, false);
    const rows = B * T;
    const qkv = linear(st, x.t, inW, inB, rows, d, 3 * d, name('qkv'));
    // [B, T, H, dh] -> [B, H, T, dh] for each of q, k, v.
    const heads = (j: number, what: string): TensorId => {
      const flat = sliceOf(st, qkv, rows, 3 * d, j * d, d, name(what));
      const out = b.act(name(`${what}.heads`), [B, H, T, dh]);
      st.ops.push({ kind: 'transpose', x: flat, out, outer: B, a: T, b: H, inner: dh });
      return out;
    };
    const q = heads(0, 'q');
    const k = heads(1, 'k');
    const v = heads(2, 'v');
    const scores = b.act(name('scores'), [B, H, T, T]);
    const alpha = 1 / Math.sqrt(dh);
    st.ops.push({
      kind: 'bmm',
      a: q,
      b: k,
      out: scores,
      batch: B * H,
      m: T,
      n: T,
      k: dh,
      transA: false,
      transB: true,
      alpha,
    });
    // The attention weights [B, H, T, T] (inspection reads this tensor: `act.<key>.weights`).
    const weights = b.act(name('weights'), [B, H, T, T]);
    st.ops.push({ kind: 'softmax', x: scores, out: weights, rows: B * H * T, cols: T, causal: layer.causal ? T : 0 });
    if (st.mode === 'eval') {
      const entry = st.layers.find((l) => l.key === key);
      if (entry) entry.attention = { weights, heads: H, T };
    }
    const ctxH = b.act(name('context.heads'), [B, H, T, dh]);
    st.ops.push({
      kind: 'bmm',
      a: weights,
      b: v,
      out: ctxH,
      batch: B * H,
      m: T,
      n: dh,
      k: T,
      transA: false,
      transB: false,
      alpha: 1,
    });
    const ctx = b.act(name('context'), [B, T, d]);
    st.ops.push({ kind: 'transpose', x: ctxH, out: ctx, outer: B, a: H, b: T, inner: dh });
    const out = b.act(name(), [B, T, d]);
    st.ops.push({ kind: 'matmul', a: ctx, b: outW, bias: outB, out, m: rows, n: d, k: d, transA: false, transB: true });
    return { t: out, shape: [T, d] };
  },
  describe: (l) => `attention, ${l.heads} head${l.heads === 1 ? '' : 's'}${l.causal ? ', causal' : ''}`,
};

/** Gate rows per cell kind (torch order: LSTM i, f, g, o; GRU r, z, n). */
const GATES = { rnn: 1, lstm: 4, gru: 3 } as const;

function recurrent(): Entry<'rnn' | 'lstm' | 'gru'> {
  return {
    lower(st, layer, x, key) {
      const { batch: B } = st;
      const [T, F] = x.shape;
      const Hd = layer.hidden;
      const G = GATES[layer.type];
      const GH = G * Hd;
      const name = namer(st, key);
      const dirs = layer.bidirectional ? ['', '_reverse'] : [''];
      const outputs: TensorId[][] = [];
      // torch: every weight and bias U(-1/sqrt(hidden), 1/sqrt(hidden)).
      const init = (isBias: boolean) => layerInit(DEFAULT_INIT, Hd, Hd, isBias);
      for (const sfx of dirs) {
        const wih = param(st, `${key}.weight_ih_l0${sfx}`, 'weight', [GH, F], init(false), false);
        const whh = param(st, `${key}.weight_hh_l0${sfx}`, 'weight', [GH, Hd], init(false), false);
        const bih = param(st, `${key}.bias_ih_l0${sfx}`, 'bias', [GH], init(true), false);
        const bhh = param(st, `${key}.bias_hh_l0${sfx}`, 'bias', [GH], init(true), false);
        const n = (s: string) => name(`${sfx === '' ? 'f' : 'r'}.${s}`);
        // Input projections of every step at once: [B*T, GH].
        const xw = linear(st, x.t, wih, bih, B * T, F, GH, n('xw'));
        const size = B * Hd;
        // h_{-1} = c_{-1} = 0: a zeroed slice (its gradient is stopped).
        const zero = (() => {
          const s = sliceOf(st, xw, B, T * GH, 0, Hd, n('zero.src'));
          const z = scaled(st, s, size, 0, n('zero.scaled'));
          const out = st.b.act(n('zero'), [B, Hd]);
          st.ops.push({ kind: 'stop_grad', x: z, out, size });
          return out;
        })();
        let h = zero;
        let c = zero;
        const hs: TensorId[] = new Array(T);
        const order = sfx === '' ? [...Array(T).keys()] : [...Array(T).keys()].reverse();
        for (const t of order) {
          const s = (what: string) => n(`${t}.${what}`);
          const xt = sliceOf(st, xw, B, T * GH, t * GH, GH, s('xw'));
          const hw = linear(st, h, whh, bhh, B, Hd, GH, s('hw'));
          const gate = (src: TensorId, j: number, what: string) => sliceOf(st, src, B, GH, j * Hd, Hd, s(what));
          if (layer.type === 'rnn') {
            h = unary(st, 'tanh', binary(st, 'add', xt, hw, B * GH, s('pre')), size, s('h'));
          } else if (layer.type === 'lstm') {
            const pre = binary(st, 'add', xt, hw, B * GH, s('pre'));
            const i = unary(st, 'sigmoid', gate(pre, 0, 'i.pre'), size, s('i'));
            const f = unary(st, 'sigmoid', gate(pre, 1, 'f.pre'), size, s('f'));
            const g = unary(st, 'tanh', gate(pre, 2, 'g.pre'), size, s('g'));
            const o = unary(st, 'sigmoid', gate(pre, 3, 'o.pre'), size, s('o'));
            c = binary(
              st,
              'add',
              binary(st, 'mul', f, c, size, s('fc')),
              binary(st, 'mul', i, g, size, s('ig')),
              size,
              s('c'),
            );
            h = binary(st, 'mul', o, unary(st, 'tanh', c, size, s('tanhc')), size, s('h'));
          } else {
            // r, z from both projections; n = tanh(x_n + r * h_n); h' = n + z * (h - n).
            const r = unary(
              st,
              'sigmoid',
              binary(st, 'add', gate(xt, 0, 'xr'), gate(hw, 0, 'hr'), size, s('r.pre')),
              size,
              s('r'),
            );
            const z = unary(
              st,
              'sigmoid',
              binary(st, 'add', gate(xt, 1, 'xz'), gate(hw, 1, 'hz'), size, s('z.pre')),
              size,
              s('z'),
            );
            const rh = binary(st, 'mul', r, gate(hw, 2, 'hn'), size, s('rh'));
            const nn = unary(st, 'tanh', binary(st, 'add', gate(xt, 2, 'xn'), rh, size, s('n.pre')), size, s('n'));
            const diff = binary(st, 'add', h, scaled(st, nn, size, -1, s('negn')), size, s('hmn'));
            h = binary(st, 'add', nn, binary(st, 'mul', z, diff, size, s('zd')), size, s('h'));
          }
          hs[t] = h;
        }
        outputs.push(hs);
      }
      const D = dirs.length;
      if (!layer.returnSequences) {
        // h_n: the forward direction's last step, then the reverse direction's (which ends at t = 0).
        const finals = outputs.map((hs, d) => (d === 0 ? hs[T - 1] : hs[0]));
        if (D === 1) return { t: finals[0], shape: [Hd] };
        const out = st.b.act(name(), [B, D * Hd]);
        st.ops.push({ kind: 'concat', inputs: finals, out, outer: B, sizes: [Hd, Hd] });
        return { t: out, shape: [D * Hd] };
      }
      const inputs: TensorId[] = [];
      for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) inputs.push(outputs[d][t]);
      const out = st.b.act(name(), [B, T, D * Hd]);
      st.ops.push({ kind: 'concat', inputs, out, outer: B, sizes: inputs.map(() => Hd) });
      return { t: out, shape: [T, D * Hd] };
    },
    describe: (l) => `${l.type}, ${l.hidden} hidden${l.bidirectional ? ', bidirectional' : ''}`,
  };
}

const seqpool: Entry<'seqpool'> = {
  lower(st, layer, x, key) {
    const [T, d] = x.shape;
    const name = namer(st, key);
    if (layer.mode === 'last') return { t: sliceOf(st, x.t, st.batch, T * d, (T - 1) * d, d, name()), shape: [d] };
    const out = st.b.act(name(), [st.batch, d]);
    st.ops.push({ kind: 'mean_axis', x: x.t, out, outer: st.batch, n: T, inner: d });
    return { t: out, shape: [d] };
  },
  describe: (l) => `seqpool, ${l.mode}`,
};

export const SEQUENCE_LOWERINGS = {
  embedding,
  positional,
  attention,
  rnn: recurrent(),
  lstm: recurrent(),
  gru: recurrent(),
  seqpool,
};
