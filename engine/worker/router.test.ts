// Messages round-trip through the protocol: the client on one side, the router and a real live session (CPU
// runtime) on the other, connected by an in-memory port that structured-clones every message and transfers typed
// arrays, as postMessage between a page and a worker does.
import { describe, expect, it } from 'vitest';
import { createHost } from '../live/host';
import { LiveSession } from '../live/session';
import { deepSigmoid, mlpSpec } from '../live/testing';
import { EngineClient, type WorkerPort } from './client';
import type { EngineEvent, EngineRequest } from './protocol';
import { createRouter } from './router';

function connect() {
  const toClient: ((e: MessageEvent) => void)[] = [];
  const transferred: number[] = [];
  const router = createRouter(
    (event: EngineEvent, transfer: Transferable[] = []) => {
      transferred.push(transfer.length);
      const copy = structuredClone(event, { transfer });
      queueMicrotask(() => {
        for (const l of toClient) l({ data: copy } as MessageEvent);
      });
    },
    async () => ({ kind: 'cpu', reason: 'tests run the CPU backend' }),
    (emit) => new LiveSession(createHost(), emit),
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
  const frames: (() => void)[] = [];
  const client = new EngineClient(port, { schedule: (cb) => frames.push(cb) });
  const events: EngineEvent[] = [];
  client.subscribe((e) => events.push(e));
  const frame = () => {
    for (const f of frames.splice(0)) f();
  };
  return { client, events, frame, transferred, router };
}

describe('worker protocol round trip', () => {
  it('answers initialWeights with the state the run started from, whatever it trained since', async () => {
    const { client } = connect();
    await client.request({ type: 'compile', spec: mlpSpec({}), backend: 'cpu' });
    const start = (await client.request({ type: 'snapshot' })).weights;
    await client.request({ type: 'step', n: 10 });
    const now = (await client.request({ type: 'snapshot' })).weights;
    const initial = (await client.request({ type: 'initialWeights' })).weights;
    expect(Object.keys(initial)).toEqual(Object.keys(start));
    for (const k of Object.keys(start)) expect(Array.from(initial[k].data), k).toEqual(Array.from(start[k].data));
    expect(Array.from(now['0.weight'].data)).not.toEqual(Array.from(initial['0.weight'].data));
    await expect(client.request({ type: 'initialWeights', run: 'nobody' })).rejects.toThrow(
      /run 'nobody' has not been compiled/,
    );
  });

  it('compiles, steps, changes hypers, evaluates, inspects, snapshots and disposes through messages', async () => {
    const { client, events, frame } = connect();
    const compiled = await client.request({ type: 'compile', spec: mlpSpec({}), backend: 'cpu' });
    expect(compiled.backend).toBe('cpu');
    expect(events.find((e) => e.type === 'backend')).toMatchObject({
      report: { kind: 'cpu' },
      decision: { backend: 'cpu' },
    });
    expect((await client.request({ type: 'step', n: 20 })).step).toBe(20);
    frame();
    const steps = events.flatMap((e) => (e.type === 'metrics' ? Array.from(e.metrics.step) : []));
    expect(steps).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const first = events.find((e) => e.type === 'metrics');
    expect(first?.type === 'metrics' && first.metrics.loss).toBeInstanceOf(Float32Array);
    expect((await client.request({ type: 'setHyper', hyper: { lr: 0.2 } })).applied).toEqual(['lr']);
    const ev = await client.request({ type: 'evaluate', split: 'val' });
    expect(ev.count).toBe(48);
    const grid = await client.request({
      type: 'inspect',
      request: { what: 'grid', xRange: [-1, 1], yRange: [-1, 1], resolution: 8 },
    });
    expect(grid.what === 'grid' && grid.values).toBeInstanceOf(Float32Array);
    const snap = await client.request({ type: 'snapshot' });
    expect(snap.weights['0.weight'].data).toBeInstanceOf(Float32Array);
    expect(snap.weights['0.weight'].shape).toEqual([8, 2]);
    const re = await client.request({ type: 'recompile', spec: mlpSpec({ hidden: [8, 4] }) });
    expect(re.kept).toContain('0.weight');
    await client.request({ type: 'train' });
    await client.request({ type: 'pause' });
    await client.request({ type: 'dispose' });
  });

  it('answers bad requests with an error carrying the id, and reports divergence as an event', async () => {
    const { client, events, router } = connect();
    await expect(client.request({ type: 'step', n: 1 })).rejects.toThrow(/compile/);
    await expect(client.request({ type: 'compile', spec: { model: 1 }, backend: 'cpu' })).rejects.toThrow(/invalid/);
    await router.handle({ type: 'nonsense' });
    await client.request({ type: 'compile', spec: deepSigmoid(10), backend: 'cpu' });
    const done = await client.request({ type: 'step', n: 200 });
    const diverged = events.find((e) => e.type === 'diverged');
    expect(diverged?.type === 'diverged' && diverged.report.cause).toBe('learning_rate');
    expect(done.step).toBe(0);
    expect(events.some((e) => e.type === 'error' && e.id === undefined && /understand/.test(e.message))).toBe(true);
  });

  it('trains two runs at once: events tagged with their run, independent steps, dispose of one only', async () => {
    const { client, events, frame, router } = connect();
    await client.request({ type: 'compile', run: 'a', spec: mlpSpec({}), backend: 'cpu' });
    const b = await client.request({
      type: 'compile',
      run: 'b',
      spec: mlpSpec({ hidden: [8, 8], batch: 8 }),
      backend: 'cpu',
      alignWith: 'a',
    });
    expect(b.aligned).toContain('0.weight');
    expect(events.filter((e) => e.type === 'backend' && e.decision).map((e) => e.type === 'backend' && e.run)).toEqual([
      'a',
      'b',
    ]);
    await client.request({ type: 'train', run: 'a' });
    await client.request({ type: 'train', run: 'b' });
    const stepsOf = (run: string) =>
      events.flatMap((e) => (e.type === 'metrics' && e.run === run ? Array.from(e.metrics.step) : []));
    while (stepsOf('a').length < 50 || stepsOf('b').length < 50) {
      await new Promise((r) => setTimeout(r, 5));
      frame();
    }
    const pa = await client.request({ type: 'pause', run: 'a' });
    await client.request({ type: 'step', run: 'b', n: 0 });
    const pb = await client.request({ type: 'pause', run: 'b' });
    frame();
    // Each run's series is its own: 0, 1, 2, ... without gaps, up to its own step.
    for (const [run, p] of [
      ['a', pa],
      ['b', pb],
    ] as const) {
      const s = stepsOf(run);
      expect(s).toEqual(Array.from({ length: s.length }, (_, i) => i));
      expect(s[s.length - 1]).toBe(p.step - 1);
    }
    expect(events.some((e) => e.type === 'metrics' && e.run !== 'a' && e.run !== 'b')).toBe(false);
    expect(events.filter((e) => e.type === 'progress').every((e) => e.type === 'progress' && e.run)).toBe(true);
    // Runs are separate sessions: a rewinds, b does not; dispose drops a only.
    expect(await client.request({ type: 'rewind', run: 'a' })).toEqual({ step: 0 });
    await client.request({ type: 'dispose', run: 'a' });
    expect(router.runs()).toEqual(['b']);
    expect((await client.request({ type: 'evaluate', run: 'b', split: 'val' })).step).toBe(pb.step);
    // Requests without a run address 'main'.
    await expect(client.request({ type: 'step', n: 1 })).rejects.toThrow(/compile/);
    await expect(
      client.request({ type: 'compile', run: 'c', spec: mlpSpec({}), backend: 'cpu', alignWith: 'zz' }),
    ).rejects.toThrow(/no run 'zz'/);
  });

  it('carries watchGrid frames, predictions and the dataset as typed arrays', async () => {
    const { client, events } = connect();
    await client.request({ type: 'compile', spec: mlpSpec({}), backend: 'cpu' });
    await client.request({ type: 'watchGrid', grid: { xRange: [-1, 1], yRange: [-1, 1], resolution: 16 } });
    await new Promise((r) => setTimeout(r, 0));
    const grid = events.find((e) => e.type === 'grid');
    expect(grid?.type === 'grid' && grid.run).toBe('main');
    expect(grid?.type === 'grid' && grid.grid.values).toBeInstanceOf(Float32Array);
    const p = await client.request({ type: 'predictions', split: 'val' });
    expect(p.predicted).toBeInstanceOf(Int32Array);
    const d = await client.request({ type: 'dataset', maxRows: 20 });
    expect(d.train.x).toBeInstanceOf(Float32Array);
    expect(d.train.count).toBe(20);
    const w = await client.request({ type: 'snapshot' });
    expect((await client.request({ type: 'loadWeights', weights: w.weights })).kept).toContain('0.weight');
  });
});
