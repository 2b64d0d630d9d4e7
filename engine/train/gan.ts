// Alternating GAN training from two parameter groups, each with its own optimizer and update step: the
// discriminator D and the generator G are separate Programs (one per group, with the group's optimizer) whose shared
// weights travel by state-dict key between them, step by step, as torch's usual loop does:
//   fake = G(z)
//   D step: bce_logits(D([real; fake]), [1..1; 0..0])   (fake detached: the D program has no G in it)
//   G step: bce_logits(D(G(z)), 1)                       (through the updated D; only G's update is kept)
// The G-step program holds G's layers followed by D's; its copy of D is overwritten from the D program before each
// G step, so D only ever moves by its own optimizer. A host-level loop over ordinary runtimes: any backend.

import type { BackendFactory, Executor, Runtime } from '../backends/backend';
import { createRuntime } from '../backends/runtime';
import { compile } from '../graph/compile';
import { initialState } from '../graph/init';
import type { ExperimentSpec, LayerSpec, NormalizedSpec, OptimizerSpec, StateDict } from '../spec/types';
import { validateSpec } from '../spec/validate';

export interface GanSpec {
  /** Latent size k and sample size n: G maps [k] to [n], D maps [n] to one logit. */
  latent: number;
  sample: number;
  generator: { layers: LayerSpec[]; optimizer: OptimizerSpec };
  discriminator: { layers: LayerSpec[]; optimizer: OptimizerSpec };
  batchSize: number;
  seed?: number;
}

interface Part {
  exec: Executor;
  rt: Runtime;
}

function normalized(s: ExperimentSpec): NormalizedSpec {
  const v = validateSpec(s);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  return v.value;
}

/** `3.weight` <-> `0.weight`: D's keys in the G-step program are offset by G's layer count. */
function shift(sd: StateDict, by: number, keep: (i: number) => boolean): StateDict {
  const out: StateDict = {};
  for (const [k, t] of Object.entries(sd)) {
    const dot = k.indexOf('.');
    const i = Number(k.slice(0, dot));
    if (keep(i)) out[`${i + by}${k.slice(dot)}`] = t;
  }
  return out;
}

export class GanTrainer {
  private constructor(
    private readonly g: Part,
    private readonly gEval: Part,
    private readonly d: Part,
    private readonly gLayers: number,
    private readonly spec: GanSpec,
  ) {}

  static async open(
    spec: GanSpec,
    factory: BackendFactory,
    init?: { g: StateDict; d: StateDict },
  ): Promise<GanTrainer> {
    const B = spec.batchSize;
    const training = { batchSize: B, seed: spec.seed ?? 1 };
    const nG = spec.generator.layers.length;
    const gSpec = normalized({
      model: { input: [spec.latent], layers: [...spec.generator.layers, ...spec.discriminator.layers] },
      loss: { type: 'bce_logits' },
      optimizer: spec.generator.optimizer,
      training,
    });
    const gEvalSpec = normalized({
      model: { input: [spec.latent], layers: spec.generator.layers },
      loss: { type: 'mse' },
      optimizer: spec.generator.optimizer,
      training,
    });
    const dSpec = normalized({
      model: { input: [spec.sample], layers: spec.discriminator.layers },
      loss: { type: 'bce_logits' },
      optimizer: spec.discriminator.optimizer,
      training: { ...training, batchSize: 2 * B },
    });
    const part = async (s: NormalizedSpec, rows: number, xRow: number, yRow: number): Promise<Part> => {
      const program = compile(s);
      const exec = await factory.createExecutor(program);
      const data = {
        inputShape: program.inputShape,
        targetShape: program.targetShape,
        classes: null,
        train: { x: new Float32Array(rows * xRow), y: new Float32Array(rows * yRow), count: rows },
        val: { x: new Float32Array(0), y: new Float32Array(0), count: 0 },
      };
      const rt = await createRuntime(exec, data, { shuffle: false, initialState: initialState(program) });
      return { exec, rt };
    };
    const g = await part(gSpec, B, spec.latent, 1);
    const gEval = await part(gEvalSpec, B, spec.latent, spec.sample);
    const d = await part(dSpec, 2 * B, spec.sample, 1);
    const t = new GanTrainer(g, gEval, d, nG, spec);
    if (init) {
      await d.rt.setWeights(init.d);
      await gEval.rt.setWeights(init.g);
      await g.rt.setWeights({ ...init.g, ...shift(init.d, nG, () => true) });
    }
    return t;
  }

  /** One D step then one G step on these rows (z [B, latent], real [B, sample]); returns both data losses. */
  async step(z: Float32Array, real: Float32Array): Promise<{ d: number; g: number }> {
    const B = this.spec.batchSize;
    const fake = await this.gEval.rt.predict(z, B);
    const x = new Float32Array(2 * B * this.spec.sample);
    x.set(real.subarray(0, B * this.spec.sample));
    x.set(fake.subarray(0, B * this.spec.sample), B * this.spec.sample);
    const y = new Float32Array(2 * B).fill(1, 0, B);
    await this.d.exec.setTrainData(x, y, 2 * B);
    const dLoss = (await this.d.rt.trainSteps(1)).losses[0];
    // G step through the updated D: D's weights in, G's out.
    const dWeights = await this.d.rt.getWeights();
    await this.g.rt.setWeights(shift(dWeights, this.gLayers, () => true));
    await this.g.exec.setTrainData(z, new Float32Array(B).fill(1), B);
    const gLoss = (await this.g.rt.trainSteps(1)).losses[0];
    const gWeights = await this.g.rt.getWeights();
    await this.gEval.rt.setWeights(shift(gWeights, 0, (i) => i < this.gLayers));
    return { d: dLoss, g: gLoss };
  }

  /** The generator's and the discriminator's state dicts (each keyed as its own nn.Sequential). */
  async weights(): Promise<{ g: StateDict; d: StateDict }> {
    return { g: await this.gEval.rt.getWeights(), d: await this.d.rt.getWeights() };
  }

  dispose(): void {
    this.g.rt.dispose();
    this.gEval.rt.dispose();
    this.d.rt.dispose();
  }
}
