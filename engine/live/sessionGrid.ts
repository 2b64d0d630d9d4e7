// The watched decision-boundary grid of a live session: the model's outputs over a region of the input plane,
// pushed as `grid` events once at subscription, then after chunks at a low adaptive rate while training (spaced by
// at least 8x the last grid's cost, so watching costs training little), and whenever the weights changed while
// stopped (step(n), pause, rewind, recompile, compile, loadWeights), so an idle view is current.

import { outputKind, readableOutputs } from './outputs';
import { errorText, type SessionCore } from './sessionCore';
import type { SessionInspection } from './sessionInspection';
import type { GridRequest } from './types';

export class SessionGrid {
  /** The watched grid, when the last push was and what it cost. */
  private grid: { req: GridRequest; last: number; costMs: number } | null = null;

  constructor(
    private readonly core: SessionCore,
    private readonly inspection: SessionInspection,
  ) {}

  /** Subscribes (null stops); the first frame is computed at once and its failure rejects the request. */
  async watch(req: GridRequest | null): Promise<void> {
    if (req === null) {
      this.grid = null;
      return;
    }
    this.core.requireProgram();
    const finite = [...req.xRange, ...req.yRange, req.resolution].every((v) => Number.isFinite(v));
    if (!finite || req.xRange.length !== 2 || req.yRange.length !== 2)
      throw new Error('watchGrid: xRange, yRange and resolution must be finite numbers');
    const resolution = Math.max(2, Math.min(200, Math.floor(req.resolution)));
    this.grid = {
      req: { xRange: [req.xRange[0], req.xRange[1]], yRange: [req.yRange[0], req.yRange[1]], resolution },
      last: Number.NEGATIVE_INFINITY,
      costMs: 0,
    };
    await this.core.exclusive(() => this.push(true));
  }

  /** After a chunk (inside the exclusive section): a frame when the adaptive spacing has passed. */
  async pushIfDue(): Promise<void> {
    if (this.grid && this.core.now() - this.grid.last >= Math.max(150, 8 * this.grid.costMs)) await this.push();
  }

  /** An idle view stays current: the grid of the weights training stopped at. */
  async pushWhenStopped(): Promise<void> {
    const c = this.core;
    if (this.grid && c.runtime && c.status !== 'disposed') await c.exclusive(() => this.push());
  }

  /** Computes and emits the watched grid (never rejects: a failure stops the watch with an error event). `first`:
   * the subscription's own frame, whose failure the watchGrid request reports instead. Inside the exclusive
   * section. */
  async push(first = false): Promise<void> {
    const c = this.core;
    const g = this.grid;
    const p = c.program;
    if (!g || !p || !c.runtime) return;
    // A compile that replaced a 2-D model with an image model ends the watch quietly: there is no plane to draw.
    if (!first && p.spec.data?.kind === 'mnist') {
      this.grid = null;
      return;
    }
    const t0 = c.now();
    try {
      const r = await this.inspection.inspectNow({ what: 'grid', ...g.req });
      if (typeof r === 'function' || r.what !== 'grid') return;
      const loss = p.spec.loss.type;
      const values = readableOutputs(loss, r.values, r.resolution * r.resolution, r.outputs);
      const t1 = c.now();
      g.costMs = t1 - t0;
      g.last = t1;
      const { xRange, yRange } = g.req;
      c.emit(
        {
          type: 'grid',
          grid: {
            step: r.step,
            resolution: r.resolution,
            xRange,
            yRange,
            outputs: r.outputs,
            kind: outputKind(loss),
            values,
          },
        },
        [values.buffer as ArrayBuffer],
      );
    } catch (e) {
      if (c.lost) return; // the device loss is handled (and reported) by the training path
      if (this.grid === g) this.grid = null;
      if (first) throw e;
      c.emit({ type: 'error', message: `the decision-boundary grid stopped: ${errorText(e)}` });
    }
  }
}
