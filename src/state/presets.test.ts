import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../../engine/index';
import { PRESETS, presetById } from './presets';

const files = readdirSync('content/presets').filter((f) => f.endsWith('.json'));

describe('presets', () => {
  it('loads every content/presets file, indexed by its id', () => {
    expect(PRESETS.map((p) => `${p.id}.json`).sort()).toEqual(files.sort());
    for (const f of files) {
      const raw = JSON.parse(readFileSync(`content/presets/${f}`, 'utf8'));
      expect(presetById(raw.id)).toEqual(raw);
    }
  });

  it('answers undefined for an unknown id, and its specs validate', () => {
    expect(presetById('no-such-preset')).toBeUndefined();
    const spiral = presetById('spiral');
    expect(spiral?.spec.loss.type).toBe('cross_entropy');
    for (const p of PRESETS) {
      expect(validateSpec(p.spec).ok, p.id).toBe(true);
      if (p.compare) expect(validateSpec(p.compare.spec).ok, p.id).toBe(true);
    }
  });
});
