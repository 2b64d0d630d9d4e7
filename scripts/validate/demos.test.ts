// The demo rules on small in-memory cases, and every demo of content/demos resolving: each step's specs validate
// (engine validateSpec, through resolveDemo) and every panel it shows or points at is a Lab panel.
import { describe, expect, it } from 'vitest';
import { mergeChange } from '../../src/features/present/demoModel';
import { demoContext, PRESENT_PANELS, readDemoFiles, readPresets, validateDemos } from './demos';

const ROOT = new URL('../..', import.meta.url).pathname;
const presets = readPresets(ROOT);
const ctx = demoContext(presets, new Set(['adam', 'sgd']));
const check = (source: string) =>
  validateDemos([{ file: 'x.yaml', source }], ctx, { minDemos: 0 }).problems.map((p) => p.message);

describe('content/demos', () => {
  it('every demo resolves: specs valid, panels real, at least six demos', () => {
    const files = readDemoFiles(ROOT);
    const { problems, demos } = validateDemos(files, demoContext(presets));
    expect(problems).toEqual([]);
    expect(demos.length).toBeGreaterThanOrEqual(6);
    for (const d of demos)
      for (const s of d.steps) {
        for (const p of s.panels) expect(PRESENT_PANELS.has(p)).toBe(true);
        expect(s.train).toBeLessThanOrEqual(5000);
      }
  });
});

describe('demo rules', () => {
  const head = 'id: x\ntitle: X\nsummary: s\nconcepts: [adam]\nsteps:\n';
  it('names the step and what is wrong with it', () => {
    expect(check(`${head}  - title: One\n    caption: c\n    preset: nope\n`)).toEqual([
      'step 1 (“One”): there is no lab preset called “nope”',
    ]);
    expect(check(`${head}  - title: One\n    caption: c\n    change: { optimizer: { lr: 1 } }\n`)[0]).toMatch(
      /step 1 .*change needs a previous step/,
    );
    const bad = check(`${head}  - title: One\n    caption: c\n    preset: spiral\n    panels: [boundary, nope]\n`);
    expect(bad[0]).toMatch(/step 1 .*“nope” is not a Lab panel/);
    const spec = check(
      `${head}  - title: One\n    caption: c\n    preset: spiral\n    change: { optimizer: { lr: -1 } }\n`,
    );
    expect(spec[0]).toMatch(/step 1 .*the experiment is not valid: optimizer\.lr/);
    expect(check(`${head}  - title: One\n    caption: "$\\\\frac{1$"\n    preset: spiral\n`)[0]).toMatch(/math/);
  });

  it('a change merges deeply, a new type replaces, null removes', () => {
    expect(mergeChange({ optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 } }, { optimizer: { lr: 1 } })).toEqual({
      optimizer: { type: 'sgd', lr: 1, momentum: 0.9 },
    });
    expect(
      mergeChange({ optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 } }, { optimizer: { type: 'adam', lr: 0.01 } }),
    ).toEqual({
      optimizer: { type: 'adam', lr: 0.01 },
    });
    expect(mergeChange({ a: 1, b: 2 }, { b: null })).toEqual({ a: 1 });
  });

  it('a compare block takes a preset’s run B and its labels', () => {
    const r = validateDemos(
      [
        {
          file: 'x.yaml',
          source: `${head}  - title: One\n    caption: c\n    preset: adam-vs-sgd\n    compare: { preset: adam-vs-sgd }\n`,
        },
      ],
      ctx,
      { minDemos: 0 },
    );
    expect(r.problems).toEqual([]);
    expect(r.demos[0].steps[0].b?.optimizer.type).toBe('adam');
    expect(r.demos[0].steps[0].labels).toEqual({ a: 'SGD, lr 0.05', b: 'Adam, lr 0.01' });
  });
});
