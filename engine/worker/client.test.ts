import { describe, expect, it } from 'vitest';
import { EngineClient, runOf, type WorkerPort } from './client';
import type { EngineEvent, EngineRequest } from './protocol';

/** An in-memory worker that answers like the real one, to test the client's bookkeeping. */
function fakePort(answer: (request: EngineRequest) => EngineEvent[]): WorkerPort {
  const listeners: ((event: MessageEvent) => void)[] = [];
  return {
    postMessage(request: EngineRequest) {
      queueMicrotask(() => {
        for (const event of answer(request)) for (const l of listeners) l({ data: event } as MessageEvent);
      });
    },
    addEventListener(type: string, listener: (event: never) => void) {
      if (type === 'message') listeners.push(listener as (event: MessageEvent) => void);
    },
    terminate() {},
  };
}

describe('EngineClient', () => {
  it('resolves a request when its reply arrives and forwards events', async () => {
    const client = new EngineClient(
      fakePort((r) => [
        { type: 'backend', report: { kind: 'cpu', reason: 'test' } },
        { type: 'reply', id: r.id, ok: true },
      ]),
    );
    const seen: string[] = [];
    client.subscribe((e) => seen.push(e.type));
    await client.request({ type: 'probeBackend' });
    expect(seen).toEqual(['backend', 'reply']);
  });

  it('rejects a request whose id comes back with an error', async () => {
    const client = new EngineClient(fakePort((r) => [{ type: 'error', id: r.id, message: 'bad spec' }]));
    await expect(client.request({ type: 'hello' })).rejects.toThrow('bad spec');
  });
});

describe('EngineClient coalescing', () => {
  const batch = (from: number, n: number) => ({
    step: Float64Array.from({ length: n }, (_, i) => from + i),
    loss: new Float32Array(n).fill(0.5),
    accuracy: null,
    lr: new Float32Array(n).fill(0.1),
    samplesPerSecond: 100,
    stepsPerSecond: 10,
    epoch: 0,
    gradNorms: null,
  });

  it('delivers at most one merged metrics event per frame, before any later event', async () => {
    let send: (e: EngineEvent) => void = () => {};
    const port: WorkerPort = {
      postMessage() {},
      addEventListener(type: string, listener: (event: never) => void) {
        if (type === 'message') send = (e) => (listener as (event: MessageEvent) => void)({ data: e } as MessageEvent);
      },
      terminate() {},
    };
    const frames: (() => void)[] = [];
    const client = new EngineClient(port, { schedule: (cb) => frames.push(cb) });
    const seen: EngineEvent[] = [];
    client.subscribe((e) => seen.push(e));
    send({ type: 'metrics', run: 'main', metrics: batch(0, 5) });
    send({ type: 'metrics', run: 'main', metrics: batch(5, 3) });
    send({ type: 'metrics', run: 'main', metrics: batch(8, 2) });
    expect(seen).toEqual([]);
    expect(frames.length).toBe(1);
    frames.shift()?.();
    expect(seen.length).toBe(1);
    const m = seen[0].type === 'metrics' ? seen[0].metrics : null;
    expect(Array.from(m?.step ?? [])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // A diverged event flushes pending metrics first, so order is kept.
    send({ type: 'metrics', run: 'main', metrics: batch(10, 2) });
    send({
      type: 'diverged',
      run: 'main',
      report: {
        step: 12,
        lastFiniteLoss: 1,
        signal: 'loss',
        layer: null,
        cause: 'learning_rate',
        explanation: 'x',
        restoredStep: 0,
        layers: [],
      },
    });
    expect(seen.map((e) => e.type)).toEqual(['metrics', 'metrics', 'diverged']);
    frames.shift()?.(); // the frame requested for step 10 finds nothing left
    expect(seen.length).toBe(3);
  });

  it('coalesces per run: one merged metrics event and the latest progress per run per frame, in order', () => {
    let send: (e: EngineEvent) => void = () => {};
    const port: WorkerPort = {
      postMessage() {},
      addEventListener(type: string, listener: (event: never) => void) {
        if (type === 'message') send = (e) => (listener as (event: MessageEvent) => void)({ data: e } as MessageEvent);
      },
      terminate() {},
    };
    const frames: (() => void)[] = [];
    const client = new EngineClient(port, { schedule: (cb) => frames.push(cb) });
    const seen: EngineEvent[] = [];
    client.subscribe((e) => seen.push(e));
    const progress = (run: string, step: number): EngineEvent => ({
      type: 'progress',
      run,
      progress: { state: 'training', step, epoch: 0, chunk: 1, backend: 'cpu', stepsPerSecond: 1 },
    });
    send({ type: 'metrics', run: 'a', metrics: batch(0, 2) });
    send({ type: 'metrics', run: 'b', metrics: batch(0, 3) });
    send(progress('b', 3));
    send({ type: 'metrics', run: 'a', metrics: batch(2, 2) });
    send(progress('a', 4));
    send(progress('b', 4));
    send({ type: 'metrics', run: 'b', metrics: batch(3, 1) });
    expect(frames.length).toBe(1);
    frames.shift()?.();
    const summary = seen.map((e) =>
      e.type === 'metrics'
        ? `${e.run}:metrics:${Array.from(e.metrics.step).join(',')}`
        : e.type === 'progress'
          ? `${e.run}:progress:${e.progress.step}`
          : e.type,
    );
    expect(summary).toEqual(['a:metrics:0,1,2,3', 'a:progress:4', 'b:metrics:0,1,2,3', 'b:progress:4']);
    expect(runOf(seen[0])).toBe('a');
    expect(runOf({ type: 'backend', report: { kind: 'cpu', reason: 'x' } })).toBeUndefined();
  });
});
