// Loss landscapes through the worker protocol (client, router, real CPU sessions): the recorded trajectory feeds
// PCA, progress events arrive, a cancelled computation fails with "cancelled" and the next one completes, the
// interpolation ends at the current weights' loss, and another run keeps training while a landscape is computed.
import { describe, expect, it } from 'vitest';
import { EngineClient, type WorkerPort } from '../worker/client';
import type { EngineEvent, EngineRequest } from '../worker/protocol';
import { createRouter } from '../worker/router';
import { createHost } from './host';
import { LiveSession } from './session';
import { mlpSpec } from './testing';

function connect() {
  const toClient: ((e: MessageEvent) => void)[] = [];
  const router = createRouter(
    (event: EngineEvent, transfer: Transferable[] = []) => {
      const copy = structuredClone(event, { transfer });
      queueMicrotask(() => {
        for (const l of toClient) l({ data: copy } as MessageEvent);
      });
    },
    async () => ({ kind: 'cpu', reason: 'tests run the CPU backend' }),
    (emit) => new LiveSession(createHost(undefined, { refineCalibration: false }), emit),
  );
  const port: WorkerPort = {
    postMessage(message: EngineRequest) {
      const copy = structuredClone(message);
      setTimeout(() => void router.handle(copy), 0);
    },
    addEventListener(type: string, listener: (event: never) => void) {
      if (type === 'message') toClient.push(listener as (e: MessageEvent) => void);
    },
    terminate() {},
  };
  const client = new EngineClient(port, { schedule: (cb) => setTimeout(cb, 0) });
  const events: EngineEvent[] = [];
  client.subscribe((e) => events.push(e));
  return { client, events };
}

const spec = mlpSpec({ hidden: [16, 16], act: 'tanh', lr: 0.05, points: 400 });

describe('landscape requests', () => {
  it('PCA of the recorded trajectory, progress, cancel then a full run, interpolation', async () => {
    const { client, events } = connect();
    await client.request({ type: 'compile', spec, backend: 'cpu' });
    await client.request({ type: 'step', n: 300 });
    const r = await client.request({
      type: 'landscape',
      request: { directions: 'pca', grid: 11, range: 1, split: 'val', seed: 0 },
    });
    expect(r.losses).toBeInstanceOf(Float32Array);
    expect(r.losses.length).toBe(121);
    expect(r.trajectory && r.trajectory.length / 2).toBeGreaterThan(10);
    expect(r.trajectorySteps?.at(0)).toBe(0);
    expect(r.trajectorySteps?.at(-1)).toBe(300);
    expect(r.explained?.[0]).toBeGreaterThan(0.3);
    const ev = await client.request({ type: 'evaluate', split: 'val' });
    expect(Math.abs(r.centerLoss - ev.loss) / ev.loss).toBeLessThan(1e-5);
    const progress = events.filter((e) => e.type === 'landscapeProgress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ progress: { done: 122, total: 122 } });

    // Cancel halfway: the request fails saying so; the next completes.
    const before = events.length;
    const big = client.request({
      type: 'landscape',
      request: { directions: 'random', grid: 81, range: 1, split: 'train', seed: 1 },
    });
    const failed = big.then(
      () => 'completed',
      (e: Error) => e.message,
    );
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (events.slice(before).some((e) => e.type === 'landscapeProgress')) {
          clearInterval(t);
          resolve();
        }
      }, 1);
    });
    await client.request({ type: 'cancelLandscape' });
    expect(await failed).toMatch(/cancelled/);
    const next = await client.request({
      type: 'landscape',
      request: { directions: 'random', grid: 11, range: 0.5, split: 'train', seed: 1, rows: 100 },
    });
    expect(next.losses.every((l) => Number.isFinite(l))).toBe(true);
    expect(next.rows).toBe(100);
    expect(r.rows).toBe(80); // the whole validation split (400 points, a fifth held out)

    const line = await client.request({ type: 'interpolate', request: { split: 'val', points: 9 } });
    expect(Array.from(line.ts)).toEqual([-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
    expect(Math.abs(line.losses[6] - ev.loss) / ev.loss).toBeLessThan(1e-5);
    expect(line.losses[2]).toBeGreaterThan(line.losses[6]); // training lowered the loss
    await expect(
      client.request({ type: 'landscape', request: { directions: 'pca', grid: 5 } as never }),
    ).rejects.toThrow(/grid must be/);
  });

  it('a cancel sent right behind its request applies, though the request still waits for its weights', async () => {
    const { client } = connect();
    await client.request({ type: 'compile', spec, backend: 'webgpu' });
    await client.request({ type: 'step', n: 50 });
    // On WebGPU the weights of the moment come back from a buffer map (later tasks), so the cancel arrives first.
    await client.request({ type: 'train' });
    const early = client
      .request({ type: 'landscape', request: { directions: 'random', grid: 81, range: 1, split: 'train', seed: 1 } })
      .then(
        () => 'completed',
        (e: Error) => e.message,
      );
    const earlyLine = client.request({ type: 'interpolate', request: { split: 'val', points: 9 } }).then(
      () => 'completed',
      (e: Error) => e.message,
    );
    await client.request({ type: 'cancelLandscape' });
    await client.request({ type: 'pause' });
    expect(await early).toMatch(/cancelled/);
    expect(await earlyLine).toMatch(/cancelled/);
  });

  it('another run keeps training while a landscape is computed; A <-> B interpolation', async () => {
    const { client, events } = connect();
    await client.request({ type: 'compile', spec, backend: 'cpu', run: 'A' });
    await client.request({
      type: 'compile',
      spec: { ...spec, optimizer: { type: 'adam', lr: 0.01 } },
      backend: 'cpu',
      run: 'B',
    });
    await client.request({ type: 'step', n: 100, run: 'A' });
    await client.request({ type: 'step', n: 100, run: 'B' });
    const ab = await client.request({
      type: 'interpolate',
      run: 'A',
      request: { split: 'val', points: 5, other: 'B' },
    });
    expect(ab.from).toBe('run');
    expect(ab.losses.length).toBe(5);
    const evB = await client.request({ type: 'evaluate', split: 'val', run: 'B' });
    expect(Math.abs(ab.losses[3] - evB.loss) / evB.loss).toBeLessThan(1e-5);

    await client.request({ type: 'train', run: 'B' });
    const at = events.length;
    await client.request({
      type: 'landscape',
      run: 'A',
      request: { directions: 'random', grid: 31, range: 1, split: 'train', seed: 2 },
    });
    const during = events.slice(at);
    const firstP = during.findIndex((e) => e.type === 'landscapeProgress');
    const lastP = during.findLastIndex((e) => e.type === 'landscapeProgress');
    const bMetrics = during.slice(firstP, lastP).filter((e) => e.type === 'metrics' && e.run === 'B');
    expect(bMetrics.length).toBeGreaterThan(1);
    await client.request({ type: 'pause', run: 'B' });
  });
});
