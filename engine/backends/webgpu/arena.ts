// A buffer arena: slots are reserved first (sizes only), then one GPUBuffer backs them all. Every slot starts at a
// 256-byte boundary (minStorageBufferOffsetAlignment) so any slot can be bound on its own, and is padded to 16 bytes
// so it can be read as array<vec4f>. No allocation after `finalize`: the runtime's hot loop never creates buffers.
import type { BufferView } from './shader';

export const SLOT_ALIGN = 256;

export interface Slot {
  readonly id: number;
  readonly label: string;
  /** Bytes requested. */
  readonly bytes: number;
  offset: number;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export class Arena {
  private readonly slots: Slot[] = [];
  private total = 0;
  buffer: GPUBuffer | undefined;

  constructor(readonly label: string) {}

  /** Reserve a slot of `bytes` (at least 16) at the next aligned offset. */
  reserve(bytes: number, label = ''): Slot {
    const slot: Slot = { id: this.slots.length, label, bytes: Math.max(16, alignUp(bytes, 16)), offset: this.total };
    this.total = alignUp(this.total + slot.bytes, SLOT_ALIGN);
    this.slots.push(slot);
    return slot;
  }

  /** Reserve a slot at a caller-chosen aligned offset (lifetime-based reuse planned elsewhere). */
  reserveAt(offset: number, bytes: number, label = ''): Slot {
    if (offset % SLOT_ALIGN !== 0)
      throw new Error(`arena ${this.label}: offset ${offset} is not ${SLOT_ALIGN}-aligned`);
    const slot: Slot = { id: this.slots.length, label, bytes: Math.max(16, alignUp(bytes, 16)), offset };
    this.total = Math.max(this.total, alignUp(offset + slot.bytes, SLOT_ALIGN));
    this.slots.push(slot);
    return slot;
  }

  get byteLength(): number {
    return Math.max(SLOT_ALIGN, this.total);
  }

  finalize(device: GPUDevice): GPUBuffer {
    if (this.buffer) return this.buffer;
    this.buffer = device.createBuffer({
      label: this.label,
      size: this.byteLength,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    return this.buffer;
  }

  view(slot: Slot): BufferView {
    if (!this.buffer) throw new Error(`arena ${this.label} used before finalize()`);
    return { buffer: this.buffer, offset: slot.offset, size: slot.bytes };
  }

  destroy(): void {
    this.buffer?.destroy();
    this.buffer = undefined;
  }
}
