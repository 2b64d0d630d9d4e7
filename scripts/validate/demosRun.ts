// Trains every step of the demos headlessly on the CPU, as the presentation mode does (run B from run A's initial
// weights), and prints what each step shows: the final losses, the training accuracy and the first/last layer
// gradient ratio after step 1. For writing captions: `npx tsx scripts/validate/demosRun.ts [demo-id ...]`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExperimentSpec } from '../../engine/spec/types';
import { type Run, startRun, tail } from '../presetRun';
import { demoContext, readDemoFiles, readPresets, validateDemos } from './demos';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  const { demos, problems } = validateDemos(readDemoFiles(ROOT), demoContext(readPresets(ROOT)), { minDemos: 0 });
  for (const p of problems) console.log(`PROBLEM ${p.file}: ${p.message}`);
  for (const d of demos) {
    if (only.size && !only.has(d.id)) continue;
    for (const [i, s] of d.steps.entries()) {
      const t0 = performance.now();
      const a = await startRun(s.a as unknown as ExperimentSpec);
      const b = s.b ? await startRun(s.b as unknown as ExperimentSpec, await a.rt.getWeights()) : null;
      const line: string[] = [];
      const pairs: [string, Run][] = [[s.labels.a, a], ...(b ? [[s.labels.b, b] as [string, Run]] : [])];
      for (const [label, r] of pairs) {
        await r.train(1);
        const g = await r.gradNorms();
        await r.train(s.train - 1);
        const ev = await r.rt.evaluate('train');
        line.push(
          `${label}: loss ${tail(r.losses, 50).toFixed(3)} acc ${((ev.accuracy ?? 0) * 100).toFixed(1)}% grad first/last ${(g[0] / (g.at(-1) as number)).toExponential(1)} (first ${g[0].toExponential(1)})`,
        );
        r.dispose();
      }
      console.log(
        `${d.id} ${i + 1} ${s.title} [${s.train} steps, ${((performance.now() - t0) / 1000).toFixed(1)} s]\n  ${line.join('\n  ')}`,
      );
    }
  }
}

void main();
