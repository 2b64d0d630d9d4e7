// Lowerings for generative models: stop_gradient (detach) and sample_normal (the VAE reparameterisation with its KL
// term). The KL term is a loss term without targets: a scalar the layer computes, with a constant seed gradient
// (its weight) that the autodiff starts from beside the data loss.

import type { LayerOf } from '../spec/types';
import { binary, type LowerState, namer, scaled, sliceOf, stream, type Value } from './lowering';

interface Entry<T extends 'stop_gradient' | 'sample_normal'> {
  lower(st: LowerState, layer: LayerOf<T>, x: Value, key: string): Value;
}

const stopGradient: Entry<'stop_gradient'> = {
  lower(st, _layer, x, key) {
    const size = st.batch * x.shape.reduce((a, b) => a * b, 1);
    const out = st.b.act(namer(st, key)(), [st.batch, ...x.shape]);
    st.ops.push({ kind: 'stop_grad', x: x.t, out, size });
    return { t: out, shape: x.shape };
  },
};

const sampleNormal: Entry<'sample_normal'> = {
  lower(st, layer, x, key) {
    const B = st.batch;
    const k = x.shape[0] / 2;
    const size = B * k;
    const name = namer(st, key);
    const mu = sliceOf(st, x.t, B, 2 * k, 0, k, name('mu'));
    if (st.mode === 'eval') return { t: mu, shape: [k] }; // the mean in evaluation
    const logvar = sliceOf(st, x.t, B, 2 * k, k, k, name('logvar'));
    const std = st.b.act(name('std'), [B, k]);
    st.ops.push({ kind: 'exp', x: logvar, out: std, size, factor: 0.5 });
    const eps = st.b.act(name('eps'), [B, k], 'saved');
    st.ops.push({ kind: 'randn', out: eps, size, stream: stream(st, key) });
    const z = binary(st, 'add', mu, binary(st, 'mul', std, eps, size, name('noise')), size, name());
    // KL = -1/2 sum(1 + logvar - mu^2 - exp(logvar)) per example; the constant 1 has no gradient, so the term's
    // scalar is sum(logvar - mu^2 - exp(logvar)) and its seed -klWeight / (2B) (the batch mean).
    const mu2 = binary(st, 'mul', mu, mu, size, name('kl.mu2'));
    const ev = st.b.act(name('kl.var'), [B, k]);
    st.ops.push({ kind: 'exp', x: logvar, out: ev, size, factor: 1 });
    const a = binary(st, 'add', logvar, scaled(st, mu2, size, -1, name('kl.negmu2')), size, name('kl.a'));
    const c = binary(st, 'add', a, scaled(st, ev, size, -1, name('kl.negvar')), size, name('kl.terms'));
    const sum = st.b.act(name('kl.sum'), [1]);
    st.ops.push({ kind: 'sum', x: c, out: sum, size });
    const seed = st.b.constant(`seed.${key}`, [1], [-layer.klWeight / (2 * B)]);
    st.terms.push({ t: sum, seed });
    return { t: z, shape: [k] };
  },
};

export const GENERATIVE_LOWERINGS = { stop_gradient: stopGradient, sample_normal: sampleNormal };
