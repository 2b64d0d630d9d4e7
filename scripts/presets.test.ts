// Keeps every 2-D preset's "what to notice" claim true: each preset (content/presets/<id>.json) is trained headlessly
// on the CPU for its suggested steps and the claim its notice makes is checked with a margin. A change to the engine,
// a generator or a preset that makes a notice false fails here. The numbers the notices quote are printed.
import { describe, expect, it } from 'vitest';
import { type PresetFile, type Run, readPreset, startPair, startRun, tail } from './presetRun';

const LN2 = Math.log(2);
const log = (id: string, facts: Record<string, number>) =>
  console.log(
    `${id}: ${Object.entries(facts)
      .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(3)}`)
      .join(', ')}`,
  );
const std = (xs: number[]) => {
  const m = tail(xs, xs.length);
  return Math.sqrt(
    tail(
      xs.map((x) => (x - m) ** 2),
      xs.length,
    ),
  );
};

async function pair(id: string): Promise<{ p: PresetFile; a: Run; b: Run }> {
  const p = readPreset(id);
  const [a, b] = await startPair(p);
  return { p, a, b };
}

async function both(a: Run, b: Run, steps: number): Promise<void> {
  await a.train(steps);
  await b.train(steps);
}

describe('preset claims (CPU, the suggested steps)', () => {
  it('spiral: starts near ln 2 and separates the arms', async () => {
    const p = readPreset('spiral');
    const r = await startRun(p.spec);
    await r.train(p.steps);
    const ev = await r.rt.evaluate('val');
    log(p.id, { firstLoss: r.losses[0], finalLoss: tail(r.losses, 50), valAccuracy: ev.accuracy ?? 0 });
    expect(Math.abs(r.losses[0] - LN2)).toBeLessThan(0.05);
    expect(ev.accuracy).toBeGreaterThan(0.95);
    expect(tail(r.accuracies.slice(0, 600), 50)).toBeGreaterThan(0.9);
  });

  it('vanishing-gradients: sigmoid first-layer gradients are orders of magnitude below the last; ReLU+BN are not', async () => {
    const { p, a, b } = await pair('vanishing-gradients');
    await both(a, b, 1);
    const ga = await a.gradNorms();
    const gb = await b.gradNorms();
    const ratioA = ga[0] / (ga.at(-1) as number);
    const ratioB = gb[0] / (gb.at(-1) as number);
    await both(a, b, p.steps - 1);
    const accB = (await b.rt.evaluate('train')).accuracy ?? 0;
    log(p.id, { firstA: ga[0], lastA: ga.at(-1) as number, ratioA, ratioB, lossA: tail(a.losses, 50), accB });
    expect(ratioA).toBeLessThan(1e-6);
    expect(ratioB).toBeGreaterThan(0.5);
    expect(Math.abs(tail(a.losses, 50) - LN2)).toBeLessThan(0.01);
    expect(accB).toBeGreaterThan(0.85);
  });

  it('batchnorm-high-lr: at lr 1 the plain net stalls and the BatchNorm one trains', async () => {
    const { p, a, b } = await pair('batchnorm-high-lr');
    await both(a, b, p.steps);
    const accA = (await a.rt.evaluate('train')).accuracy ?? 0;
    const accB = (await b.rt.evaluate('train')).accuracy ?? 0;
    log(p.id, { lossA: tail(a.losses, 50), lossB: tail(b.losses, 50), accA, accB });
    expect(accA).toBeLessThan(0.6);
    expect(accB).toBeGreaterThan(0.9);
  });

  it('dropout-overfit: dropout narrows the train/val gap; without it the val loss turns back up', async () => {
    const { p, a, b } = await pair('dropout-overfit');
    await a.train(200);
    const valA200 = (await a.rt.evaluate('val')).loss;
    await a.train(p.steps - 200);
    await b.train(p.steps);
    const [trA, vaA, trB, vaB] = await Promise.all([
      a.rt.evaluate('train'),
      a.rt.evaluate('val'),
      b.rt.evaluate('train'),
      b.rt.evaluate('val'),
    ]);
    const gapA = vaA.loss - trA.loss;
    const gapB = vaB.loss - trB.loss;
    log(p.id, {
      valA200,
      valA: vaA.loss,
      trainA: trA.loss,
      gapA,
      gapB,
      valAccA: vaA.accuracy ?? 0,
      valAccB: vaB.accuracy ?? 0,
    });
    expect(trA.count).toBe(30);
    expect(gapB).toBeLessThan(0.7 * gapA);
    expect(vaB.accuracy ?? 0).toBeGreaterThan(vaA.accuracy ?? 1);
    expect(vaA.loss).toBeGreaterThan(2 * valA200);
    // The reported (training-mode) loss of the dropout run is noisier and ends higher.
    expect(tail(b.losses, 100)).toBeGreaterThan(tail(a.losses, 100) + 0.02);
  });

  it('adam-vs-sgd: Adam is ahead by step 300 and far ahead at the end', async () => {
    const { p, a, b } = await pair('adam-vs-sgd');
    await both(a, b, 300);
    const at300 = [tail(a.losses, 50), tail(b.losses, 50)];
    await both(a, b, p.steps - 300);
    log(p.id, { sgd300: at300[0], adam300: at300[1], sgdEnd: tail(a.losses, 50), adamEnd: tail(b.losses, 50) });
    expect(at300[1]).toBeLessThan(at300[0] - 0.15);
    expect(tail(a.losses, 50)).toBeGreaterThan(0.6);
    expect(tail(b.losses, 50)).toBeLessThan(0.1);
  });

  it('residual-vs-plain: the plain 20-layer net cannot start; the residual one trains', async () => {
    const { p, a, b } = await pair('residual-vs-plain');
    await both(a, b, 1);
    const ga = await a.gradNorms();
    const gb = await b.gradNorms();
    await both(a, b, p.steps - 1);
    const accB = (await b.rt.evaluate('train')).accuracy ?? 0;
    log(p.id, { plainFirst: ga[0], plainLast: ga.at(-1) as number, resFirst: gb[0], lossA: tail(a.losses, 50), accB });
    expect(ga[0] / (ga.at(-1) as number)).toBeLessThan(1e-6);
    expect(gb[0] / (gb.at(-1) as number)).toBeGreaterThan(0.01);
    expect(Math.abs(tail(a.losses, 50) - LN2)).toBeLessThan(0.01);
    expect(accB).toBeGreaterThan(0.9);
  });

  it('lr-warmup: with this seed the warmed-up run ends far lower', async () => {
    const { p, a, b } = await pair('lr-warmup');
    await both(a, b, p.steps);
    const [ta, tb] = await Promise.all([a.rt.evaluate('train'), b.rt.evaluate('train')]);
    log(p.id, { lossA: ta.loss, lossB: tb.loss, accA: ta.accuracy ?? 0, accB: tb.accuracy ?? 0 });
    expect(tb.loss).toBeLessThan(0.5 * ta.loss);
    expect(tb.accuracy ?? 0).toBeGreaterThan(ta.accuracy ?? 1);
  });

  it('weight-decay: decay shrinks the weights and keeps the training loss higher', async () => {
    const { p, a, b } = await pair('weight-decay');
    await both(a, b, p.steps);
    const [wa, wb] = [await a.weightNorm(), await b.weightNorm()];
    const [ta, tb] = await Promise.all([a.rt.evaluate('train'), b.rt.evaluate('train')]);
    log(p.id, { normA: wa, normB: wb, trainA: ta.loss, trainB: tb.loss });
    expect(wb).toBeLessThan(0.7 * wa);
    expect(tb.loss).toBeGreaterThan(ta.loss);
  });

  it('batch-size-1: batch 1 makes little progress in the same number of steps', async () => {
    const { p, a, b } = await pair('batch-size-1');
    await both(a, b, p.steps);
    const [ta, tb] = await Promise.all([a.rt.evaluate('train'), b.rt.evaluate('train')]);
    log(p.id, { accA: ta.accuracy ?? 0, accB: tb.accuracy ?? 0, lossA: ta.loss, lossB: tb.loss });
    expect(ta.accuracy ?? 1).toBeLessThan(0.7);
    expect(tb.accuracy ?? 0).toBeGreaterThan(0.95);
  });

  it('dead-relu: one step kills the first ReLU layer; He init trains', async () => {
    const p = readPreset('dead-relu');
    const r = await startRun(p.spec);
    await r.train(1);
    const g1 = await r.gradNorms();
    await r.train(p.steps - 1);
    const dead = await r.deadUnits();
    const he = structuredClone(p.spec);
    for (const l of he.model.layers) if (l.type === 'dense') l.init = { type: 'he_normal' };
    const h = await startRun(he);
    await h.train(p.steps);
    const heDead = await h.deadUnits();
    const heAcc = (await h.rt.evaluate('train')).accuracy ?? 0;
    log(p.id, {
      firstGrad: g1[0],
      deadFirst: dead[1].dead,
      lossEnd: tail(r.losses, 50),
      heMostDead: Math.max(...heDead.map((d) => d.dead)),
      heAcc,
      heLoss: tail(h.losses, 50),
    });
    expect(dead[1]).toMatchObject({ dead: 32, units: 32 });
    expect(Math.abs(tail(r.losses, 50) - LN2)).toBeLessThan(0.01);
    expect(Math.max(...heDead.map((d) => d.dead))).toBeLessThan(32 / 3);
    expect(tail(h.losses, 50)).toBeLessThan(LN2 - 0.03);
  });

  it('momentum: momentum 0.9 at the same rate lowers the loss much sooner', async () => {
    const { p, a, b } = await pair('momentum');
    await both(a, b, p.steps);
    log(p.id, { sgd: tail(a.losses, 50), momentum: tail(b.losses, 50) });
    expect(tail(b.losses, 50)).toBeLessThan(tail(a.losses, 50) - 0.1);
  });

  it('lr-too-high: 0.003 barely moves, 5 thrashes above ln 2, 1 in between trains', async () => {
    const { p, a, b } = await pair('lr-too-high');
    await both(a, b, p.steps);
    const mid = structuredClone(p.spec);
    mid.optimizer = { type: 'sgd', lr: 1 };
    const m = await startRun(mid);
    await m.train(p.steps);
    const midAcc = (await m.rt.evaluate('train')).accuracy ?? 0;
    const fastAcc = (await b.rt.evaluate('train')).accuracy ?? 1;
    log(p.id, { slow: tail(a.losses, 50), fast: tail(b.losses, 50), fastSd: std(b.losses.slice(-100)), midAcc });
    expect(tail(a.losses, 50)).toBeGreaterThan(0.5);
    expect(tail(b.losses, 50)).toBeGreaterThan(LN2);
    expect(midAcc).toBeGreaterThan(0.98);
    expect(fastAcc).toBeLessThan(0.6);
  });

  it('cosine-schedule: the decayed run ends on a flat, quiet stretch', async () => {
    const { p, a, b } = await pair('cosine-schedule');
    await both(a, b, p.steps);
    const sdA = std(a.losses.slice(-100));
    const sdB = std(b.losses.slice(-100));
    log(p.id, { sdA, sdB, lossA: tail(a.losses, 50), lossB: tail(b.losses, 50) });
    expect(sdB).toBeLessThan(sdA);
  });

  it('one-cycle: higher early, lower at the end', async () => {
    const { p, a, b } = await pair('one-cycle');
    await both(a, b, 300);
    const early = [tail(a.losses, 50), tail(b.losses, 50)];
    await both(a, b, p.steps - 300);
    log(p.id, {
      constant300: early[0],
      cycle300: early[1],
      constantEnd: tail(a.losses, 50),
      cycleEnd: tail(b.losses, 50),
    });
    expect(early[1]).toBeGreaterThan(early[0]);
    expect(tail(b.losses, 50)).toBeLessThan(tail(a.losses, 50));
  });

  it('gradient-clipping: clipping at norm 1 ends lower at lr 0.5', async () => {
    const { p, a, b } = await pair('gradient-clipping');
    await both(a, b, p.steps);
    const [ta, tb] = await Promise.all([a.rt.evaluate('train'), b.rt.evaluate('train')]);
    log(p.id, { lossA: ta.loss, lossB: tb.loss, accA: ta.accuracy ?? 0, accB: tb.accuracy ?? 0 });
    expect(tb.loss).toBeLessThan(ta.loss - 0.1);
  });

  it('layernorm-small-batch: at batch 4 LayerNorm learns where BatchNorm barely does', async () => {
    const { p, a, b } = await pair('layernorm-small-batch');
    await both(a, b, p.steps);
    const [ta, tb] = await Promise.all([a.rt.evaluate('train'), b.rt.evaluate('train')]);
    log(p.id, { bn: ta.loss, ln: tb.loss, accBn: ta.accuracy ?? 0, accLn: tb.accuracy ?? 0 });
    expect(tb.loss).toBeLessThan(ta.loss - 0.1);
  });

  it('gelu-vs-relu: the final losses barely differ', async () => {
    const { p, a, b } = await pair('gelu-vs-relu');
    await both(a, b, p.steps);
    const [ta, tb] = await Promise.all([a.rt.evaluate('train'), b.rt.evaluate('train')]);
    log(p.id, { relu: ta.loss, gelu: tb.loss, accRelu: ta.accuracy ?? 0, accGelu: tb.accuracy ?? 0 });
    expect(Math.abs(ta.loss - tb.loss)).toBeLessThan(0.02);
    expect(Math.min(ta.accuracy ?? 0, tb.accuracy ?? 0)).toBeGreaterThan(0.97);
  });

  // The MLP's pass takes about 10 s on one core (its second pass, 96%, is engine/data/mnist.train.test.ts); the CNN's
  // (about 60 s: 95.6% against 93.8% at step 375, 97.3% at 750) is checked by hand with
  // `npx tsx scripts/presetRun.ts mnist-cnn` when its notice changes, and in the Lab by e2e/lab.spec.ts.
  it('mnist-mlp: about 94% after one pass over the training digits', async () => {
    const p = readPreset('mnist-mlp');
    const r = await startRun(p.spec);
    await r.train(p.steps);
    const one = await r.rt.evaluate('val');
    log(p.id, { onePass: one.accuracy ?? 0, valCount: one.count });
    expect(one.count).toBe(6000);
    expect(one.accuracy ?? 0).toBeGreaterThan(0.93);
    expect(one.accuracy ?? 0).toBeLessThan(0.95);
  }, 120_000);

  it('adagrad-vs-rmsprop: RMSprop is done by step 1000 while AdaGrad is still far behind', async () => {
    const { p, a, b } = await pair('adagrad-vs-rmsprop');
    await both(a, b, 1000);
    const at1000 = [tail(a.losses, 50), tail(b.losses, 50)];
    await both(a, b, p.steps - 1000);
    log(p.id, { adagrad1000: at1000[0], rmsprop1000: at1000[1], adagradEnd: tail(a.losses, 50) });
    expect(at1000[1]).toBeLessThan(0.1);
    expect(at1000[0]).toBeGreaterThan(0.3);
    expect(tail(a.losses, 50)).toBeGreaterThan(tail(b.losses, 50));
  });
});
