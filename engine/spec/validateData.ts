// Validation of the data section (the 2-D toys with their input features and learner-added points, and MNIST) and
// of what the rest of the spec must agree with (model.input, the loss, the batch size). Never throws: every
// problem becomes a message starting with its path.

import type { Checker } from './check';
import { DATA_DEFAULTS, DATA_FEATURES, DATA_KINDS, LIMITS, MNIST, REGRESSION_DATA } from './defaults';
import type { DataFeature, NormalizedData, NormalizedSpec } from './types';

const FIELDS = ['kind', 'points', 'noise', 'valFraction', 'seed', 'classes', 'features', 'extra'];

export function checkData(c: Checker, raw: unknown): NormalizedData | null {
  const d = c.obj('data', raw);
  if (d === null) return null;
  c.known('data', d, FIELDS);
  const kind = c.oneOf('data.kind', d.kind, DATA_KINDS) ?? 'circle';
  const valFraction = c.num('data.valFraction', d.valFraction, 0, 0.9, DATA_DEFAULTS.valFraction);
  const seed = c.int('data.seed', d.seed, 0, 0xffffffff, DATA_DEFAULTS.seed);
  if (kind === 'mnist') {
    if (d.noise !== undefined && d.noise !== 0)
      c.fail('data.noise', 'must be 0 for data.kind mnist (the digits are used as packed)');
    if (d.classes !== undefined && d.classes !== MNIST.classes)
      c.fail('data.classes', `must be ${MNIST.classes} for data.kind mnist (the ten digits)`);
    for (const k of ['features', 'extra'])
      if (d[k] !== undefined && !(Array.isArray(d[k]) && d[k].length === 0))
        c.fail(`data.${k}`, 'applies to the 2-D data kinds only, not mnist');
    const points = c.int('data.points', d.points, 10, MNIST.points, MNIST.points);
    return { kind, points, noise: 0, valFraction, seed, classes: MNIST.classes, features: [], extra: [] };
  }
  const multi = kind === 'blobs' || kind === 'spiral';
  const classes = c.int('data.classes', d.classes, 2, multi ? LIMITS.classes : 2, DATA_DEFAULTS.classes);
  return {
    kind,
    points: c.int('data.points', d.points, 10, LIMITS.points, DATA_DEFAULTS.points),
    noise: c.num('data.noise', d.noise, 0, 1, DATA_DEFAULTS.noise),
    valFraction,
    seed,
    classes,
    features: checkFeatures(c, d.features),
    extra: checkExtra(c, d.extra, REGRESSION_DATA.includes(kind) ? null : classes),
  };
}

/** 1 to 7 distinct names, returned in the canonical order (so a set of features has one spelling, in JSON and URLs). */
function checkFeatures(c: Checker, raw: unknown): DataFeature[] {
  if (raw === undefined) return [...DATA_DEFAULTS.features];
  const names = DATA_FEATURES.join(', ');
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > DATA_FEATURES.length) {
    c.fail('data.features', `must be an array of 1 to ${DATA_FEATURES.length} distinct names from ${names}`);
    return [...DATA_DEFAULTS.features];
  }
  const seen = new Set<DataFeature>();
  raw.forEach((v, i) => {
    const f = c.oneOf(`data.features[${i}]`, v, DATA_FEATURES);
    if (f !== null && seen.has(f)) c.fail(`data.features[${i}]`, `repeats "${f}" (each feature may appear once)`);
    if (f !== null) seen.add(f);
  });
  return DATA_FEATURES.filter((f) => seen.has(f));
}

/** Flat [x1, x2, label] triples; `classes` null for regression kinds (any finite label). */
function checkExtra(c: Checker, raw: unknown, classes: number | null): number[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    c.fail('data.extra', 'must be an array of numbers: flat [x1, x2, label] triples');
    return [];
  }
  if (raw.length % 3 !== 0) {
    c.fail('data.extra', `must hold whole [x1, x2, label] triples (got ${raw.length} numbers)`);
    return [];
  }
  if (raw.length > 3 * LIMITS.extraPoints) {
    c.fail('data.extra', `holds ${raw.length / 3} points; at most ${LIMITS.extraPoints} may be added`);
    return [];
  }
  const out: number[] = [];
  raw.forEach((v, i) => {
    const path = `data.extra[${i}]`;
    if (i % 3 < 2) out.push(c.num(path, v, -1e6, 1e6, 0));
    else if (classes === null) out.push(c.num(path, v, -1e6, 1e6, 0));
    else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= classes) {
      c.fail(path, `must be a class index from 0 to ${classes - 1} (every third number is the point's label)`);
      out.push(0);
    } else out.push(v);
  });
  return out;
}

/** Training rows the data gives: the generated split plus the learner's points. */
export function trainRows(data: NormalizedData): number {
  return data.points - Math.round(data.points * data.valFraction) + data.extra.length / 3;
}

/** What the model, loss and batch size must be for this data. */
export function checkDataAgreement(
  c: Checker,
  data: NormalizedData,
  model: NormalizedSpec['model'] | null,
  loss: NormalizedSpec['loss'] | null,
  training: NormalizedSpec['training'] | null,
): void {
  const input = model?.input;
  if (data.kind === 'mnist') {
    if (input && !MNIST.inputs.some((s) => s.join(',') === input.join(',')))
      c.fail('model.input', `must be [784] (an MLP on flat pixels) or [1, 28, 28] (a CNN) for data.kind mnist`);
    if (loss && loss.type !== 'cross_entropy')
      c.fail('loss.type', `must be cross_entropy for data.kind mnist (10 digit classes; got ${loss.type})`);
  } else if (input && (input.length !== 1 || input[0] !== data.features.length)) {
    c.fail(
      'model.input',
      `must be [${data.features.length}] for the 2-D data.kind ${data.kind} (one input per data.features entry: ${data.features.join(', ')})`,
    );
  }
  if (training !== null && training.batchSize > trainRows(data))
    c.fail('training.batchSize', `must be at most the ${trainRows(data)} training points of the data`);
}
