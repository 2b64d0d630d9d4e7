// The three benchmark networks in TF.js 4.22, trained by a hand-written step (optimizer.minimize over our own
// variables) rather than model.fit, so TF.js does no per-epoch bookkeeping we don't: each step is forward, loss,
// backward, update. Fused matMul/conv2d with bias and relu (what tf.layers uses) give TF.js its fastest kernels.
// A small pool of batches is uploaded once and cycled, so no step uploads data (this favours TF.js slightly: our
// engine gathers every batch through a shuffled index buffer on the device).

import * as tf from '@tensorflow/tfjs';
import type { Trainer } from '../harness';
import { type NetDef, randomData } from '../nets';

type Act = 'linear' | 'relu' | 'tanh';

interface Model {
  vars: tf.Variable[];
  forward(x: tf.Tensor): tf.Tensor;
}

function uniform(shape: number[], fanIn: number, seed: number): tf.Variable {
  const a = 1 / Math.sqrt(fanIn);
  return tf.variable(tf.randomUniform(shape, -a, a, 'float32', seed));
}

function denseStack(sizes: number[], hidden: Act): Model {
  const vars: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    vars.push(uniform([sizes[i], sizes[i + 1]], sizes[i], 11 + i), uniform([sizes[i + 1]], sizes[i], 31 + i));
  }
  return {
    vars,
    forward(x) {
      let h = x;
      const layers = sizes.length - 1;
      for (let i = 0; i < layers; i++) {
        const [w, b] = [vars[2 * i], vars[2 * i + 1]];
        const act = i + 1 < layers ? hidden : 'linear';
        if (act === 'tanh') h = tf.tanh(tf.fused.matMul({ a: h, b: w, bias: b }));
        else h = tf.fused.matMul({ a: h, b: w, bias: b, activation: act });
      }
      return h;
    },
  };
}

function lenet(): Model {
  const c1w = uniform([5, 5, 1, 6], 25, 1);
  const c1b = uniform([6], 25, 2);
  const c2w = uniform([5, 5, 6, 16], 150, 3);
  const c2b = uniform([16], 150, 4);
  const dense = denseStack([256, 120, 84, 10], 'relu');
  return {
    vars: [c1w, c1b, c2w, c2b, ...dense.vars],
    forward(x) {
      let h = tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: c1w as tf.Tensor4D,
        strides: 1,
        pad: 'valid',
        bias: c1b,
        activation: 'relu',
      });
      h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      h = tf.fused.conv2d({
        x: h as tf.Tensor4D,
        filter: c2w as tf.Tensor4D,
        strides: 1,
        pad: 'valid',
        bias: c2b,
        activation: 'relu',
      });
      h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      return dense.forward(tf.reshape(h, [h.shape[0], 256]));
    },
  };
}

/** Builds the net on the current TF.js backend (call after tf.setBackend). */
export function tfjsTrainer(net: NetDef): Trainer & { model: Model } {
  const model =
    net.id === 'a'
      ? denseStack([2, 8, 8, 1], 'tanh')
      : net.id === 'b'
        ? denseStack([784, 256, 128, 10], 'relu')
        : lenet();
  const optimizer = net.id === 'a' ? tf.train.sgd(0.03) : tf.train.adam(0.001);
  const data = randomData(net);
  const features = data.x.length / data.rows;
  const pool: { x: tf.Tensor; y: tf.Tensor }[] = [];
  for (let start = 0; start + net.batch <= data.rows && pool.length < 4; start += net.batch) {
    const xs = data.x.subarray(start * features, (start + net.batch) * features);
    const ys = data.y.subarray(start, start + net.batch);
    // NHWC for the CNN (TF.js's native layout); our engine uses NCHW with C = 1, so the values line up anyway.
    const xShape = net.id === 'c' ? [net.batch, 28, 28, 1] : [net.batch, features];
    const x = tf.tensor(xs, xShape);
    const y =
      net.classes === null
        ? tf.tensor2d(ys, [net.batch, 1])
        : tf.oneHot(tf.tensor1d(Array.from(ys), 'int32'), net.classes);
    pool.push({ x, y });
  }
  let cursor = 0;
  const lossOf = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => {
    const out = model.forward(x);
    return net.classes === null ? tf.losses.meanSquaredError(y, out) : tf.losses.softmaxCrossEntropy(y, out);
  };
  return {
    model,
    async run(n) {
      let last: tf.Scalar | null = null;
      for (let i = 0; i < n; i++) {
        const { x, y } = pool[cursor];
        cursor = (cursor + 1) % pool.length;
        const l = optimizer.minimize(() => lossOf(x, y), true, model.vars);
        last?.dispose();
        last = l;
      }
      const v = last ? (await last.data())[0] : Number.NaN;
      last?.dispose();
      return v;
    },
    dispose() {
      for (const v of model.vars) v.dispose();
      for (const b of pool) {
        b.x.dispose();
        b.y.dispose();
      }
      optimizer.dispose();
    },
  };
}
