// Alternating GAN training in ONE Program with two parameter groups, each with its own optimizer and update step,
// as torch's usual loop (two optimizers over G.parameters() and D.parameters()):
//   fake = G(z)                                           -> the evaluation entry `generator` (layers [0, nG))
//   D step: bce_logits(D([real; fake]), [1..1; 0..0])     -> update step `d`: layers [nG, end), group d only
//                                                            (fake arrives as rows: detached by construction)
//   G step: bce_logits(D(G(z)), 1)                        -> update step `g`: the whole model, group g only
//                                                            (gradients flow through D but never update it)
// The model is G's layers followed by D's, so the state dict holds both; D's keys are offset by nG.

import type { BackendFactory, Runtime } from '../backends/backend';
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

/** The one ExperimentSpec of a GAN: groups `d` and `g`, steps `d` then `g`, and the evaluation entry `generator`. */
export function ganExperiment(spec: GanSpec): ExperimentSpec {
  const nG = spec.generator.layers.length;
  const n = nG + spec.discriminator.layers.length;
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  const B = spec.batchSize;
  return {
    model: { input: [spec.latent], layers: [...spec.generator.layers, ...spec.discriminator.layers] },
    loss: { type: 'bce_logits' },
    optimizer: spec.generator.optimizer,
    training: { batchSize: B, seed: spec.seed ?? 1 },
    groups: [
      { name: 'd', layers: range(nG, n), optimizer: spec.discriminator.optimizer },
      { name: 'g', layers: range(0, nG), optimizer: spec.generator.optimizer },
    ],
    steps: [
      { name: 'd', group: 'd', from: nG, batchSize: 2 * B },
      { name: 'g', group: 'g', batchSize: B },
    ],
    evaluations: [{ name: 'generator', from: 0, to: nG }],
  };
}

function normalized(s: ExperimentSpec): NormalizedSpec {
  const v = validateSpec(s);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  return v.value;
}

/** `3.weight` <-> `0.weight`: D's keys in the combined model are offset by G's layer count. */
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
  private readonly ones: Float32Array;
  private readonly dTargets: Float32Array;
  private readonly dRows: Float32Array;

  private constructor(
    readonly rt: Runtime,
    private readonly gLayers: number,
    private readonly spec: GanSpec,
  ) {
    const B = spec.batchSize;
    this.ones = new Float32Array(B).fill(1);
    this.dTargets = new Float32Array(2 * B).fill(1, 0, B);
    this.dRows = new Float32Array(2 * B * spec.sample);
  }

  static async open(
    spec: GanSpec,
    factory: BackendFactory,
    init?: { g: StateDict; d: StateDict },
  ): Promise<GanTrainer> {
    const program = compile(normalized(ganExperiment(spec)));
    const exec = await factory.createExecutor(program);
    // Every step gets its rows from setStepData; the dataset only has to fill one batch of the first step.
    const rows = program.batchSize;
    const data = {
      inputShape: program.inputShape,
      targetShape: program.targetShape,
      classes: null,
      train: { x: new Float32Array(rows * spec.sample), y: new Float32Array(rows), count: rows },
      val: { x: new Float32Array(0), y: new Float32Array(0), count: 0 },
    };
    const rt = await createRuntime(exec, data, { shuffle: false, initialState: initialState(program) });
    const nG = spec.generator.layers.length;
    if (init) {
      const problems = await rt.setWeights({ ...init.g, ...shift(init.d, nG, () => true) });
      if (problems.length > 0) throw new Error(problems.join('; '));
    }
    return new GanTrainer(rt, nG, spec);
  }

  /** One D step then one G step on these rows (z [B, latent], real [B, sample]); returns both data losses. */
  async step(z: Float32Array, real: Float32Array): Promise<{ d: number; g: number }> {
    const B = this.spec.batchSize;
    const S = this.spec.sample;
    const fake = await this.rt.predictEntry('generator', z, B);
    this.dRows.set(real.subarray(0, B * S));
    this.dRows.set(fake.subarray(0, B * S), B * S);
    await this.rt.setStepData('d', this.dRows, this.dTargets, 2 * B);
    const dLoss = (await this.rt.trainUpdate('d')).losses[0];
    await this.rt.setStepData('g', z.subarray(0, B * this.spec.latent), this.ones, B);
    const gLoss = (await this.rt.trainUpdate('g')).losses[0];
    return { d: dLoss, g: gLoss };
  }

  /** The generator's and the discriminator's state dicts (each keyed as its own nn.Sequential). */
  async weights(): Promise<{ g: StateDict; d: StateDict }> {
    const sd = await this.rt.getWeights();
    return {
      g: shift(sd, 0, (i) => i < this.gLayers),
      d: shift(sd, -this.gLayers, (i) => i >= this.gLayers),
    };
  }

  dispose(): void {
    this.rt.dispose();
  }
}
