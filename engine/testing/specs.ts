// Test helpers shared by engine tests: compile a literal spec (failing loudly on a bad one), and seeded synthetic
// image data for convolutional specs. Not used by the engine itself.
import type { Dataset } from '../data/dataset';
import { compile } from '../graph/compile';
import type { Program } from '../graph/program';
import { validateSpec } from '../spec/validate';

/** Validates and compiles a spec written in a test; a spec the test got wrong throws with every message. */
export function compileSpec(raw: unknown): Program {
  const v = validateSpec(raw);
  if (!v.ok) throw new Error(v.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return compile(v.value);
}

/** Seeded synthetic images of `shape` ([c,h,w]) whose class shows as a brighter stripe of pixels, so a small CNN
 * can learn it; `valCount` validation rows follow from the same stream. */
export function syntheticImages(
  shape: number[],
  classes: number,
  count: number,
  seed: number,
  valCount: number,
): Dataset {
  const per = shape.reduce((a, b) => a * b, 1);
  let s = seed;
  const u = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const mk = (n: number) => {
    const x = new Float32Array(n * per);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(u() * classes);
      y[i] = c;
      for (let j = 0; j < per; j++) x[i * per + j] = u() - 0.5 + (j % (classes + 1) === c ? 0.8 : 0);
    }
    return { x, y, count: n };
  };
  return { inputShape: shape, targetShape: [], classes, train: mk(count), val: mk(valCount) };
}
