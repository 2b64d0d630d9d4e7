import { describe, expect, it } from 'vitest';
import { EngineClient, type WorkerPort } from './client';
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
