// The Program's layer table when several update steps lower the same layers: one entry per key, in network order.

import type { LayerEntry } from './program';

/** Numeric order of layer keys, a residual block before its body: `2` < `3` < `3.layers.0` < `4`. */
function keyOrder(a: string, b: string): number {
  const pa = a
    .split('.')
    .filter((x) => /^\d+$/.test(x))
    .map(Number);
  const pb = b
    .split('.')
    .filter((x) => /^\d+$/.test(x))
    .map(Number);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return pa.length - pb.length;
}

export /** One entry per layer key over every step's table (the first step to lower a layer declares its parameters), in
 * network order. */
function mergeLayerTables(tables: LayerEntry[][]): LayerEntry[] {
  const byKey = new Map<string, LayerEntry>();
  for (const t of tables)
    for (const e of t) {
      const had = byKey.get(e.key);
      if (had === undefined) byKey.set(e.key, e);
      else had.params.push(...e.params);
    }
  return [...byKey.values()].sort((a, b) => keyOrder(a.key, b.key));
}
