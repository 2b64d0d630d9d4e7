import { describe, expect, it } from 'vitest';
import { DATA_KINDS, validateSpec } from '../../../engine/index';
import { DATASETS, DEFAULT_SPECS, datasetDef, MNIST_CNN, OPTIMIZERS, SCHEDULES, taskOf } from './catalog';

describe('catalog', () => {
  it('every default spec validates and belongs to its task', () => {
    for (const [task, spec] of Object.entries(DEFAULT_SPECS)) {
      expect(validateSpec(spec).ok, task).toBe(true);
      expect(taskOf(spec)).toBe(task);
    }
    expect(validateSpec(MNIST_CNN).ok).toBe(true);
    expect(taskOf(MNIST_CNN)).toBe('mnist');
  });

  it('lists every data kind once, and falls back to the spiral for unknown ones', () => {
    expect(DATASETS.map((d) => d.id).sort()).toEqual([...DATA_KINDS].sort());
    expect(datasetDef('nope').id).toBe('spiral');
    expect(datasetDef(undefined).id).toBe('spiral');
    expect(taskOf({ data: null })).toBe('classify2d');
    expect(taskOf({ data: { kind: 'bumps' } })).toBe('regress2d');
  });

  it('every catalog optimizer at its default lr and every schedule id is a valid choice', () => {
    for (const o of OPTIMIZERS)
      expect(validateSpec({ ...DEFAULT_SPECS.classify2d, optimizer: { type: o.id, lr: o.lr } }).ok, o.id).toBe(true);
    expect(new Set(SCHEDULES.map((s) => s.id)).size).toBe(7);
  });
});
