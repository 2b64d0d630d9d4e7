import { describe, expect, it } from 'vitest';
import type { DivergenceCause, DivergenceReport, ExperimentSpec, NormalizedSpec } from '../../../engine/index';
import { validateSpec } from '../../../engine/index';
import { DEFAULT_SPECS } from './catalog';
import { divergenceAdvice } from './divergence';

function valid(raw: unknown): NormalizedSpec {
  const v = validateSpec(raw);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('\n'));
  return v.value;
}

const spec = (over: Partial<ExperimentSpec> = {}) => valid({ ...structuredClone(DEFAULT_SPECS.classify2d), ...over });
const SGD = spec({ optimizer: { type: 'sgd', lr: 3.2 } });

function report(cause: DivergenceCause, over: Partial<DivergenceReport> = {}): DivergenceReport {
  return {
    step: 1234,
    lastFiniteLoss: 0.7,
    signal: 'loss',
    layer: null,
    cause,
    explanation: '',
    restoredStep: 1200,
    layers: [],
    ...over,
  };
}

const CAUSES: DivergenceCause[] = ['learning_rate', 'exploding_gradients', 'bad_initialisation'];

describe('divergenceAdvice', () => {
  it('for every cause names the step, the lr and the suggested lr, and where training paused', () => {
    for (const cause of CAUSES) {
      const { text } = divergenceAdvice(report(cause), SGD);
      expect(text, cause).toMatch(/^Loss became NaN at step 1,234\. /);
      expect(text, cause).toContain('3.2');
      expect(text, cause).toContain('0.32');
      expect(text, cause).toMatch(/Training paused at step 1,200, the last healthy weights\.$/);
    }
  });

  it('says what went NaN first', () => {
    expect(divergenceAdvice(report('learning_rate', { signal: 'gradient' }), SGD).text).toMatch(
      /^The gradients became NaN/,
    );
    expect(divergenceAdvice(report('learning_rate', { signal: 'weights' }), SGD).text).toMatch(
      /^The weights became NaN/,
    );
  });

  it('learning rate: names the optimizer, and "without BatchNorm" only when the net has none', () => {
    expect(divergenceAdvice(report('learning_rate'), SGD).text).toContain(
      'The learning rate 3.2 is likely too high for SGD without BatchNorm: try 0.32 or less.',
    );
    const bn = spec({
      optimizer: { type: 'adam', lr: 0.5 },
      model: {
        input: [2],
        layers: [{ type: 'dense', units: 8 }, { type: 'batchnorm' }, { type: 'relu' }, { type: 'dense', units: 2 }],
      },
    });
    expect(divergenceAdvice(report('learning_rate'), bn).text).toContain(
      'The learning rate 0.5 is likely too high for Adam: try 0.05 or less.',
    );
    // BatchNorm inside a residual block counts.
    const inner = spec({
      model: {
        input: [2],
        layers: [
          { type: 'dense', units: 8 },
          { type: 'relu' },
          { type: 'residual', layers: [{ type: 'dense', units: 8 }, { type: 'batchnorm' }, { type: 'relu' }] },
          { type: 'dense', units: 2 },
        ],
      },
    });
    expect(divergenceAdvice(report('learning_rate'), inner).text).not.toContain('without BatchNorm');
  });

  it('exploding gradients: names the first layer to blow up', () => {
    const layer = { key: '2', label: 'layer 2 (dense, 16 units)' };
    const { text } = divergenceAdvice(report('exploding_gradients', { layer }), SGD);
    expect(text).toContain('The gradients exploded first in layer 2 (dense, 16 units)');
    expect(divergenceAdvice(report('exploding_gradients'), SGD).text).toContain('The gradients exploded:');
  });

  it('bad initialisation: points at He or Xavier', () => {
    expect(divergenceAdvice(report('bad_initialisation'), SGD).text).toContain('He or Xavier');
  });

  it('rounds the numbers it shows to two significant figures', () => {
    const odd = spec({ optimizer: { type: 'sgd', lr: 0.123456 } });
    const { text, fixes } = divergenceAdvice(report('learning_rate'), odd);
    expect(text).toContain('The learning rate 0.12 ');
    expect(text).toContain('try 0.012 or less');
    expect(fixes[0].label).toBe('Use learning rate 0.012');
  });

  it('offers lower lr, BatchNorm and clipping; each fix applies and validates', () => {
    const { fixes } = divergenceAdvice(report('learning_rate'), SGD);
    expect(fixes.map((f) => f.label)).toEqual([
      'Use learning rate 0.32',
      'Add BatchNorm to every layer',
      'Clip gradients at norm 1',
    ]);
    const [lower, bn, clip] = fixes.map((f) => valid(f.apply(SGD)));
    expect(lower.optimizer.lr).toBeCloseTo(0.32, 12);
    expect(lower.model).toEqual(SGD.model);
    expect(bn.model.layers.filter((l) => l.type === 'batchnorm')).toHaveLength(3);
    expect(bn.optimizer).toEqual(SGD.optimizer);
    expect(clip.regularization.clipGradNorm).toBe(1);
  });

  it('leaves out the fixes already in place', () => {
    const bnClipped = spec({
      optimizer: { type: 'sgd', lr: 1 },
      regularization: { clipGradNorm: 5 },
      model: {
        input: [2],
        layers: [{ type: 'dense', units: 8 }, { type: 'batchnorm' }, { type: 'relu' }, { type: 'dense', units: 2 }],
      },
    });
    const { fixes } = divergenceAdvice(report('exploding_gradients'), bnClipped);
    expect(fixes.map((f) => f.label)).toEqual(['Use learning rate 0.1']);
    expect(valid(fixes[0].apply(bnClipped)).optimizer.lr).toBe(0.1);
  });

  it('offers no BatchNorm fix for a network the editor cannot show or with no hidden block', () => {
    const odd = spec({
      model: {
        input: [2],
        layers: [{ type: 'dense', units: 8 }, { type: 'layernorm' }, { type: 'relu' }, { type: 'dense', units: 2 }],
      },
    });
    const linear = spec({ model: { input: [2], layers: [{ type: 'dense', units: 2 }] } });
    for (const s of [odd, linear]) {
      const labels = divergenceAdvice(report('learning_rate'), s).fixes.map((f) => f.label);
      expect(labels).not.toContain('Add BatchNorm to every layer');
      for (const f of divergenceAdvice(report('learning_rate'), s).fixes)
        expect(validateSpec(f.apply(s)).ok).toBe(true);
    }
  });
});
