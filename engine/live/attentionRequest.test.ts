// Attention maps through the worker protocol (client, router, a real CPU session, structured clones with transfer):
// a tiny causal transformer on the reverse task, trained a few steps; the reply holds one map per attention layer
// whose rows sum to 1, with exact zeros on later keys, equal to attentionWeights called on the same weights. Bad
// requests and a model without attention layers get clear errors.
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index';
import { openRuntime } from '../backends/runtime';
import { sequenceTask } from '../data/sequences';
import { initialState } from '../graph/init';
import type { Program } from '../graph/program';
import { EngineClient, type WorkerPort } from '../worker/client';
import type { EngineEvent, EngineRequest } from '../worker/protocol';
import { createRouter } from '../worker/router';
import { attentionWeights } from './attention';
import { createHost } from './host';
import { LiveSession } from './session';
import { mlpSpec } from './testing';
import type { RuntimeHost } from './types';

const T = 6;
// Sequence tasks have no data section in the spec language: the host hands the session this dataset instead.
const data = sequenceTask('reverse', { train: 64, val: 16, length: T, seed: 3 });

function sequenceHost(): RuntimeHost {
  const base = createHost(undefined, { refineCalibration: false });
  return {
    ...base,
    dataset: async (spec) => (spec.data ? base.dataset(spec) : data),
    create: (program, backend) =>
      program.spec.data ? base.create(program, backend) : openRuntime(program, cpuBackend, { data }),
  };
}

function connect() {
  const sessions = new Map<string, LiveSession>();
  const toClient: ((e: MessageEvent) => void)[] = [];
  const router = createRouter(
    (event: EngineEvent, transfer: Transferable[] = []) => {
      const copy = structuredClone(event, { transfer });
      queueMicrotask(() => {
        for (const l of toClient) l({ data: copy } as MessageEvent);
      });
    },
    async () => ({ kind: 'cpu', reason: 'tests run the CPU backend' }),
    (emit) => {
      const s = new LiveSession(sequenceHost(), emit);
      sessions.set(`s${sessions.size}`, s);
      return s;
    },
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
  return { client: new EngineClient(port, { schedule: (cb) => setTimeout(cb, 0) }), sessions };
}

const transformer = {
  model: {
    input: [T],
    layers: [
      { type: 'embedding', vocab: 10, dim: 8 },
      { type: 'positional', kind: 'sinusoidal' },
      { type: 'attention', heads: 2, causal: true },
      { type: 'residual', layers: [{ type: 'layernorm' }, { type: 'attention', heads: 4 }] },
      { type: 'dense', units: 10 },
    ],
  },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  training: { batchSize: 8, seed: 2 },
};

describe('attention requests', () => {
  it('reply with each layer’s maps: rows sum to 1, causal zeros, equal to attentionWeights on the same weights', async () => {
    const { client, sessions } = connect();
    await client.request({ type: 'compile', spec: transformer, backend: 'cpu' });
    await client.request({ type: 'step', n: 5 });
    const rows = 5;
    const maps = await client.request({ type: 'attention', split: 'val', rows });
    expect(maps.map((m) => [m.layer, m.heads, m.T])).toEqual([
      ['2', 2, T],
      ['3.layers.1', 4, T],
    ]);
    for (const m of maps) {
      expect(m.weights).toBeInstanceOf(Float32Array);
      expect(m.weights.length).toBe(rows * m.heads * T * T);
      for (let row = 0; row < rows * m.heads * T; row++) {
        const w = m.weights.subarray(row * T, (row + 1) * T);
        expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        const query = row % T;
        if (m.layer === '2') for (let k = query + 1; k < T; k++) expect(w[k]).toBe(0);
      }
    }
    // The non-causal layer does look ahead: the causal zeros are the mask's, not an accident of the weights.
    const open = maps[1].weights;
    expect(open.some((v, i) => i % T > Math.floor(i / T) % T && v > 0)).toBe(true);

    // The same weights, from the snapshot reply, in a state arena of the session's program.
    const program = (sessions.get('s0') as LiveSession).currentProgram as Program;
    const snap = await client.request({ type: 'snapshot' });
    expect(snap.step).toBe(5);
    const state = initialState(program);
    for (const q of program.params) state.set(snap.weights[q.key].data, program.tensors[q.tensor].offset);
    const direct = attentionWeights(program, state, data.val.x.subarray(0, rows * T), rows);
    expect(direct.length).toBe(maps.length);
    for (let i = 0; i < maps.length; i++) expect(Array.from(maps[i].weights)).toEqual(Array.from(direct[i].weights));

    // ... and not those of the initial weights: the reply is of the weights of the moment.
    const before = attentionWeights(program, initialState(program), data.val.x.subarray(0, rows * T), rows);
    expect(Array.from(before[0].weights)).not.toEqual(Array.from(maps[0].weights));

    // Default: 8 rows of the validation split.
    const byDefault = await client.request({ type: 'attention' });
    expect(byDefault[0].weights.length).toBe(8 * 2 * T * T);
    expect(Array.from(byDefault[0].weights.subarray(0, rows * 2 * T * T))).toEqual(Array.from(maps[0].weights));
  });

  it('refuses bad requests, an uncompiled run and a model without attention layers', async () => {
    const { client } = connect();
    await expect(client.request({ type: 'attention' })).rejects.toThrow(/nothing compiled yet/);
    await client.request({ type: 'compile', spec: transformer, backend: 'cpu' });
    await expect(client.request({ type: 'attention', rows: 0 })).rejects.toThrow(/rows must be a finite number >= 1/);
    await expect(client.request({ type: 'attention', rows: Number.NaN })).rejects.toThrow(/rows must be/);
    const split = 'test' as 'val';
    await expect(client.request({ type: 'attention', split })).rejects.toThrow(/split must be 'train' or 'val'/);
    await client.request({ type: 'compile', run: 'mlp', spec: mlpSpec({ hidden: [4] }), backend: 'cpu' });
    await expect(client.request({ type: 'attention', run: 'mlp' })).rejects.toThrow(/no attention layer/);
  });
});
