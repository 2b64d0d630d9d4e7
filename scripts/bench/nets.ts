// The three benchmark networks, defined once: as ExperimentSpecs for our engine and as plain shape facts that the
// TF.js side (browser/tfjsNets.ts) builds by hand. Data is random (fixed seed): speed does not depend on it.
//
// (a) the Playground default: 2-8-8-1 tanh, batch 10, SGD, MSE
// (b) the MNIST MLP: 784-256-128-10 relu, batch 128, Adam, cross-entropy
// (c) LeNet-style CNN on 1x28x28: conv 6@5x5, relu, maxpool 2, conv 16@5x5, relu, maxpool 2, flatten,
//     dense 120, relu, dense 84, relu, dense 10; batch 64, Adam, cross-entropy

import type { ExperimentSpec } from '../../engine/spec/types';

export type NetId = 'a' | 'b' | 'c';

export interface NetDef {
  id: NetId;
  title: string;
  batch: number;
  /** Per-example input shape as our engine sees it ([features] or [C, H, W]). */
  input: number[];
  /** Class count for cross-entropy nets; null for the regression net (one output, MSE). */
  classes: number | null;
  /** Rows of random training data uploaded once (a few batches' worth). */
  rows: number;
  spec: ExperimentSpec;
}

export const NETS: Record<NetId, NetDef> = {
  a: {
    id: 'a',
    title: '(a) 2-8-8-1 tanh, batch 10, SGD, MSE',
    batch: 10,
    input: [2],
    classes: null,
    rows: 500,
    spec: {
      model: {
        input: [2],
        layers: [
          { type: 'dense', units: 8 },
          { type: 'tanh' },
          { type: 'dense', units: 8 },
          { type: 'tanh' },
          { type: 'dense', units: 1 },
        ],
      },
      loss: { type: 'mse' },
      optimizer: { type: 'sgd', lr: 0.03 },
      training: { batchSize: 10, seed: 1 },
    },
  },
  b: {
    id: 'b',
    title: '(b) 784-256-128-10 relu, batch 128, Adam, cross-entropy',
    batch: 128,
    input: [784],
    classes: 10,
    rows: 1024,
    spec: {
      model: {
        input: [784],
        layers: [
          { type: 'dense', units: 256 },
          { type: 'relu' },
          { type: 'dense', units: 128 },
          { type: 'relu' },
          { type: 'dense', units: 10 },
        ],
      },
      loss: { type: 'cross_entropy' },
      optimizer: { type: 'adam', lr: 0.001 },
      training: { batchSize: 128, seed: 1 },
    },
  },
  c: {
    id: 'c',
    title: '(c) LeNet-style CNN 1x28x28, batch 64, Adam, cross-entropy',
    batch: 64,
    input: [1, 28, 28],
    classes: 10,
    rows: 512,
    spec: {
      model: {
        input: [1, 28, 28],
        layers: [
          { type: 'conv2d', filters: 6, kernel: 5 },
          { type: 'relu' },
          { type: 'maxpool2d', kernel: 2 },
          { type: 'conv2d', filters: 16, kernel: 5 },
          { type: 'relu' },
          { type: 'maxpool2d', kernel: 2 },
          { type: 'flatten' },
          { type: 'dense', units: 120 },
          { type: 'relu' },
          { type: 'dense', units: 84 },
          { type: 'relu' },
          { type: 'dense', units: 10 },
        ],
      },
      loss: { type: 'cross_entropy' },
      optimizer: { type: 'adam', lr: 0.001 },
      training: { batchSize: 64, seed: 1 },
    },
  },
};

export const NET_IDS: NetId[] = ['a', 'b', 'c'];

/** Random training rows for a net: x uniform in [-1, 1), y a class index or a regression target in [-1, 1).
 * A small xorshift keeps it identical in the browser and in Node. */
export function randomData(net: NetDef, seed = 7): { x: Float32Array; y: Float32Array; rows: number } {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const features = net.input.reduce((a, b) => a * b, 1);
  const x = new Float32Array(net.rows * features);
  for (let i = 0; i < x.length; i++) x[i] = next() * 2 - 1;
  const y = new Float32Array(net.rows);
  for (let i = 0; i < y.length; i++) y[i] = net.classes === null ? next() * 2 - 1 : Math.floor(next() * net.classes);
  return { x, y, rows: net.rows };
}
