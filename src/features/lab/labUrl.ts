// The whole Lab experiment lives in the URL, so "Copy link" opens the same run anywhere (same spec, same seed, same
// curves): /lab?s=<spec A>&b=<spec B, compare mode>&preset=<id>&problem=<id>&hide=<panels>&present=1&log=1
// Specs use the engine's compact encoding (engine/spec/encode.ts, validated on decode). A malformed or tampered link
// never crashes the page: every problem becomes a sentence for the learner and the defaults open instead.
import { decodeSpec, encodeSpec, type NormalizedSpec, validateSpec } from '../../../engine/index';
import { DEFAULT_SPECS, LIMITS_2D, LIMITS_MNIST, taskOf } from './catalog';

export const PANELS = [
  { id: 'controls', label: 'Controls' },
  { id: 'boundary', label: 'Decision boundary' },
  { id: 'network', label: 'Network diagram' },
  { id: 'curves', label: 'Loss and accuracy' },
  { id: 'gradients', label: 'Gradient norms' },
  { id: 'activations', label: 'Activations' },
  { id: 'weights', label: 'Weights' },
  { id: 'lr', label: 'Learning rate' },
  { id: 'mnist', label: 'Digits: confusion and mistakes' },
] as const;
export type PanelId = (typeof PANELS)[number]['id'];

export interface LabView {
  hidden: PanelId[];
  /** Presenting: controls hidden, type enlarged, for a projector. */
  present: boolean;
  logScale: boolean;
}

export interface LabUrlState {
  a: NormalizedSpec;
  b: NormalizedSpec | null;
  view: LabView;
  preset: string | null;
  /** A practice problem the Lab is working on (its goal and grader show above the figures). */
  problem?: string | null;
}

export interface PresetSource {
  spec: unknown;
  compare?: { spec: unknown } | null;
}

export const DEFAULT_VIEW: LabView = { hidden: [], present: false, logScale: false };
const KNOWN = new Set(['s', 'b', 'preset', 'problem', 'hide', 'present', 'log']);
const MAX_ENCODED = 4000;
const PANEL_IDS = new Set<string>(PANELS.map((p) => p.id));

export function defaultSpec(): NormalizedSpec {
  const v = validateSpec(DEFAULT_SPECS.classify2d);
  if (!v.ok) throw new Error(`the Lab's default spec is invalid: ${v.errors[0]?.message}`);
  return v.value;
}

/** Sizes the Lab allows beyond what the engine validates (a learner's browser must stay responsive). */
export function labLimitProblem(spec: NormalizedSpec): string | null {
  const mnist = taskOf(spec) === 'mnist';
  const maxUnits = mnist ? LIMITS_MNIST.units : LIMITS_2D.units;
  // Counted as the editor counts them: dense layers (the last is the output) and conv blocks separately.
  let hidden = 0;
  let widest = 0;
  let convs = 0;
  let filters = 0;
  const walk = (ls: NormalizedSpec['model']['layers']) => {
    for (const l of ls) {
      if (l.type === 'dense') {
        hidden++;
        widest = Math.max(widest, l.units);
      } else if (l.type === 'conv2d') {
        convs++;
        filters = Math.max(filters, l.filters);
      } else if (l.type === 'residual') walk(l.layers);
    }
  };
  walk(spec.model.layers);
  if (hidden - 1 > LIMITS_2D.layers)
    return `the network has ${hidden - 1} hidden layers; the Lab allows ${LIMITS_2D.layers}`;
  if (convs > LIMITS_MNIST.convBlocks)
    return `the network has ${convs} convolutional layers; the Lab allows ${LIMITS_MNIST.convBlocks}`;
  if (widest > maxUnits) return `a layer has ${widest} units; the Lab allows ${maxUnits}`;
  if (filters > LIMITS_MNIST.filters)
    return `a convolution has ${filters} filters; the Lab allows ${LIMITS_MNIST.filters}`;
  const bs = spec.training.batchSize;
  if (bs > LIMITS_2D.batch[1]) return `the batch size is ${bs}; the Lab allows ${LIMITS_2D.batch[1]}`;
  const d = spec.data;
  if (d && !mnist && (d.points < LIMITS_2D.points[0] || d.points > LIMITS_2D.points[1]))
    return `the data has ${d.points} points; the Lab allows ${LIMITS_2D.points[0]} to ${LIMITS_2D.points[1]}`;
  if (!d) return 'the experiment has no data section';
  return null;
}

function readSpec(text: string, which: string, problems: string[]): NormalizedSpec | null {
  if (text.length > MAX_ENCODED) {
    problems.push(`The ${which} in this link is ${text.length} characters long, more than any Lab experiment needs.`);
    return null;
  }
  const d = decodeSpec(text);
  if (!d.ok) {
    const shown = d.errors.slice(0, 3).map((e) => e.message);
    const more = d.errors.length > 3 ? ` (and ${d.errors.length - 3} more)` : '';
    problems.push(`The ${which} in this link could not be read: ${shown.join('; ')}${more}.`);
    return null;
  }
  const limit = labLimitProblem(d.value);
  if (limit) {
    problems.push(`The ${which} in this link is too large for the Lab: ${limit}.`);
    return null;
  }
  return d.value;
}

function readPresetSpec(raw: unknown, which: string, problems: string[]): NormalizedSpec | null {
  const v = validateSpec(raw);
  if (!v.ok) {
    problems.push(`The preset's ${which} is invalid: ${v.errors[0]?.message}.`);
    return null;
  }
  return v.value;
}

/** Reads the Lab's state from a query string. `problems` is empty for a clean link. */
export function parseLabUrl(
  search: string,
  presetById: (id: string) => PresetSource | undefined,
  /** A practice problem's starting spec (undefined: no such problem). */
  problemStart: (id: string) => unknown | undefined = () => undefined,
): { state: LabUrlState; problems: string[]; fellBack: boolean } {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  for (const k of new Set(q.keys()))
    if (!KNOWN.has(k))
      problems.push(`The link parameter “${k.slice(0, 40)}” is not one the Lab knows; it was ignored.`);

  const view: LabView = { ...DEFAULT_VIEW, hidden: [] };
  const hide = q.get('hide');
  if (hide) {
    for (const id of hide.split(',')) {
      if (PANEL_IDS.has(id)) view.hidden.push(id as PanelId);
      else problems.push(`“${id.slice(0, 40)}” in hide= is not a Lab panel; it was ignored.`);
    }
  }
  view.present = q.get('present') === '1';
  view.logScale = q.get('log') === '1';

  let preset: string | null = null;
  let a: NormalizedSpec | null = null;
  let b: NormalizedSpec | null = null;
  const presetId = q.get('preset');
  if (presetId !== null) {
    const p = presetById(presetId);
    if (!p) problems.push(`There is no Lab preset called “${presetId.slice(0, 60)}”.`);
    else {
      preset = presetId;
      if (!q.has('s')) {
        a = readPresetSpec(p.spec, 'experiment', problems);
        b = p.compare ? readPresetSpec(p.compare.spec, 'comparison run', problems) : null;
      }
    }
  }
  let problem: string | null = null;
  const problemId = q.get('problem');
  if (problemId !== null) {
    const start = problemStart(problemId);
    if (start === undefined) problems.push(`There is no practice problem called “${problemId.slice(0, 60)}”.`);
    else {
      problem = problemId;
      if (!q.has('s')) a = readPresetSpec(start, 'problem', problems);
    }
  }
  const s = q.get('s');
  if (s !== null) a = readSpec(s, 'experiment', problems);
  const bText = q.get('b');
  if (bText !== null && a !== null) {
    b = readSpec(bText, 'comparison run', problems);
    if (b && taskOf(b) !== taskOf(a)) {
      problems.push('The comparison run in this link trains on a different kind of data than run A; it was left out.');
      b = null;
    }
  }
  // The link asked for an experiment the Lab could not open: the defaults stand in, and the learner is told.
  const fellBack = a === null && (s !== null || presetId !== null || problemId !== null);
  if (a === null) {
    b = null;
    preset = null;
    problem = null;
  }
  // `problem` only when there is one: a link without it reads back to exactly the state that wrote it.
  const state: LabUrlState = { a: a ?? defaultSpec(), b, view, preset, ...(problem ? { problem } : {}) };
  return { state, problems, fellBack };
}

/** The query string for a state (always with the spec, so the link carries the exact experiment). */
export function writeLabUrl(state: LabUrlState): string {
  const q = new URLSearchParams();
  if (state.preset) q.set('preset', state.preset);
  if (state.problem) q.set('problem', state.problem);
  q.set('s', encodeSpec(state.a));
  if (state.b) q.set('b', encodeSpec(state.b));
  if (state.view.hidden.length > 0) q.set('hide', state.view.hidden.join(','));
  if (state.view.present) q.set('present', '1');
  if (state.view.logScale) q.set('log', '1');
  // Commas read better than %2C in a shared link and are legal in a query.
  return `?${q.toString().replace(/%2C/g, ',')}`;
}
