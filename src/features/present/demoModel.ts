// A demo script as data (content/demos/<id>.yaml, or a learner's own demo): what it is, and its one reading. Each step
// says where its experiment comes from (a lab preset, a whole spec, or a change to the previous step's spec), an
// optional run B on the same screen, a caption (Markdown with KaTeX), the Lab panels to show and what to point at.
// `resolveDemo` turns the raw data into ready specs (through the engine's validateSpec) or a list of problems, each
// naming the step; the content validator (scripts/validate/demos.ts) and the browser's import share it. No DOM, no
// Vite-isms: the context supplies presets, panel ids and the Lab's size limits.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { type ExperimentSpec, type NormalizedSpec, validateSpec } from '../../../engine/index';

export interface PointAt {
  /** A Lab panel id (boundary, curves, gradients ...). */
  panel: string;
  note?: string;
}

/** Where a run's experiment comes from: exactly one of these. */
export interface SpecSource {
  preset?: string;
  spec?: ExperimentSpec;
  /** Deep-merged over the previous step's run A (for a step) or over this step's run A (for run B). */
  change?: Record<string, unknown>;
}

export interface CompareSource extends SpecSource {
  labelA?: string;
  labelB?: string;
}

export interface DemoStepSource extends SpecSource {
  title?: string;
  caption?: string;
  /** Run B on the same screen; `{ preset: id }` takes that preset's run B and its labels. */
  compare?: CompareSource;
  /** Lab panel ids; default: the previous step's, or the boundary and the curves. */
  panels?: string[];
  point?: PointAt;
  /** Steps to train; default: the previous step's for a change, else the spec's training.steps, else DEFAULT_TRAIN. */
  train?: number;
}

export interface DemoSource {
  id?: string;
  title?: string;
  summary?: string;
  concepts?: string[];
  /** Where the demo sits on /present (the curriculum's order); default 100. */
  order?: number;
  steps?: DemoStepSource[];
}

export interface DemoStep {
  title: string;
  caption: string;
  a: NormalizedSpec;
  b: NormalizedSpec | null;
  labels: { a: string; b: string };
  panels: string[];
  point: PointAt | null;
  train: number;
}

export interface Demo {
  id: string;
  title: string;
  summary: string;
  concepts: string[];
  order: number;
  steps: DemoStep[];
}

export interface PresetLike {
  spec: unknown;
  compare?: { labelA: string; labelB: string; spec: unknown };
}

export interface DemoContext {
  preset(id: string): PresetLike | undefined;
  /** The panels a step may show. */
  panels: ReadonlySet<string>;
  /** When given, every concept id must be one of these. */
  concepts?: ReadonlySet<string>;
}

export const DEFAULT_TRAIN = 600;
/** A step trains live in front of a room: long runs belong in the Lab. */
export const MAX_TRAIN = 5000;
export const MAX_STEPS = 40;
/** More panels than this do not fit on one screen at a projector's 1024x768. */
export const MAX_PANELS = 3;
export const DEFAULT_PANELS = ['boundary', 'curves'];
const DEMO_KEYS = new Set(['id', 'title', 'summary', 'concepts', 'order', 'steps']);
const STEP_KEYS = new Set(['title', 'caption', 'preset', 'spec', 'change', 'compare', 'panels', 'point', 'train']);
const COMPARE_KEYS = new Set(['preset', 'spec', 'change', 'labelA', 'labelB']);
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The change of a step applied to a spec: objects merge key by key, arrays and scalars replace, null removes a key,
 * and an object whose `type` differs from the base's replaces it whole (switching sgd to adam drops `momentum`). */
export function mergeChange(base: unknown, change: unknown): unknown {
  if (!isObj(change) || !isObj(base)) return change;
  if ('type' in change && change.type !== base.type) return stripNulls(change);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(change)) {
    if (v === null) delete out[k];
    else out[k] = k in base ? mergeChange(base[k], v) : stripNulls(v);
  }
  return out;
}

function stripNulls(v: unknown): unknown {
  if (!isObj(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, stripNulls(x)]),
  );
}

function specErrors(v: ReturnType<typeof validateSpec>): string {
  if (v.ok) return '';
  const shown = v.errors.slice(0, 3).map((e) => e.message);
  return shown.join('; ') + (v.errors.length > 3 ? ` (and ${v.errors.length - 3} more)` : '');
}

/** Reads a demo's YAML (or JSON) text: the parsed object, or a sentence saying why it could not be read. */
export function parseDemoText(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: parseYaml(text, { maxAliasCount: 1000 }) as unknown };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { ok: false, error: `it is not valid YAML (${msg})` };
  }
}

/** Checks and resolves a demo. `where` prefixes nothing; every problem names its step ("step 3 (“Adam”): ..."). */
export function resolveDemo(raw: unknown, ctx: DemoContext): { demo: Demo | null; problems: string[] } {
  const problems: string[] = [];
  if (!isObj(raw)) return { demo: null, problems: ['a demo is a mapping with id, title and steps'] };
  for (const k of Object.keys(raw)) if (!DEMO_KEYS.has(k)) problems.push(`unknown field “${k.slice(0, 40)}”`);
  const id = typeof raw.id === 'string' ? raw.id : '';
  if (!ID.test(id)) problems.push('id must be lowercase words joined by hyphens');
  const title = typeof raw.title === 'string' ? raw.title.trim() : '';
  if (!title) problems.push('no title');
  const summary = typeof raw.summary === 'string' ? raw.summary.trim() : '';
  const concepts = Array.isArray(raw.concepts) ? raw.concepts.filter((c): c is string => typeof c === 'string') : [];
  if (raw.concepts !== undefined && (!Array.isArray(raw.concepts) || concepts.length !== raw.concepts.length))
    problems.push('concepts must be a list of concept ids');
  const order = raw.order ?? 100;
  if (typeof order !== 'number' || !Number.isInteger(order)) problems.push('order must be a whole number');
  if (ctx.concepts) for (const c of concepts) if (!ctx.concepts.has(c)) problems.push(`concept “${c}” has no page`);
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    problems.push('no steps');
    return { demo: null, problems };
  }
  if (raw.steps.length > MAX_STEPS) problems.push(`has ${raw.steps.length} steps; at most ${MAX_STEPS}`);
  const steps: DemoStep[] = [];
  let prev: DemoStep | null = null;
  raw.steps.forEach((s: unknown, i: number) => {
    const name = isObj(s) && typeof s.title === 'string' && s.title ? ` (“${s.title.slice(0, 50)}”)` : '';
    const say = (m: string) => problems.push(`step ${i + 1}${name}: ${m}`);
    const step = resolveStep(s, prev, ctx, say);
    if (step) {
      steps.push(step);
      prev = step;
    } else prev = null;
  });
  if (problems.length > 0) return { demo: null, problems };
  return { demo: { id, title, summary, concepts, order: order as number, steps }, problems };
}

function resolveSource(
  s: Record<string, unknown>,
  base: NormalizedSpec | null,
  ctx: DemoContext,
  baseName: string,
  say: (m: string) => void,
  /** Which of a preset's runs a `preset:` names: run A for a step, run B for its compare block. */
  side: 'a' | 'b',
): { spec: NormalizedSpec; preset: PresetLike | null } | null {
  // A preset may carry a change (applied over the preset's experiment); otherwise exactly one source.
  const given = (['preset', 'spec', 'change'] as const).filter((k) => s[k] !== undefined);
  const combo = given.join('+');
  // No source at all: the experiment of the step before (a new view of it, or a run B beside it).
  if (combo === '' && base) return { spec: base, preset: null };
  if (!['preset', 'spec', 'change', 'preset+change'].includes(combo)) {
    say(
      given.length === 0
        ? `needs one of preset, spec or change (there is no ${baseName} to repeat)`
        : `has ${given.join(' and ')}; give one of preset, spec or change (or a preset with a change)`,
    );
    return null;
  }
  if (s.change !== undefined && !isObj(s.change)) {
    say('change must be a mapping (the fields of the spec to change)');
    return null;
  }
  let raw: unknown;
  let preset: PresetLike | null = null;
  if (s.preset !== undefined) {
    preset = typeof s.preset === 'string' ? (ctx.preset(s.preset) ?? null) : null;
    if (!preset) {
      say(`there is no lab preset called “${String(s.preset).slice(0, 60)}”`);
      return null;
    }
    if (side === 'b' && !preset.compare) {
      say(`the preset “${String(s.preset)}” has no run B`);
      return null;
    }
    raw = side === 'a' ? preset.spec : preset.compare?.spec;
  } else if (s.spec !== undefined) raw = s.spec;
  else if (!base) {
    say(`change needs ${baseName} to apply to`);
    return null;
  } else raw = base;
  if (s.change !== undefined) raw = mergeChange(raw, s.change);
  const v = validateSpec(raw);
  if (!v.ok) {
    say(`the experiment is not valid: ${specErrors(v)}`);
    return null;
  }
  return { spec: v.value, preset };
}

function resolveStep(raw: unknown, prev: DemoStep | null, ctx: DemoContext, say: (m: string) => void): DemoStep | null {
  if (!isObj(raw)) {
    say('a step is a mapping (title, caption, and preset, spec or change)');
    return null;
  }
  let ok = true;
  const fail = (m: string) => {
    ok = false;
    say(m);
  };
  for (const k of Object.keys(raw)) if (!STEP_KEYS.has(k)) fail(`unknown field “${k.slice(0, 40)}”`);
  const title = typeof raw.title === 'string' ? raw.title.trim() : '';
  if (!title) fail('no title');
  const caption = typeof raw.caption === 'string' ? raw.caption.trim() : '';
  if (!caption) fail('no caption');
  const a = resolveSource(raw, prev?.a ?? null, ctx, 'a previous step', fail, 'a');

  let b: NormalizedSpec | null = null;
  const labels = { a: 'A', b: 'B' };
  if (raw.compare !== undefined) {
    const c = raw.compare;
    if (!isObj(c)) fail('compare must be a mapping (preset, spec or change, and labelA, labelB)');
    else {
      for (const k of Object.keys(c)) if (!COMPARE_KEYS.has(k)) fail(`compare: unknown field “${k.slice(0, 40)}”`);
      const sayB = (m: string) => fail(`compare: ${m}`);
      if (a) {
        const r = resolveSource(c, a.spec, ctx, 'run A', sayB, 'b');
        if (r) b = r.spec;
        if (r?.preset?.compare) {
          labels.a = r.preset.compare.labelA;
          labels.b = r.preset.compare.labelB;
        }
      }
      for (const k of ['labelA', 'labelB'] as const) {
        if (c[k] === undefined) continue;
        if (typeof c[k] !== 'string' || !c[k].trim()) sayB(`${k} must be a short text`);
        else labels[k === 'labelA' ? 'a' : 'b'] = (c[k] as string).trim();
      }
      if (a && b && (a.spec.data?.kind === 'mnist') !== (b.data?.kind === 'mnist'))
        sayB('run B trains on a different kind of data than run A');
    }
  }

  let panels = prev?.panels ?? DEFAULT_PANELS;
  if (raw.panels !== undefined) {
    if (!Array.isArray(raw.panels) || raw.panels.length === 0) fail('panels must be a list of Lab panel ids');
    else {
      const bad = raw.panels.filter((p) => typeof p !== 'string' || !ctx.panels.has(p));
      if (bad.length)
        fail(
          `${bad.map((p) => `“${String(p)}”`).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not a Lab panel (${[...ctx.panels].join(', ')})`,
        );
      if (raw.panels.length > MAX_PANELS)
        fail(`shows ${raw.panels.length} panels; at most ${MAX_PANELS} fit on a screen`);
      panels = raw.panels.filter((p): p is string => typeof p === 'string');
    }
  }
  let point: PointAt | null = null;
  if (raw.point !== undefined) {
    const p = raw.point;
    if (!isObj(p) || typeof p.panel !== 'string') fail('point must be a mapping with a panel (and an optional note)');
    else if (!panels.includes(p.panel))
      fail(`point: the panel “${p.panel}” is not among the step’s panels (${panels.join(', ')})`);
    else if (p.note !== undefined && typeof p.note !== 'string') fail('point: note must be a text');
    else point = { panel: p.panel, ...(typeof p.note === 'string' && p.note.trim() ? { note: p.note.trim() } : {}) };
  }
  // A changed experiment trains as long as the one it changes; a new one as long as its spec suggests.
  let train =
    (raw.preset === undefined && raw.spec === undefined ? prev?.train : a?.spec.training.steps) ?? DEFAULT_TRAIN;
  if (raw.train !== undefined) {
    if (typeof raw.train !== 'number' || !Number.isInteger(raw.train) || raw.train < 1 || raw.train > MAX_TRAIN)
      fail(`train must be a whole number of steps from 1 to ${MAX_TRAIN}`);
    else train = raw.train;
  } else if (train > MAX_TRAIN) train = MAX_TRAIN;
  if (!ok || !a) return null;
  return { title, caption, a: a.spec, b, labels, panels, point, train };
}

/** A demo as a self-contained file (every step a whole spec): what a user demo exports and a share link carries. */
export function demoToSource(demo: Demo): DemoSource {
  return {
    id: demo.id,
    title: demo.title,
    ...(demo.summary ? { summary: demo.summary } : {}),
    ...(demo.concepts.length ? { concepts: demo.concepts } : {}),
    steps: demo.steps.map((s) => ({
      title: s.title,
      caption: s.caption,
      spec: s.a as unknown as ExperimentSpec,
      ...(s.b ? { compare: { labelA: s.labels.a, labelB: s.labels.b, spec: s.b as unknown as ExperimentSpec } } : {}),
      panels: s.panels,
      ...(s.point ? { point: s.point } : {}),
      train: s.train,
    })),
  };
}

export function demoToYaml(demo: Demo): string {
  const head = `# A Gradient Atlas demo: open /present and choose “Import a demo file” to present it.\n`;
  return head + stringifyYaml(demoToSource(demo), { lineWidth: 0, aliasDuplicateObjects: false });
}
