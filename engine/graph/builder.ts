// The mutable table compile() fills: tensors (without offsets yet), parameters and hyper slots. The memory planner
// (memory.ts) assigns offsets afterwards, so lowering code only declares what exists, never where it lives.

import type { SlotId, TensorId } from './ops';
import type { ArenaName, ConstantInfo, HyperSlot, HyperSlotName, ParamInfo, TensorInfo, TensorRole } from './program';

export class GraphBuilder {
  readonly tensors: TensorInfo[] = [];
  readonly params: ParamInfo[] = [];
  readonly hypers: HyperSlot[] = [];
  readonly constants: ConstantInfo[] = [];

  tensor(name: string, shape: number[], arena: ArenaName, role: TensorRole): TensorId {
    const id = this.tensors.length;
    const size = shape.reduce((a, b) => a * b, 1);
    this.tensors.push({ id, name, shape: [...shape], arena, offset: -1, size, role });
    return id;
  }

  act(name: string, shape: number[], role: TensorRole = 'activation'): TensorId {
    return this.tensor(name, shape, 'activations', role);
  }

  /** Slots are shared by name: two ops reading `eps` read the same word. */
  slot(name: HyperSlotName, type: 'f32' | 'u32' = 'f32'): SlotId {
    const found = this.hypers.find((h) => h.name === name);
    if (found) return found.id;
    const id = this.hypers.length;
    this.hypers.push({ id, name, type });
    return id;
  }

  info(id: TensorId): TensorInfo {
    const t = this.tensors[id];
    if (t === undefined) throw new Error(`no tensor ${id}`);
    return t;
  }

  /** A constant table in the state arena, shared by name between the train and eval passes. */
  constant(name: string, shape: number[], values: number[]): TensorId {
    const found = this.constants.find((c) => this.tensors[c.tensor].name === name);
    if (found) return found.tensor;
    const tensor = this.tensor(name, shape, 'state', 'buffer');
    this.constants.push({ tensor, values });
    return tensor;
  }

  findParam(key: string): ParamInfo | undefined {
    return this.params.find((p) => p.key === key);
  }
}
