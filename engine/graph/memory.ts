// The static memory plan. State arena: laid out region by region (params, grads parallel to params, each optimizer
// state parallel to params, buffers, scalars). Activations arena: first-fit by lifetime over the step's op order,
// so two tensors share memory only if no op sees both live. The eval pass is planned separately from offset 0
// (train and eval never run at the same time).

import { type Op, opIO, type TensorId } from './ops';
import { TENSOR_ALIGN, type TensorInfo } from './program';

export const align = (n: number): number => Math.ceil(n / TENSOR_ALIGN) * TENSOR_ALIGN;

/** Places tensors one after another from `start`; returns the end offset. */
export function placeSequential(tensors: TensorInfo[], start: number): number {
  let at = align(start);
  for (const t of tensors) {
    t.offset = at;
    at = align(at + t.size);
  }
  return at;
}

/** Lifetime-based placement of the activation tensors used by `ops`. `liveAll` tensors (the batch input and targets,
 * written before the first op) live for the whole list. Returns the arena size needed. */
export function planActivations(all: TensorInfo[], ops: Op[], liveAll: TensorId[]): number {
  const first = new Map<TensorId, number>();
  const last = new Map<TensorId, number>();
  const touch = (t: TensorId, i: number): void => {
    if (all[t].arena !== 'activations') return;
    if (!first.has(t)) first.set(t, i);
    last.set(t, i);
  };
  for (const t of liveAll) {
    first.set(t, -1);
    last.set(t, ops.length);
  }
  ops.forEach((op, i) => {
    const { reads, writes } = opIO(op);
    for (const t of reads) touch(t, i);
    for (const t of writes) touch(t, i);
  });
  for (const t of liveAll) last.set(t, ops.length);

  const order = [...first.keys()].sort((a, b) => (first.get(a) ?? 0) - (first.get(b) ?? 0) || a - b);
  // Live blocks sorted by offset; a block is freed once its tensor's last use is before the current op.
  let live: { offset: number; end: number; last: number }[] = [];
  let size = 0;
  for (const t of order) {
    const start = first.get(t) ?? 0;
    live = live.filter((blk) => blk.last >= start);
    live.sort((a, b) => a.offset - b.offset);
    const need = align(all[t].size);
    let at = 0;
    for (const blk of live) {
      if (blk.offset - at >= need) break;
      at = Math.max(at, blk.end);
    }
    all[t].offset = at;
    live.push({ offset: at, end: at + need, last: last.get(t) ?? start });
    size = Math.max(size, at + need);
  }
  return size;
}
