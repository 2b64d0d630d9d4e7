// Test helpers for live sessions: a session over the real host that records its events and can wait for a
// condition on them (never a fixed sleep), and a few specs.

import { createHost, type EngineHost } from './host';
import { LiveSession, type SessionOptions } from './session';
import type { LiveEvent, MetricsBatch, RuntimeHost } from './types';

export interface Harness {
  session: LiveSession;
  host: EngineHost;
  events: LiveEvent[];
  /** Resolves once pred() holds (checked now and after every event); rejects after timeoutMs. */
  until(pred: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Every metrics batch so far, concatenated. */
  series(): { step: number[]; loss: number[]; lr: number[] };
  of<T extends LiveEvent['type']>(type: T): Extract<LiveEvent, { type: T }>[];
}

export function harness(opts: SessionOptions = {}, wrap?: (h: EngineHost) => RuntimeHost): Harness {
  // No background calibration refinement in tests: it would build pipelines while other tests run.
  const host = createHost(undefined, { refineCalibration: false });
  const events: LiveEvent[] = [];
  const waiters = new Set<() => void>();
  const session = new LiveSession(
    wrap ? wrap(host) : host,
    (e) => {
      events.push(e);
      for (const w of [...waiters]) w();
    },
    opts,
  );
  const until = (pred: () => boolean, what: string, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      if (pred()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!pred()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });
  const of = <T extends LiveEvent['type']>(type: T) =>
    events.filter((e): e is Extract<LiveEvent, { type: T }> => e.type === type);
  const series = () => {
    const out = { step: [] as number[], loss: [] as number[], lr: [] as number[] };
    for (const e of of('metrics')) {
      const m: MetricsBatch = e.metrics;
      out.step.push(...m.step);
      out.loss.push(...m.loss);
      out.lr.push(...m.lr);
    }
    return out;
  };
  return { session, host, events, until, series, of };
}

export const mlpSpec = (o: {
  hidden?: number[];
  act?: string;
  lr?: number;
  batch?: number;
  data?: string;
  loss?: string;
  out?: number;
  optimizer?: string;
  points?: number;
}) => {
  const regression = o.loss === 'mse';
  return {
    data: {
      kind: o.data ?? (regression ? 'plane' : 'spiral'),
      points: o.points ?? 240,
      noise: 0.1,
      valFraction: 0.2,
      seed: 1,
    },
    model: {
      input: [2],
      layers: [
        ...(o.hidden ?? [8, 8]).flatMap((u) => [{ type: 'dense', units: u }, { type: o.act ?? 'tanh' }]),
        { type: 'dense', units: o.out ?? (regression ? 1 : 2) },
      ],
    },
    loss: { type: o.loss ?? 'cross_entropy' },
    optimizer: { type: o.optimizer ?? 'sgd', lr: o.lr ?? 0.05 },
    training: { batchSize: o.batch ?? 16, seed: 7 },
  };
};

export const deepSigmoid = (lr: number) => mlpSpec({ hidden: [16, 16, 16, 16], act: 'sigmoid', lr, loss: 'mse' });
