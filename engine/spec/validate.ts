// Validation and normalisation of an ExperimentSpec in one pass: every field is checked (type, range, known
// names, layer order and shapes, loss/data compatibility) and every default is filled from defaults.ts.
// Never throws: returns { ok: false, errors } with one message per problem, each starting with its path.

import { Checker, isObj } from './check';
import {
  LIMITS,
  LOSS_DEFAULTS,
  LOSS_TYPES,
  OPTIMIZER_DEFAULTS,
  OPTIMIZER_TYPES,
  REGULARIZATION_DEFAULTS,
  SCHEDULE_DEFAULTS,
  SCHEDULE_TYPES,
  TRAINING_DEFAULTS,
} from './defaults';
import type { Checked, NormalizedSpec } from './types';
import { checkData, checkDataAgreement } from './validateData';
import { checkGroups } from './validateGroups';
import { checkHead, checkInput, checkLayers, type Flow } from './validateModel';

export function validateSpec(raw: unknown): Checked<NormalizedSpec> {
  const c = new Checker();
  try {
    const spec = checkSpec(c, raw);
    if (c.errors.length > 0 || spec === null) return { ok: false, errors: c.errors };
    return { ok: true, value: spec };
  } catch (e) {
    // Defensive: a bug in a check must still come back as a message, never as an exception.
    return { ok: false, errors: [{ path: 'spec', message: `spec could not be checked: ${String(e)}` }] };
  }
}

function checkSpec(c: Checker, raw: unknown): NormalizedSpec | null {
  const s = c.obj('spec', raw);
  if (s === null) return null;
  c.known('spec', s, [
    'data',
    'model',
    'loss',
    'optimizer',
    'schedule',
    'regularization',
    'training',
    'groups',
    'steps',
    'evaluations',
  ]);
  const data = s.data === undefined ? null : checkData(c, s.data);
  const modelObj = c.obj('model', s.model);
  let model: NormalizedSpec['model'] | null = null;
  let out: Flow | null = null;
  if (modelObj !== null) {
    c.known('model', modelObj, ['input', 'layers']);
    const input = checkInput(c, modelObj.input);
    const layersRaw = c.array('model.layers', modelObj.layers, 1, LIMITS.layers);
    if (input !== null && layersRaw !== null) {
      const flow: Flow = { shape: input, from: 'the input', params: 0, bnVectors: [], actElements: 0 };
      const layers = checkLayers(c, 'model.layers', layersRaw, flow, 0);
      model = { input, layers };
      out = flow;
      const batch = isObj(s.training) ? s.training.batchSize : undefined;
      if (typeof batch === 'number' && batch * flow.actElements * 2 > LIMITS.activationElements)
        c.fail(
          'model',
          `needs about ${batch * flow.actElements * 2} activation values per step at batch ${batch}; the limit is ${LIMITS.activationElements} (use fewer filters or units, more pooling, or a smaller batch)`,
        );
      for (const p of flow.bnVectors)
        if (batch === 1) c.failAt(p, 'batchnorm on features needs training.batchSize of at least 2 (as PyTorch)');
      if (flow.params > LIMITS.parameters)
        c.fail('model', `has ${flow.params} parameters; the limit is ${LIMITS.parameters}`);
    }
  }
  const loss = checkLoss(c, s.loss);
  const optimizer = checkOptimizer(c, s.optimizer);
  const schedule = checkSchedule(c, s.schedule);
  if (schedule?.type === 'onecycle' && schedule.cycleMomentum && optimizer?.type === 'adagrad')
    c.fail('schedule.cycleMomentum', 'must be false with adagrad, which has no momentum (as torch OneCycleLR)');
  const regularization = checkRegularization(c, s.regularization);
  const training = checkTraining(c, s.training);
  if (out !== null && loss !== null) checkHead(c, out, loss, data);
  if (data !== null) checkDataAgreement(c, data, model, loss, training);
  if (model === null || loss === null || optimizer === null || schedule === null || training === null) return null;
  const spec: NormalizedSpec = { data, model, loss, optimizer, schedule, regularization, training };
  return checkGroups(c, s, spec, { loss: checkLoss, optimizer: checkOptimizer, schedule: checkSchedule }) ? spec : null;
}

export function checkLoss(c: Checker, raw: unknown, at = 'loss'): NormalizedSpec['loss'] | null {
  const l = c.obj(at, raw);
  if (l === null) return null;
  const type = c.oneOf(`${at}.type`, l.type, LOSS_TYPES);
  if (type === 'huber') {
    c.known(at, l, ['type', 'delta']);
    return { type, delta: c.num(`${at}.delta`, l.delta, 0, 1e6, LOSS_DEFAULTS.huberDelta, { min: true }) };
  }
  if (type === 'cross_entropy') {
    c.known(at, l, ['type', 'labelSmoothing']);
    const labelSmoothing = c.num(`${at}.labelSmoothing`, l.labelSmoothing, 0, 1, LOSS_DEFAULTS.labelSmoothing);
    return { type, labelSmoothing };
  }
  if (type === null) return null;
  c.known(at, l, ['type']);
  return { type };
}

export function checkOptimizer(c: Checker, raw: unknown, at = 'optimizer'): NormalizedSpec['optimizer'] | null {
  const o = c.obj(at, raw);
  if (o === null) return null;
  const type = c.oneOf(`${at}.type`, o.type, OPTIMIZER_TYPES);
  if (type === null) return null;
  const lr = (def?: number) => c.num(`${at}.lr`, o.lr, 0, 100, def, { min: true });
  const wd = (def: number) => c.num(`${at}.weightDecay`, o.weightDecay, 0, 100, def);
  const eps = (def: number) => c.num(`${at}.eps`, o.eps, 0, 1, def, { min: true });
  switch (type) {
    case 'sgd': {
      c.known(at, o, ['type', 'lr', 'momentum', 'dampening', 'nesterov', 'weightDecay']);
      const d = OPTIMIZER_DEFAULTS.sgd;
      const momentum = c.num(`${at}.momentum`, o.momentum, 0, 1, d.momentum, { max: true });
      const dampening = c.num(`${at}.dampening`, o.dampening, 0, 1, d.dampening);
      const nesterov = c.bool(`${at}.nesterov`, o.nesterov, d.nesterov);
      if (nesterov && (momentum <= 0 || dampening !== 0))
        c.fail(`${at}.nesterov`, 'requires momentum > 0 and dampening 0 (as torch.optim.SGD)');
      return { type, lr: lr(), momentum, dampening, nesterov, weightDecay: wd(d.weightDecay) };
    }
    case 'rmsprop': {
      c.known(at, o, ['type', 'lr', 'alpha', 'eps', 'momentum', 'centered', 'weightDecay']);
      const d = OPTIMIZER_DEFAULTS.rmsprop;
      return {
        type,
        lr: lr(d.lr),
        alpha: c.num(`${at}.alpha`, o.alpha, 0, 1, d.alpha),
        eps: eps(d.eps),
        momentum: c.num(`${at}.momentum`, o.momentum, 0, 1, d.momentum, { max: true }),
        centered: c.bool(`${at}.centered`, o.centered, d.centered),
        weightDecay: wd(d.weightDecay),
      };
    }
    case 'adagrad': {
      c.known(at, o, ['type', 'lr', 'eps', 'weightDecay', 'lrDecay', 'initialAccumulatorValue']);
      const d = OPTIMIZER_DEFAULTS.adagrad;
      return {
        type,
        lr: lr(d.lr),
        eps: eps(d.eps),
        weightDecay: wd(d.weightDecay),
        lrDecay: c.num(`${at}.lrDecay`, o.lrDecay, 0, 100, d.lrDecay),
        initialAccumulatorValue: c.num(`${at}.initialAccumulatorValue`, o.initialAccumulatorValue, 0, 1e6, 0),
      };
    }
    case 'adam':
    case 'adamw': {
      c.known(at, o, ['type', 'lr', 'betas', 'eps', 'weightDecay']);
      const d = OPTIMIZER_DEFAULTS[type];
      let betas: [number, number] = [...d.betas];
      if (o.betas !== undefined) {
        const b = c.array(`${at}.betas`, o.betas, 2, 2);
        if (b !== null)
          betas = [
            c.num(`${at}.betas[0]`, b[0], 0, 1, undefined, { max: true }),
            c.num(`${at}.betas[1]`, b[1], 0, 1, undefined, { max: true }),
          ];
      }
      return { type, lr: lr(d.lr), betas, eps: eps(d.eps), weightDecay: wd(d.weightDecay) };
    }
  }
}

export function checkSchedule(c: Checker, raw: unknown, at = 'schedule'): NormalizedSpec['schedule'] | null {
  if (raw === undefined) return { type: 'constant', warmupSteps: 0 };
  const s = c.obj(at, raw);
  if (s === null) return null;
  const type = c.oneOf(`${at}.type`, s.type, SCHEDULE_TYPES);
  if (type === null) return null;
  const warmupSteps = c.int(`${at}.warmupSteps`, s.warmupSteps, 0, LIMITS.steps, SCHEDULE_DEFAULTS.warmupSteps);
  const steps = (k: string, def?: number) => c.int(`${at}.${k}`, s[k], 1, LIMITS.steps, def);
  const minLr = (def: number) => c.num(`${at}.minLr`, s.minLr, 0, 100, def);
  const fields = (...f: string[]) => c.known(at, s, ['type', 'warmupSteps', ...f]);
  switch (type) {
    case 'constant':
      fields();
      return { type, warmupSteps };
    case 'step':
      fields('stepSize', 'gamma');
      return {
        type,
        warmupSteps,
        stepSize: steps('stepSize'),
        gamma: c.num(`${at}.gamma`, s.gamma, 0, 10, SCHEDULE_DEFAULTS.step.gamma, { min: true }),
      };
    case 'exponential':
      fields('gamma');
      return { type, warmupSteps, gamma: c.num(`${at}.gamma`, s.gamma, 0, 10, undefined, { min: true }) };
    case 'cosine': {
      fields('totalSteps', 'minLr');
      const totalSteps = steps('totalSteps');
      if (totalSteps <= warmupSteps) c.fail(`${at}.totalSteps`, `must be greater than warmupSteps (${warmupSteps})`);
      return { type, warmupSteps, totalSteps, minLr: minLr(SCHEDULE_DEFAULTS.cosine.minLr) };
    }
    case 'cosine_restarts':
      fields('t0', 'tMult', 'minLr');
      return {
        type,
        warmupSteps,
        t0: steps('t0'),
        tMult: c.int(`${at}.tMult`, s.tMult, 1, 100, SCHEDULE_DEFAULTS.cosine_restarts.tMult),
        minLr: minLr(SCHEDULE_DEFAULTS.cosine_restarts.minLr),
      };
    case 'onecycle': {
      fields(
        'maxLr',
        'totalSteps',
        'pctStart',
        'divFactor',
        'finalDivFactor',
        'cycleMomentum',
        'baseMomentum',
        'maxMomentum',
      );
      const d = SCHEDULE_DEFAULTS.onecycle;
      const baseMomentum = c.num(`${at}.baseMomentum`, s.baseMomentum, 0, 1, d.baseMomentum, { max: true });
      const maxMomentum = c.num(`${at}.maxMomentum`, s.maxMomentum, 0, 1, d.maxMomentum, { max: true });
      return {
        cycleMomentum: c.bool(`${at}.cycleMomentum`, s.cycleMomentum, d.cycleMomentum),
        baseMomentum,
        maxMomentum,
        type,
        warmupSteps,
        maxLr: c.num(`${at}.maxLr`, s.maxLr, 0, 100, undefined, { min: true }),
        totalSteps: steps('totalSteps'),
        pctStart: c.num(`${at}.pctStart`, s.pctStart, 0, 1, d.pctStart, { min: true, max: true }),
        divFactor: c.num(`${at}.divFactor`, s.divFactor, 0, 1e9, d.divFactor, { min: true }),
        finalDivFactor: c.num(`${at}.finalDivFactor`, s.finalDivFactor, 0, 1e12, d.finalDivFactor, { min: true }),
      };
    }
    case 'plateau': {
      fields('factor', 'patience', 'minLr', 'threshold');
      const d = SCHEDULE_DEFAULTS.plateau;
      return {
        type,
        warmupSteps,
        factor: c.num(`${at}.factor`, s.factor, 0, 1, d.factor, { min: true, max: true }),
        patience: c.int(`${at}.patience`, s.patience, 0, 100000, d.patience),
        minLr: minLr(d.minLr),
        threshold: c.num(`${at}.threshold`, s.threshold, 0, 1, d.threshold),
      };
    }
  }
}

function checkRegularization(c: Checker, raw: unknown): NormalizedSpec['regularization'] {
  const d = REGULARIZATION_DEFAULTS;
  if (raw === undefined) return { ...d };
  const r = c.obj('regularization', raw);
  if (r === null) return { ...d };
  c.known('regularization', r, ['l1', 'l2', 'clipGradNorm', 'clipGradValue']);
  const clip = (k: 'clipGradNorm' | 'clipGradValue') =>
    r[k] === undefined || r[k] === null ? null : c.num(`regularization.${k}`, r[k], 0, 1e6, undefined, { min: true });
  return {
    l1: c.num('regularization.l1', r.l1, 0, 10, d.l1),
    l2: c.num('regularization.l2', r.l2, 0, 10, d.l2),
    clipGradNorm: clip('clipGradNorm'),
    clipGradValue: clip('clipGradValue'),
  };
}

function checkTraining(c: Checker, raw: unknown): NormalizedSpec['training'] | null {
  const t = c.obj('training', raw);
  if (t === null) return null;
  c.known('training', t, ['batchSize', 'seed', 'steps']);
  return {
    batchSize: c.int('training.batchSize', t.batchSize, 1, LIMITS.batchSize),
    seed: c.int('training.seed', t.seed, 0, 0xffffffff, TRAINING_DEFAULTS.seed),
    steps: c.int('training.steps', t.steps, 0, LIMITS.steps, TRAINING_DEFAULTS.steps),
  };
}
