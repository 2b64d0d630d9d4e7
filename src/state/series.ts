// Growable typed columns for metric series that arrive in batches while a network trains: appends are amortised
// O(1) and readers get subarray views (no copies), so a chart can redraw 100k steps at frame rate.

export class Column {
  private data: Float64Array;
  private n = 0;

  constructor(capacity = 256) {
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.n;
  }

  push(values: ArrayLike<number>): void {
    this.reserve(this.n + values.length);
    for (let i = 0; i < values.length; i++) this.data[this.n + i] = values[i];
    this.n += values.length;
  }

  pushOne(v: number): void {
    this.reserve(this.n + 1);
    this.data[this.n++] = v;
  }

  /** A view of the filled part (valid until the next push). */
  view(): Float64Array {
    return this.data.subarray(0, this.n);
  }

  last(): number | undefined {
    return this.n > 0 ? this.data[this.n - 1] : undefined;
  }

  private reserve(size: number): void {
    if (size <= this.data.length) return;
    let cap = this.data.length;
    while (cap < size) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.data.subarray(0, this.n));
    this.data = next;
  }
}

/** Several columns that grow together (a step column and its values). */
export class Table<K extends string> {
  readonly columns: Record<K, Column>;

  constructor(keys: readonly K[]) {
    this.columns = Object.fromEntries(keys.map((k) => [k, new Column()])) as Record<K, Column>;
  }

  get length(): number {
    const first = Object.values<Column>(this.columns)[0];
    return first ? first.length : 0;
  }

  view(key: K): Float64Array {
    return this.columns[key].view();
  }
}
