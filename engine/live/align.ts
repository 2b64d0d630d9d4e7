// Aligned initial weights for comparisons: run B starts from run A's initial weights wherever their models share a
// layer. Layers are matched by order among parameter-bearing layers of the same type and parameter shapes (the k-th
// dense 2->8 of B takes the k-th dense 2->8 of A), not by state-dict key: inserting a BatchNorm shifts every later
// key (`2.weight` becomes `3.weight`) but should not change which weights a layer starts from.

import type { Program } from '../graph/program';
import { layerAt } from './layers';

/** A run's initial state arena and the Program it belongs to. */
export interface InitialState {
  program: Program;
  state: Float32Array;
}

interface LayerEntries {
  /** `dense|weight:8x2|bias:8`: layer type and every entry's suffix and shape. */
  signature: string;
  entries: { key: string; offset: number; size: number }[];
}

/** Every layer holding state-dict entries (parameters and buffers), in network order. */
function layerEntries(p: Program): LayerEntries[] {
  const byLayer = new Map<string, { key: string; offset: number; size: number; shape: number[] }[]>();
  for (const info of p.params) {
    const prefix = info.key.slice(0, info.key.lastIndexOf('.'));
    const t = p.tensors[info.tensor];
    const list = byLayer.get(prefix) ?? [];
    list.push({ key: info.key, offset: t.offset, size: t.size, shape: [...t.shape] });
    byLayer.set(prefix, list);
  }
  return [...byLayer.entries()].map(([prefix, list]) => ({
    signature: [
      layerAt(p, prefix)?.type ?? 'unknown',
      ...list.map((e) => `${e.key.slice(prefix.length + 1)}:${e.shape.join('x')}`),
    ].join('|'),
    entries: list,
  }));
}

/** `to`'s state with every matched layer's entries copied from `from`; `aligned` lists the target keys copied. */
export function alignInitialState(from: InitialState, to: InitialState): { state: Float32Array; aligned: string[] } {
  const source = new Map<string, LayerEntries[]>();
  for (const l of layerEntries(from.program)) source.set(l.signature, [...(source.get(l.signature) ?? []), l]);
  const used = new Map<string, number>();
  const state = to.state.slice();
  const aligned: string[] = [];
  for (const l of layerEntries(to.program)) {
    const k = used.get(l.signature) ?? 0;
    used.set(l.signature, k + 1);
    const match = source.get(l.signature)?.[k];
    if (!match) continue;
    l.entries.forEach((e, i) => {
      const m = match.entries[i];
      state.set(from.state.subarray(m.offset, m.offset + m.size), e.offset);
      aligned.push(e.key);
    });
  }
  return { state, aligned };
}
