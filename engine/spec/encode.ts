// Compact, URL-safe encoding of an ExperimentSpec, driven by ONE table of properties (as TensorFlow Playground's
// state.ts): each section and each field has a short code and a codec. Only unreserved URL characters appear
// ([A-Za-z0-9._~-]), so the result needs no escaping in a query string or hash.
//
// Format: sections joined by '~'; a section is its code followed by '_'-joined fields; a field is its letter code
// immediately followed by its value (numbers as JS writes them, enums as their index in the table, booleans 0/1;
// number arrays repeat their code; a list of names from a table of at most 10 is one token of index digits, so
// data.features [x1, x2, x1x2] is `f014`). Layers are one 'L' section each; a residual opens with 'R' and closes
// with 'E'. data.extra's [x1, x2, label] triples are a number array (`x0.5_x-0.2_x1`).
//   d_k3_p500_n0.1~i2~L_t0_u16~L_t5~L_t8~L_t7_r0.1~L_t0_u2~l_t4_s0~o_t4_lr0.01~s_t3_ts2000_w100~r_gn1~t_b32_s42
// Decoding rebuilds the plain object and runs validateSpec, so a hand-edited URL gets the same messages as JSON.

import { DATA_FEATURES, DATA_KINDS, LAYER_TYPES, LOSS_TYPES, OPTIMIZER_TYPES, SCHEDULE_TYPES } from './defaults';
import type { Checked, ExperimentSpec, NormalizedSpec, SpecError } from './types';
import { validateSpec } from './validate';

/** 'num' | 'bool' | 'nums' (repeated code) | a table of names (one index) | { list } (many names, one token). */
type Codec = 'num' | 'bool' | 'nums' | readonly string[] | { readonly list: readonly string[] };
type Prop = readonly [field: string, code: string, codec: Codec];

const INIT_TYPES = ['default', 'zeros', 'normal', 'xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal'];

/** The one table. Codes are unique within a section and are letters only. */
const SECTIONS = {
  data: {
    code: 'd',
    props: [
      ['kind', 'k', DATA_KINDS],
      ['points', 'p', 'num'],
      ['noise', 'n', 'num'],
      ['valFraction', 'v', 'num'],
      ['seed', 's', 'num'],
      ['classes', 'c', 'num'],
      ['features', 'f', { list: DATA_FEATURES }],
      ['extra', 'x', 'nums'],
    ],
  },
  loss: {
    code: 'l',
    props: [
      ['type', 't', LOSS_TYPES],
      ['delta', 'd', 'num'],
      ['labelSmoothing', 's', 'num'],
    ],
  },
  optimizer: {
    code: 'o',
    props: [
      ['type', 't', OPTIMIZER_TYPES],
      ['lr', 'lr', 'num'],
      ['momentum', 'm', 'num'],
      ['dampening', 'd', 'num'],
      ['nesterov', 'n', 'bool'],
      ['weightDecay', 'wd', 'num'],
      ['alpha', 'a', 'num'],
      ['eps', 'e', 'num'],
      ['centered', 'c', 'bool'],
      ['betas', 'b', 'nums'],
      ['lrDecay', 'ld', 'num'],
      ['initialAccumulatorValue', 'ia', 'num'],
    ],
  },
  schedule: {
    code: 's',
    props: [
      ['type', 't', SCHEDULE_TYPES],
      ['warmupSteps', 'w', 'num'],
      ['stepSize', 'ss', 'num'],
      ['gamma', 'g', 'num'],
      ['totalSteps', 'ts', 'num'],
      ['minLr', 'ml', 'num'],
      ['t0', 'tz', 'num'],
      ['tMult', 'tm', 'num'],
      ['maxLr', 'xl', 'num'],
      ['pctStart', 'ps', 'num'],
      ['divFactor', 'df', 'num'],
      ['finalDivFactor', 'fd', 'num'],
      ['cycleMomentum', 'cm', 'bool'],
      ['baseMomentum', 'bm', 'num'],
      ['maxMomentum', 'mm', 'num'],
      ['factor', 'f', 'num'],
      ['patience', 'p', 'num'],
      ['threshold', 'th', 'num'],
    ],
  },
  regularization: {
    code: 'r',
    props: [
      ['l1', 'a', 'num'],
      ['l2', 'b', 'num'],
      ['clipGradNorm', 'gn', 'num'],
      ['clipGradValue', 'gv', 'num'],
    ],
  },
  training: {
    code: 't',
    props: [
      ['batchSize', 'b', 'num'],
      ['seed', 's', 'num'],
      ['steps', 'n', 'num'],
    ],
  },
} satisfies Record<string, { code: string; props: readonly Prop[] }>;

const INPUT_CODE = 'i';
const LAYER = {
  code: 'L',
  open: 'R',
  close: 'E',
  props: [
    ['type', 't', LAYER_TYPES],
    ['units', 'u', 'num'],
    ['filters', 'f', 'num'],
    ['kernel', 'k', 'num'],
    ['stride', 's', 'num'],
    ['padding', 'p', 'num'],
    ['bias', 'b', 'bool'],
    ['rate', 'r', 'num'],
    ['momentum', 'm', 'num'],
    ['eps', 'e', 'num'],
    ['slope', 'sl', 'num'],
    ['alpha', 'a', 'num'],
    ['init', 'n', INIT_TYPES],
    ['initStd', 'ns', 'num'],
    ['vocab', 'v', 'num'],
    ['dim', 'd', 'num'],
    ['heads', 'h', 'num'],
    ['causal', 'c', 'bool'],
    ['hidden', 'hd', 'num'],
    ['bidirectional', 'bi', 'bool'],
    ['returnSequences', 'rs', 'bool'],
    ['kind', 'kd', ['sinusoidal', 'learned']],
    ['maxLen', 'ml', 'num'],
    ['mode', 'md', ['mean', 'last']],
    ['shape', 'sh', 'nums'],
    ['outputPadding', 'op', 'num'],
    ['scale', 'sc', 'num'],
    ['klWeight', 'kl', 'num'],
  ] as readonly Prop[],
};

type Obj = Record<string, unknown>;

function encodeValue(v: unknown, codec: Codec): string[] {
  if (codec === 'nums') return Array.isArray(v) ? v.map((x) => String(x)) : [];
  if (codec === 'bool') return [v ? '1' : '0'];
  if (codec === 'num') return [String(v)];
  if ('list' in codec) {
    const digits = Array.isArray(v) ? v.map((x) => codec.list.indexOf(String(x))) : [];
    return digits.length === 0 || digits.includes(-1) ? [] : [digits.join('')];
  }
  const i = codec.indexOf(String(v));
  return i < 0 ? [] : [String(i)];
}

function encodeFields(o: Obj, props: readonly Prop[]): string[] {
  const out: string[] = [];
  for (const [field, code, codec] of props) {
    const v = o[field];
    if (v === undefined || v === null) continue;
    for (const s of encodeValue(v, codec)) out.push(`${code}${s.replace('e+', 'e')}`);
  }
  return out;
}

function encodeLayers(layers: unknown[], out: string[]): void {
  for (const raw of layers) {
    const l = { ...(raw as Obj) };
    if (typeof l.init === 'object' && l.init !== null) {
      const init = l.init as Obj;
      l.init = init.type;
      l.initStd = init.std;
    }
    if (l.type === 'residual') {
      out.push(LAYER.open);
      encodeLayers(Array.isArray(l.layers) ? l.layers : [], out);
      out.push(LAYER.close);
    } else out.push([LAYER.code, ...encodeFields(l, LAYER.props)].join('_'));
  }
}

/** Encodes the fields present in `spec` (a raw or normalized spec). */
export function encodeSpec(spec: ExperimentSpec | NormalizedSpec): string {
  // The URL table has no sections for these yet; dropping them silently would change the spec's meaning.
  if (spec.groups !== undefined || spec.steps !== undefined || spec.evaluations !== undefined)
    throw new Error('the URL form cannot carry parameter groups, update steps or evaluation entries (use JSON)');
  const s = spec as unknown as Obj;
  const parts: string[] = [];
  for (const [name, sec] of Object.entries(SECTIONS)) {
    const o = s[name];
    if (typeof o !== 'object' || o === null) continue;
    parts.push([sec.code, ...encodeFields(o as Obj, sec.props)].join('_'));
  }
  const model = s.model as Obj | undefined;
  if (model !== undefined) {
    parts.push([INPUT_CODE, ...(model.input as number[]).map(String)].join('_'));
    encodeLayers(model.layers as unknown[], parts);
  }
  return parts.join('~');
}

// ---------------------------------------------------------------- decoding

const TOKEN = /^([A-Za-z]+)(-?[0-9.][0-9.e-]*)$/;

function decodeValue(text: string, codec: Codec): unknown {
  const n = Number(text);
  if (codec === 'bool') return n === 1;
  if (codec === 'num' || codec === 'nums') return n;
  // An index past the table becomes an unknown name, which validation reports with the allowed ones.
  if ('list' in codec) return [...text].map((d) => codec.list[Number(d)] ?? `#${d}`);
  return codec[n] ?? `#${text}`;
}

function decodeFields(tokens: string[], props: readonly Prop[], where: string, errors: SpecError[]): Obj {
  const o: Obj = {};
  for (const tok of tokens) {
    const m = TOKEN.exec(tok);
    const prop = m ? props.find((p) => p[1] === m[1]) : undefined;
    if (!m || !prop) {
      errors.push({ path: where, message: `${where}: cannot read "${tok}" in the encoded spec` });
      continue;
    }
    const [field, , codec] = prop;
    const v = decodeValue(m[2], codec);
    if (codec === 'nums') o[field] = [...((o[field] as unknown[]) ?? []), v];
    else o[field] = v;
  }
  return o;
}

/** Decodes and validates; malformed text gives errors naming the section, never an exception. */
export function decodeSpec(text: string): Checked<NormalizedSpec> {
  const errors: SpecError[] = [];
  const spec: Obj = {};
  const stack: unknown[][] = [];
  let layers: unknown[] = [];
  const model: Obj = { layers };
  let sawModel = false;
  if (!/^[A-Za-z0-9._~-]*$/.test(text))
    return {
      ok: false,
      errors: [{ path: 'url', message: 'url: the encoded spec contains characters outside A-Z a-z 0-9 . _ ~ -' }],
    };
  for (const part of text.split('~')) {
    const [code, ...tokens] = part.split('_');
    const sec = Object.entries(SECTIONS).find(([, s]) => s.code === code);
    if (sec) spec[sec[0]] = decodeFields(tokens, sec[1].props, sec[0], errors);
    else if (code === INPUT_CODE) {
      model.input = tokens.map(Number);
      sawModel = true;
    } else if (code === LAYER.code) {
      const l = decodeFields(tokens, LAYER.props, `model.layers[${layers.length}]`, errors);
      if (l.init !== undefined || l.initStd !== undefined) {
        l.init = l.initStd === undefined ? { type: l.init } : { type: l.init ?? 'normal', std: l.initStd };
        delete l.initStd;
      }
      layers.push(l);
    } else if (code === LAYER.open) {
      const body: unknown[] = [];
      layers.push({ type: 'residual', layers: body });
      stack.push(layers);
      layers = body;
    } else if (code === LAYER.close) {
      const up = stack.pop();
      if (up === undefined)
        errors.push({ path: 'model.layers', message: 'model.layers: unbalanced residual end in the encoded spec' });
      else layers = up;
    } else errors.push({ path: 'url', message: `url: unknown section "${code}" in the encoded spec` });
  }
  if (stack.length > 0)
    errors.push({ path: 'model.layers', message: 'model.layers: a residual block is not closed in the encoded spec' });
  if (sawModel) spec.model = model;
  if (errors.length > 0) return { ok: false, errors };
  return validateSpec(spec);
}
