// A bounded record of a run's weight trajectory for PCA directions: parameter-region snapshots every `every` steps.
// When the record is full, every other snapshot is dropped and the spacing doubles, so a run of any length keeps
// an evenly spaced trajectory from its first step, in at most `maxSnapshots` snapshots and `maxBytes` of memory.

export class TrajectoryRecorder {
  private snaps: Float32Array[] = [];
  private at: number[] = [];
  private every = 1;
  private next = 0;

  constructor(
    private readonly maxSnapshots = 200,
    private readonly maxBytes = 64 * 2 ** 20,
  ) {}

  reset(): void {
    this.snaps = [];
    this.at = [];
    this.every = 1;
    this.next = 0;
  }

  /** Whether a snapshot at this step would be kept. */
  due(step: number): boolean {
    return step >= this.next;
  }

  /** The first step whose snapshot would be kept. */
  get nextDue(): number {
    return this.next;
  }

  record(step: number, params: Float32Array): void {
    if (this.at.length > 0 && step <= this.at[this.at.length - 1]) return;
    this.snaps.push(params.slice());
    this.at.push(step);
    const cap = Math.max(4, Math.min(this.maxSnapshots, Math.floor(this.maxBytes / Math.max(1, params.byteLength))));
    if (this.snaps.length > cap) {
      this.snaps = this.snaps.filter((_, i) => i % 2 === 0);
      this.at = this.at.filter((_, i) => i % 2 === 0);
      this.every *= 2;
    }
    this.next = step + this.every;
  }

  get snapshots(): readonly Float32Array[] {
    return this.snaps;
  }

  get steps(): readonly number[] {
    return this.at;
  }
}
