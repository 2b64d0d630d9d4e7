// compile(): the op lists and tables a spec produces (the golden fixtures check the numbers; this pins structure).

import { describe, expect, it } from 'vitest';
import { compileSpec } from '../testing/specs';
import { structuralChanges } from './hypers';
import { printProgram } from './print';

describe('compile', () => {
  const p = compileSpec({
    model: {
      input: [1, 6, 6],
      layers: [
        { type: 'conv2d', filters: 2, kernel: 3 },
        { type: 'batchnorm' },
        { type: 'relu' },
        { type: 'flatten' },
        { type: 'dropout', rate: 0.2 },
        { type: 'residual', layers: [{ type: 'dense', units: 32 }] },
        { type: 'dense', units: 3 },
      ],
    },
    loss: { type: 'cross_entropy', labelSmoothing: 0.1 },
    optimizer: { type: 'adam' },
    regularization: { l2: 0.01, clipGradNorm: 1 },
    training: { batchSize: 4 },
  });

  it('names parameters as the PyTorch state dict of the nn.Sequential', () => {
    expect(p.params.map((q) => q.key)).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '1.running_mean',
      '1.running_var',
      '5.layers.0.weight',
      '5.layers.0.bias',
      '6.weight',
      '6.bias',
    ]);
    expect(p.params.filter((q) => q.penalized).map((q) => q.key)).toEqual([
      '0.weight',
      '5.layers.0.weight',
      '6.weight',
    ]);
    expect(p.tensors[p.params[0].tensor].shape).toEqual([2, 1, 3, 3]);
  });

  it('orders a step as forward, metrics, backward (+penalties), clip, update', () => {
    expect(p.forward.map((o) => o.kind)).toEqual([
      'conv2d',
      'batchnorm',
      'unary',
      'dropout',
      'matmul',
      'add',
      'matmul',
      'loss',
    ]);
    expect(p.metrics.map((o) => o.kind)).toEqual(['accuracy']);
    expect(p.backward[0].kind).toBe('loss_grad');
    expect(p.backward.filter((o) => o.kind === 'penalty_grad')).toHaveLength(3);
    expect(p.clip.map((o) => o.kind)).toEqual(['sum_squares', 'clip_norm']);
    expect(p.update.map((o) => o.kind)).toEqual(['adam_update']);
    expect(p.evalForward.map((o) => o.kind)).toEqual(['conv2d', 'batchnorm_eval', 'unary', 'matmul', 'add', 'matmul']);
    // The residual input receives two gradients, summed by one add.
    expect(p.backward.filter((o) => o.kind === 'add')).toHaveLength(1);
  });

  it('puts the hot hyperparameters in slots', () => {
    expect(p.hypers.map((h) => h.name).sort()).toEqual(
      [
        'beta1',
        'beta2',
        'clipGradNorm',
        'dropout.scale:4',
        'dropout.threshold:4',
        'eps',
        'l1',
        'l2',
        'labelSmoothing',
        'weightDecay',
      ].sort(),
    );
  });

  it('says which hot changes need a recompile', () => {
    expect(structuralChanges(p, { lr: 0.1, l2: 0.5, clipGradNorm: 2, clipGradValue: 1, l1: 0.1 })).toEqual([
      'clipGradValue',
    ]);
  });

  it('prints a readable listing', () => {
    const text = printProgram(p);
    expect(text).toContain('adam_update');
    expect(text).toContain('act.0 <- input, 0.weight, 0.bias');
  });
});
