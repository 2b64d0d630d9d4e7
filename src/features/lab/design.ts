// The network as the Lab's editor shows it: a stack of hidden blocks (dense or conv), each with its activation and
// the per-layer toggles a learner flips (BatchNorm, dropout, residual, pooling), and the output head. It is a view
// of ExperimentSpec layers, not a second format: `designOf` reads a layer list into blocks (or null when the list
// has a shape the editor cannot show, e.g. a hand-written preset), `layersOf` writes blocks back.
import type { ActivationName, InitKind, LayerSpec, NormalizedLayer } from '../../../engine/index';

export interface DenseBlock {
  kind: 'dense';
  units: number;
  activation: ActivationName;
  batchnorm: boolean;
  /** Drop rate after the activation; 0 = no dropout layer. */
  dropout: number;
  /** Wraps the block in a skip connection (needs units equal to the incoming width). */
  residual: boolean;
  init: InitKind;
  /** The std of a 'normal' init read from a spec, when not the default 0.01 (kept so an edit does not reset it). */
  initStd?: number;
}

export interface ConvBlock {
  kind: 'conv';
  filters: number;
  kernel: number;
  activation: ActivationName;
  batchnorm: boolean;
  pool: 'max' | 'avg' | null;
  init: InitKind;
  initStd?: number;
}

export type Block = DenseBlock | ConvBlock;

export interface NetDesign {
  /** Conv blocks come first (image inputs only), then a flatten, then dense blocks. */
  blocks: Block[];
  outputs: number;
  /** Init of the output layer (follows the hidden layers' choice in the editor). */
  outputInit: InitKind;
  outputInitStd?: number;
}

export const ACTIVATIONS: { id: ActivationName; label: string }[] = [
  { id: 'relu', label: 'ReLU' },
  { id: 'leaky_relu', label: 'Leaky ReLU' },
  { id: 'elu', label: 'ELU' },
  { id: 'gelu', label: 'GELU' },
  { id: 'silu', label: 'SiLU (swish)' },
  { id: 'tanh', label: 'tanh' },
  { id: 'sigmoid', label: 'sigmoid' },
  { id: 'softplus', label: 'softplus' },
];

export const INITS: { id: InitKind; label: string }[] = [
  { id: 'default', label: 'PyTorch default' },
  { id: 'he_normal', label: 'He (normal)' },
  { id: 'he_uniform', label: 'He (uniform)' },
  { id: 'xavier_normal', label: 'Xavier (normal)' },
  { id: 'xavier_uniform', label: 'Xavier (uniform)' },
  { id: 'normal', label: 'Normal, std 0.01' },
  { id: 'zeros', label: 'All zeros' },
];

const ACTIVATION_IDS = new Set<string>(ACTIVATIONS.map((a) => a.id));

type AnyLayer = LayerSpec | NormalizedLayer;

function initOf(l: { init?: { type: InitKind } }): InitKind {
  return l.init?.type ?? 'default';
}

/** A 'normal' init's std when it is not the default (0.01); absent otherwise. */
function stdOf(l: { init?: { type: InitKind; std?: number } }): { initStd?: number } {
  const std = l.init?.std;
  return l.init?.type === 'normal' && std !== undefined && std !== 0.01 ? { initStd: std } : {};
}

const withInit = (init: InitKind, std?: number) =>
  init === 'default' ? {} : { init: init === 'normal' && std !== undefined ? { type: init, std } : { type: init } };

/** Reads blocks from a flat layer list; null when the list has a shape the editor cannot represent. */
export function designOf(layers: readonly AnyLayer[]): NetDesign | null {
  const blocks: Block[] = [];
  let i = 0;
  const at = (k: number) => layers[k] as AnyLayer | undefined;
  while (i < layers.length) {
    const l = layers[i];
    if (l.type === 'conv2d') {
      const act = at(i + 1 + (at(i + 1)?.type === 'batchnorm' ? 1 : 0));
      const bn = at(i + 1)?.type === 'batchnorm';
      if (!act || !ACTIVATION_IDS.has(act.type)) return null;
      let j = i + (bn ? 3 : 2);
      const next = at(j);
      let pool: ConvBlock['pool'] = null;
      if (next && (next.type === 'maxpool2d' || next.type === 'avgpool2d')) {
        if (next.kernel !== 2 || (next.stride !== undefined && next.stride !== 2)) return null;
        pool = next.type === 'maxpool2d' ? 'max' : 'avg';
        j++;
      }
      if (l.stride !== undefined && l.stride !== 1) return null;
      // An absent padding is 0 (the spec's default), not the "same" padding the editor writes.
      if ((l.padding ?? 0) !== Math.floor(l.kernel / 2)) return null;
      blocks.push({
        kind: 'conv',
        filters: l.filters,
        kernel: l.kernel,
        activation: act.type as ActivationName,
        batchnorm: bn,
        pool,
        init: initOf(l),
        ...stdOf(l),
      });
      i = j;
      continue;
    }
    if (l.type === 'flatten') {
      if (blocks.some((b) => b.kind === 'dense')) return null;
      i++;
      continue;
    }
    const residual = l.type === 'residual';
    const body: readonly AnyLayer[] = residual ? l.layers : layers.slice(i);
    const block = denseBlockAt(body);
    if (block === 'output') {
      // The last dense with nothing after it is the head.
      if (residual || i !== layers.length - 1 || l.type !== 'dense') return null;
      const std = stdOf(l).initStd;
      return { blocks, outputs: l.units, outputInit: initOf(l), ...(std === undefined ? {} : { outputInitStd: std }) };
    }
    if (block === null) return null;
    if (residual && block.used !== l.layers.length) return null;
    blocks.push({ ...block.block, residual });
    i += residual ? 1 : block.used;
  }
  return null;
}

/** A dense block at the head of `ls`: dense, [batchnorm], activation, [dropout]. 'output' for a lone final dense. */
function denseBlockAt(
  ls: readonly AnyLayer[],
): { block: Omit<DenseBlock, 'residual'>; used: number } | 'output' | null {
  const d = ls[0];
  if (d?.type !== 'dense') return null;
  if (ls.length === 1) return 'output';
  let k = 1;
  const batchnorm = ls[k]?.type === 'batchnorm';
  if (batchnorm) k++;
  const act = ls[k];
  if (!act || !ACTIVATION_IDS.has(act.type)) return null;
  k++;
  let dropout = 0;
  const drop = ls[k];
  if (drop?.type === 'dropout') {
    dropout = drop.rate;
    k++;
  }
  return {
    block: {
      kind: 'dense',
      units: d.units,
      activation: act.type as ActivationName,
      batchnorm,
      dropout,
      init: initOf(d),
      ...stdOf(d),
    },
    used: k,
  };
}

/** Writes blocks back as spec layers (a flatten between conv and dense parts). */
export function layersOf(design: NetDesign, imageInput: boolean): LayerSpec[] {
  const out: LayerSpec[] = [];
  let flattened = !imageInput;
  for (const b of design.blocks) {
    if (b.kind === 'conv') {
      out.push({
        type: 'conv2d',
        filters: b.filters,
        kernel: b.kernel,
        padding: Math.floor(b.kernel / 2),
        ...withInit(b.init, b.initStd),
      });
      if (b.batchnorm) out.push({ type: 'batchnorm' });
      out.push({ type: b.activation });
      if (b.pool) out.push({ type: b.pool === 'max' ? 'maxpool2d' : 'avgpool2d', kernel: 2 });
      continue;
    }
    if (!flattened) {
      out.push({ type: 'flatten' });
      flattened = true;
    }
    const body: LayerSpec[] = [{ type: 'dense', units: b.units, ...withInit(b.init, b.initStd) }];
    if (b.batchnorm) body.push({ type: 'batchnorm' });
    body.push({ type: b.activation });
    if (b.dropout > 0) body.push({ type: 'dropout', rate: b.dropout });
    if (b.residual) out.push({ type: 'residual', layers: body });
    else out.push(...body);
  }
  if (!flattened) out.push({ type: 'flatten' });
  out.push({ type: 'dense', units: design.outputs, ...withInit(design.outputInit, design.outputInitStd) });
  return out;
}

/** The width flowing into each block (the input features for the first dense block after inputs). */
export function incomingWidths(design: NetDesign, inputWidth: number): number[] {
  const widths: number[] = [];
  let w = inputWidth;
  for (const b of design.blocks) {
    widths.push(w);
    if (b.kind === 'dense') w = b.units;
  }
  return widths;
}

/** Residual is allowed where the block keeps the width (a skip needs equal shapes). */
export function canBeResidual(design: NetDesign, index: number, inputWidth: number): boolean {
  const b = design.blocks[index];
  if (b?.kind !== 'dense') return false;
  const prev = design.blocks[index - 1];
  if (prev?.kind === 'conv') return false;
  return incomingWidths(design, inputWidth)[index] === b.units;
}

/** Turns off skips the widths no longer allow (after a width change elsewhere). */
export function sanitize(design: NetDesign, inputWidth: number): NetDesign {
  const blocks = design.blocks.map((b, i) =>
    b.kind === 'dense' && b.residual && !canBeResidual(design, i, inputWidth) ? { ...b, residual: false } : b,
  );
  return { ...design, blocks };
}
